package io.dime.cli;

import io.dime.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --plugins DIR} option every command that loads plugins shares (a picocli mixin). */
final class PluginDirs {
  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description = "a directory of plugin jars (repeatable); DIME_PLUGIN_PATH adds more")
  List<Path> dirs = new ArrayList<>();

  /** The plugins on the class path, in these directories and in DIME_PLUGIN_PATH. */
  PluginRegistry load() {
    return PluginRegistry.load(dirs);
  }
}
