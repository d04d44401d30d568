package io.dime.cli;

import io.dime.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dime plugins}: lists the plugins found and what each provides. */
@Command(
    mixinStandardHelpOptions = true,
    name = "plugins",
    description = "List the plugins found (class path, --plugins, DIME_PLUGIN_PATH).")
final class PluginsCommand implements Callable<Integer> {
  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description = "A directory of plugin jars (repeatable); DIME_PLUGIN_PATH adds more.")
  List<Path> pluginDirs = new ArrayList<>();

  @Override
  public Integer call() {
    System.out.print(PluginRegistry.load(pluginDirs).describe());
    return 0;
  }
}
