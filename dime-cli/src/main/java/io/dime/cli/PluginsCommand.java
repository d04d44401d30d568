package io.dime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dime plugins}: lists the plugins found and what each provides. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    name = "plugins",
    header = "List the plugins found on the class path and in plugin folders.",
    description =
        "Lists the plugins found on the class path, in the folders given with --plugins and in"
            + " those DIME_PLUGIN_PATH names.")
final class PluginsCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin PluginDirs plugins;

  @Override
  public Integer call() {
    System.out.print(plugins.load().describe());
    return 0;
  }
}
