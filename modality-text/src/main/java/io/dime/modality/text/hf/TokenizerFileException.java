package io.dime.modality.text.hf;

/** A tokenizer.json that cannot be read or uses a component this reader does not support. */
public final class TokenizerFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  TokenizerFileException(String message) {
    super(message);
  }

  TokenizerFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
