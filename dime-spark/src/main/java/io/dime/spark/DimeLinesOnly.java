package io.dime.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard error once a signal is ending a Spark job: only dime's own lines (those that start with
 * {@code "dime:"}) and blank lines get through. Spark stops its session under the running job on
 * its way out, and besides what it logs (turned off then) its threads print stack traces of their
 * own: a Scala future's callback rejected by a pool that is shutting down
 * ("RejectedExecutionException ... rejected from ThreadPoolExecutor[Shutting down]") is printed
 * straight to standard error, not logged. Nothing of use comes after the signal but dime's message
 * of what is kept.
 */
final class DimeLinesOnly extends OutputStream {
  private final OutputStream out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  DimeLinesOnly(OutputStream out) {
    this.out = out;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      endLine();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void endLine() throws IOException {
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.startsWith("dime:") || text.strip().isEmpty()) {
      line.writeTo(out);
      out.flush();
    }
    line.reset();
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    if (line.size() > 0) {
      line.write('\n');
      endLine();
    }
    out.flush();
  }
}
