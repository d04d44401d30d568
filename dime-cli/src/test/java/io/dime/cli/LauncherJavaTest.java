package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which Java the launcher (dist/bin/dime) runs, in an assembled tree of its own: the launcher, an
 * application folder marked built (nothing to build: no source beside it) and a stand-in Java that
 * prints what it was asked to run.
 */
class LauncherJavaTest {
  /** The launcher in {@code root/dist/bin}, its application marked built; returns it. */
  private static Path assembled(Path root) throws IOException {
    Path bin = Files.createDirectories(root.resolve("dist/bin"));
    Path launcher = bin.resolve("dime");
    Files.copy(Path.of("..", "dist", "bin", "dime"), launcher);
    Path lib = Files.createDirectories(root.resolve("dist/target/lib"));
    Files.createFile(lib.resolve(".dime-built"));
    Files.createFile(lib.resolve("app.jar"));
    return launcher;
  }

  /** A folder of links to the tools the launcher uses, and no java. */
  private static Path toolsWithoutJava(Path dir) throws IOException {
    Path tools = Files.createDirectories(dir.resolve("tools"));
    for (String t : List.of("bash", "dirname", "readlink", "find", "nproc", "mkdir", "touch")) {
      for (String d : List.of("/usr/bin", "/bin")) {
        Path found = Path.of(d, t);
        if (Files.isExecutable(found)) {
          Files.createSymbolicLink(tools.resolve(t), found);
          break;
        }
      }
    }
    return tools;
  }

  private static String[] run(Path launcher, Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", launcher.toString(), "--version").redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  /**
   * JAVA_HOME set: its java runs, as the Maven wrapper that builds the application takes it.
   * Before, the launcher ran whatever java the PATH held (another version, or none: "exec: java:
   * not found", exit 127) and ignored JAVA_HOME.
   */
  @Test
  void theJavaOfJavaHomeRuns(@TempDir Path dir) throws Exception {
    Path launcher = assembled(dir.resolve("app"));
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = jdk.resolve("java");
    Files.writeString(java, "#!/bin/bash\necho \"the JAVA_HOME java ran ${@: -2}\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    String path = toolsWithoutJava(dir) + ":/usr/bin:/bin"; // a java there too, which must not run
    String[] r = run(launcher, Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "PATH", path));
    assertEquals("0", r[0], r[1]);
    assertEquals("the JAVA_HOME java ran io.dime.cli.Main --version", r[1].strip());
  }

  /** No Java anywhere: a sentence and exit code 2, not bash's "exec: java: not found" and 127. */
  @Test
  void noJavaIsSaidInASentence(@TempDir Path dir) throws Exception {
    Path launcher = assembled(dir.resolve("app"));
    String path = toolsWithoutJava(dir).toString();
    String[] r = run(launcher, Map.of("PATH", path));
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "dime: no Java found: JAVA_HOME is not set and no java is on the PATH; install Java 17 or"
            + " later, or set JAVA_HOME to its folder",
        r[1].strip());
    r = run(launcher, Map.of("PATH", path, "JAVA_HOME", dir.resolve("nothing").toString()));
    assertEquals("2", r[0], r[1]);
    assertTrue(
        r[1].contains("no Java found: JAVA_HOME (" + dir.resolve("nothing") + ") has no bin/java"),
        r[1]);
  }

  /**
   * An assembled copy without the sources (dist/bin and dist/target/lib copied elsewhere, the
   * build's stamp left behind) runs what it holds; with no jar there it says so. Before, the
   * missing stamp sent it to a build: "./mvnw: No such file or directory" and "the build failed
   * (Maven's messages above)", exit 2.
   */
  @Test
  void aCopyWithoutTheSourcesRunsWhatItHolds(@TempDir Path dir) throws Exception {
    Path launcher = assembled(dir.resolve("app"));
    Path lib = dir.resolve("app/dist/target/lib");
    Files.delete(lib.resolve(".dime-built"));
    Files.delete(lib.resolve("app.jar"));
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = jdk.resolve("java");
    Files.writeString(java, "#!/bin/bash\necho \"ran ${@: -2}\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env =
        Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "PATH", "/usr/bin:/bin");
    String[] r = run(launcher, env);
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("dime: " + lib + " holds no application jars"), r[1]);
    Files.createFile(lib.resolve("app.jar"));
    r = run(launcher, env);
    assertEquals("0", r[0], r[1]);
    assertEquals("ran io.dime.cli.Main --version", r[1].strip());
  }

