package io.dime.spi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where a manifest field is read: the directory that relative paths resolve against and the record
 * being read (for error messages).
 *
 * @param baseDirectory the directory relative paths resolve against (the manifest's), not null
 * @param recordId the id of the record being read, not null
 * @since 0.1
 */
public record ReadContext(Path baseDirectory, String recordId) {
  /**
   * Checks the arguments are given.
   *
   * @throws NullPointerException naming a null argument
   */
  public ReadContext {
    requireNonNull(baseDirectory, "baseDirectory is null");
    requireNonNull(recordId, "recordId is null");
  }
}
