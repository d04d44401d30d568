package io.dime.api;

/**
 * The model failed or misbehaved: wrong input names or shapes, NaN outputs, wrong output shape, a
 * runtime error. Messages name what was expected and what was found.
 *
 * @since 0.1
 */
public class ModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
