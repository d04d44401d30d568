package io.dime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dime plugins}: lists the plugins found and what each provides. */
@Command(
    mixinStandardHelpOptions = true,
    name = "plugins",
    description = "List the plugins found (class path, --plugins, DIME_PLUGIN_PATH).")
final class PluginsCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin PluginDirs plugins;

  @Override
  public Integer call() {
    System.out.print(plugins.load().describe());
    return 0;
  }
}