  /**
   * The unpacked archive's layout under {@code dir/home} (bin/dime, lib/ with its marker and a jar)
   * and a "java" in {@code dir/jdk/bin} that prints its arguments; returns the launcher.
   */
  private static Path unpackedArchive(Path dir, String home) throws Exception {
    Path root = dir.resolve(home);
    Path launcher = Files.createDirectories(root.resolve("bin")).resolve("dime");
    Files.copy(Path.of("..", "dist", "bin", "dime"), launcher);
    Path lib = Files.createDirectories(root.resolve("lib"));
    Files.createFile(lib.resolve(".dime-archive"));
    Files.createFile(lib.resolve("app.jar"));
    Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
    Files.writeString(java, "#!/bin/bash\necho \"ran $*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return launcher;
  }

  /**
   * The unpacked archive (dist/target/dime-VERSION.tar.gz: bin/dime beside lib/ and its marker),
   * under a path with a space, run through a link from elsewhere: the jars of its lib/ run, nothing
   * is built; --spark, whose part the archive lacks, is refused in a sentence.
   */
  @Test
  void theUnpackedArchiveRunsItsOwnJars(@TempDir Path dir) throws Exception {
    Path launcher = unpackedArchive(dir, "my tools/dime-0.1");
    Path lib = launcher.getParent().resolveSibling("lib");
    Path link = Files.createSymbolicLink(dir.resolve("dime"), launcher);
    Map<String, String> env =
        Map.of(
            "JAVA_HOME",
            dir.resolve("jdk").toString(),
            "PATH",
            "/usr/bin:/bin",
            "DIME_JAVA_OPTS",
            "-Xmx1g");
    String[] r = run(link, env);
    assertEquals("0", r[0], r[1]);
    assertEquals("ran -Xmx1g -cp " + lib + "/* io.dime.cli.Main --version", r[1].strip());
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", link.toString(), "explain", "--spark", "local[2]")
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.startsWith("dime: this unpacked distribution has no Spark part"), out);
  }

