package io.dime.core.plugin;

import io.dime.spi.DimePlugin;

/** A plugin whose constructor fails, as one reading a missing resource of its own would. */
public final class ThrowingPlugin implements DimePlugin {
  /** Fails. */
  public ThrowingPlugin() {
    throw new IllegalStateException("vocabulary.txt is missing from the jar");
  }

  @Override
  public String name() {
    return "throwing";
  }
}
