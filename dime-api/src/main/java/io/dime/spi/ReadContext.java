package io.dime.spi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where a manifest field is read: the directory that relative paths resolve against and the record
 * being read (for error messages).
 */
public record ReadContext(Path baseDirectory, String recordId) {
  public ReadContext {
    requireNonNull(baseDirectory, "baseDirectory is null");
    requireNonNull(recordId, "recordId is null");
  }
}
