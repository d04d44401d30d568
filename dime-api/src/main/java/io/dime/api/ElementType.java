package io.dime.api;

/**
 * Element type of a tensor fed to or read from a model.
 *
 * @since 0.1
 */
public enum ElementType {
  FLOAT32,
  INT64
}
