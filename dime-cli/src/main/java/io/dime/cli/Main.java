package io.dime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dime} command line. */
@Command(
    name = "dime",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Explains multimodal models: what each modality contributes alone (UC) and what the",
      "modalities contribute only together (MI), and which features drive each part."
    },
    subcommands = {
      PluginsCommand.class,
      ReproduceCommand.class,
      ExplainCommand.class,
      InspectModelCommand.class,
      DemoCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int run(String... args) {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(
            (ex, cmd, parsed) -> {
              cmd.getErr().println("dime: " + ex.getMessage());
              return 2;
            })
        .execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dime " + io.dime.core.Versions.dime()};
    }
  }
}
