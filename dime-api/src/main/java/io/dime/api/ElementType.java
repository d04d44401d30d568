package io.dime.api;

/** Element type of a tensor fed to or read from a model. */
public enum ElementType {
  FLOAT32,
  INT64
}
