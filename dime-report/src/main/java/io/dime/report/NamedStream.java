package io.dime.report;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A stream to a file whose failures name the file: a write that fails for want of space says only
 * "No space left on device" ("File too large" past a size limit), and the report's failure then
 * named neither the page nor the folder.
 */
final class NamedStream extends FilterOutputStream {
  private final Path file;

  NamedStream(OutputStream out, Path file) {
    super(out);
    this.file = file;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw naming(file, e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw naming(file, e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw naming(file, e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (IOException e) {
      throw naming(file, e);
    }
  }

  /** {@code e} as it is when it names a file, else with {@code file} named. */
  static IOException naming(Path file, IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      return e;
    }
    if (e.getMessage() != null && e.getMessage().startsWith("cannot write ")) {
      return e; // named already
    }
    return new IOException("cannot write " + file + ": " + e.getMessage(), e);
  }
}
