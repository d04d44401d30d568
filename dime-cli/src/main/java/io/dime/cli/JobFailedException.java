package io.dime.cli;

/**
 * The job itself failed after its work began (exit code 3): an output file that cannot be written,
 * an error no record owns. Failures before any work (usage, a pipeline or model that cannot be
 * read) keep exit code 2.
 */
final class JobFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