  /**
   * Java's class path cannot hold a folder whose path has a colon (it splits there): unpacked under
   * one, the launcher says so in a sentence, where Java said only "Could not find or load main
   * class io.dime.cli.Main".
   */
  @Test
  void aFolderWithAColonInItsPathIsNamedInASentence(@TempDir Path dir) throws Exception {
    Path launcher = unpackedArchive(dir, "tools:2024/dime-0.1");
    Path lib = launcher.getParent().resolveSibling("lib");
    String[] r =
        run(launcher, Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "PATH", "/usr/bin:/bin"));
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "dime: Java cannot run the jars of "
            + lib
            + ": its path has a ':', which ends an entry of Java's class path; move the"
            + " distribution to a path without one",
        r[1].strip());
  }

  /**
   * The archive's bin/dime copied out of its folder has neither layout beside it: it says what it
   * looked for in both (the archive's lib/ marker, a checkout's dist/target/lib and mvnw) and how
   * to run it. Before, it said only that the checkout's dist/target/lib "holds no application
   * jars", a folder an archive user never had.
   */
  @Test
  void aLauncherCopiedOutOfItsArchiveSaysWhatItLookedFor(@TempDir Path dir) throws Exception {
    Path launcher = unpackedArchive(dir, "dime-0.1");
    Path copy = Files.createDirectories(dir.resolve("home/me/bin")).resolve("dime");
    Files.copy(launcher, copy);
    Path here = dir.resolve("home/me");
    String[] r =
        run(copy, Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "PATH", "/usr/bin:/bin"));
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "dime: "
            + copy
            + " finds no application beside it: neither the unpacked archive's "
            + here.resolve("lib/.dime-archive")
            + " nor a checkout's "
            + dir.resolve("home/dist/target/lib")
            + " (and "
            + dir.resolve("home/mvnw")
            + ") is there; run bin/dime in the folder the archive unpacked to (a symbolic link to"
            + " it works from anywhere, e.g. on the PATH), or ./dime in a checkout of the sources",
        r[1].strip());
    // a link to the archive's launcher, where the copy was, runs the archive's jars
    Files.delete(copy);
    Files.createSymbolicLink(copy, launcher);
    r = run(copy, Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "PATH", "/usr/bin:/bin"));
    assertEquals("0", r[0], r[1]);
  }

  /**
   * Run by a POSIX sh (sh dime, as one runs a shell script; dash where sh is dash, as on Debian and
   * Ubuntu), the launcher runs itself again under bash and works. Before, dash stopped at the
   * second line with "set: Illegal option -o pipefail", exit 2, which says nothing about bash.
   */
  @Test
  void aLauncherRunByShRunsItselfUnderBash(@TempDir Path dir) throws Exception {
    Path sh =
        List.of(Path.of("/usr/bin/dash"), Path.of("/bin/dash"), Path.of("/bin/sh")).stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(sh != null, "a POSIX sh");
    Path launcher = assembled(dir.resolve("app folder"));
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = jdk.resolve("java");
    Files.writeString(java, "#!/bin/bash\necho \"ran ${@: -2}\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb =
        new ProcessBuilder(sh.toString(), launcher.toString(), "--version")
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment()
        .putAll(Map.of("JAVA_HOME", jdk.getParent().toString(), "PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals("0 ran io.dime.cli.Main --version", p.exitValue() + " " + out.strip());
  }

  /**
   * A launcher lying directly under the root ({@code /bin/dime}, {@code /dime}) names the folders
   * it looked in as {@code /lib/.dime-archive}, {@code /dist/target/lib} and {@code /mvnw}. Before,
   * it joined them to its folder "/" (or bash's "//") as {@code //lib/.dime-archive}, {@code
   * //dist/target/lib}. Where the launcher lies is what readlink says: a stand-in readlink names
   * the place, as a test cannot write under the root.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/bin/dime", "/dime"})
  void aLauncherDirectlyUnderTheRootPrintsCleanPaths(String at, @TempDir Path dir)
      throws Exception {
    for (String p : List.of("/lib/.dime-archive", "/mvnw", "/dist/target/lib")) {
      assumeFalse(Files.exists(Path.of(p)), p + " exists on this machine");
    }
    Path launcher = Files.createDirectories(dir.resolve("copy")).resolve("dime");
    Files.copy(Path.of("..", "dist", "bin", "dime"), launcher);
    Path tools = toolsWithoutJava(dir);
    Files.delete(tools.resolve("readlink"));
    Path readlink = tools.resolve("readlink");
    Files.writeString(readlink, "#!" + tools.resolve("bash") + "\necho " + at + "\n");
    Files.setPosixFilePermissions(readlink, PosixFilePermissions.fromString("rwxr-xr-x"));
    String[] r = run(launcher, Map.of("PATH", tools.toString()));
    assertEquals("2", r[0], r[1]);
    assertTrue(
        r[1].startsWith(
            "dime: "
                + at
                + " finds no application beside it: neither the unpacked archive's"
                + " /lib/.dime-archive nor a checkout's /dist/target/lib (and /mvnw) is there;"),
        r[1]);
    assertFalse(r[1].contains("//"), r[1]);
  }
}
