package io.dime.core.plugin;

import io.dime.spi.DimePlugin;

/** A plugin registered only by a jar that a test writes into a plugin directory. */
public final class DirOnlyPlugin implements DimePlugin {
  @Override
  public String name() {
    return "dir_only";
  }
}
