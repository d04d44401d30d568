package io.dime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dime} command line. */
@Command(
    name = "dime",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Explains multimodal models: what each modality contributes alone (UC) and what the"
            + " modalities contribute only together (MI), and which features drive each part.",
    footer = {
      "",
      "Exit codes: 0 all explained; 1 some records failed (their errors are in the output); 2"
          + " usage error before any work; 3 the job itself failed or stopped (it says why; a"
          + " rerun resumes)."
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
public final class Main implements java.util.concurrent.Callable<Integer> {
  /** Exit code: every record explained. */
  static final int EXIT_OK = 0;

  /** Exit code: some records failed (their errors are in the output). */
  static final int EXIT_SOME_FAILED = 1;

  /** Exit code: a usage error, or inputs that cannot be read, before any work. */
  static final int EXIT_USAGE = 2;

  /** Exit code: the job itself failed or stopped after its work began (it says why). */
  static final int EXIT_JOB_FAILED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (OutOfMemoryError e) {
      // else the JVM prints "Exception in thread "main" java.lang.OutOfMemoryError" and a stack
      // trace, exit 1, which a script reads as "some records failed"; the stack is unwound here,
      // so there is room to say it
      System.err.println(outOfMemory(e));
      code = EXIT_JOB_FAILED;
    }
    System.exit(code);
  }

  /** What running out of heap prints: what happened and how to give the JVM more. */
  static String outOfMemory(OutOfMemoryError e) {
    return "dime: " + outOfMemoryWhy(e) + " (dime explain: a rerun of the same command resumes)";
  }

  /**
   * Running out of heap in words, and what to change: the heap advice of every out-of-heap message
   * ({@link io.dime.core.infer.HeapAdvice#MORE_HEAP}), then this command's own levers.
   */
  static String outOfMemoryWhy(OutOfMemoryError e) {
    return "out of memory ("
        + (e.getMessage() == null ? "the Java heap" : e.getMessage())
        + ", "
        + Runtime.getRuntime().maxMemory() / (1 << 20)
        + " MB at most): "
        + io.dime.core.infer.HeapAdvice.MORE_HEAP
        + ", or fewer --threads or a smaller --batch-size";
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int run(String... args) {
    return new CommandLine(new Main())
        .registerConverter(java.nio.file.Path.class, Main::path)
        .setExecutionExceptionHandler(
            (ex, cmd, parsed) -> {
              cmd.getErr().println("dime: " + Terminal.line(describe(ex)));
              return ex instanceof JobFailedException ? EXIT_JOB_FAILED : EXIT_USAGE;
            })
        .execute(args);
  }

  /**
   * A path option's value: an empty one (an unset shell variable, {@code --out "$DIR"}) would be
   * read as the working directory, so that {@code --out ""} wrote a run's files into it; it is
   * refused as a usage error instead.
   */
  static java.nio.file.Path path(String value) {
    if (value.isBlank()) {
      throw new CommandLine.TypeConversionException(
          "the path is empty; give a file or folder name (an unset shell variable?)");
    }
    try {
      return java.nio.file.Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a path here (" + e.getReason() + ")");
    }
  }

  /**
   * The message a failure prints: the file system's own exceptions name only the path (an {@code
   * AccessDeniedException}'s message is "/proc/x"), so their kind and reason are added.
   */
  static String describe(Exception ex) {
    if (ex instanceof java.nio.file.FileSystemException fs) {
      String kind =
          fs instanceof java.nio.file.AccessDeniedException
              ? "permission denied"
              : fs instanceof java.nio.file.NoSuchFileException
                  ? "no such file or directory"
                  : fs instanceof java.nio.file.FileAlreadyExistsException
                      ? "already exists"
                      : fs instanceof java.nio.file.NotDirectoryException
                          ? "not a directory"
                          : fs instanceof java.nio.file.DirectoryNotEmptyException
                              ? "a folder that is not empty"
                              : "file system error";
      String reason = fs.getReason() == null ? "" : " (" + fs.getReason() + ")";
      String other = fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile();
      return fs.getFile() + other + ": " + kind + reason;
    }
    String message = ex.getMessage();
    if (ex instanceof java.io.UncheckedIOException u && u.getCause() != null) {
      // "cannot unpack demo data fashion to out/fashion" needs the reason: read-only, a file...
      String own = message == null ? "" : message.replace(String.valueOf(u.getCause()), "");
      own = own.endsWith(": ") ? own.substring(0, own.length() - 2) : own;
      return (own.isBlank() ? "" : own + ": ") + describe(u.getCause());
    }
    return message == null || message.isBlank() ? ex.toString() : message;
  }

  /**
   * {@code dime} with no command: a usage error (exit 2) on standard error, as {@code dime
   * reproduce} without its subcommand is, not the help and exit 0 (a script whose command variable
   * was empty went on as if it had run).
   */
  @Override
  public Integer call() {
    java.io.PrintWriter err = spec.commandLine().getErr();
    err.println("dime: no command given; dime --help lists them");
    spec.commandLine().usage(err);
    return EXIT_USAGE;
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dime " + io.dime.core.Versions.dime()};
    }
  }
}
