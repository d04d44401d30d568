package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.io.Json;
import io.dime.testkit.JavaSources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example of the explanation job, compiled and run as written: the {@code java}
 * block between the {@code job-example:begin} and {@code job-example:end} markers becomes the body
 * of a method with a {@code Path dir} holding a small manifest of two vector modalities.
 */
class ReadmeJobExampleTest {
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  private static String example() throws Exception {
    return example("job-example");
  }

  /** The java block between the README's {@code <!-- NAME:begin -->} and end markers. */
  private static String example(String name) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf("<!-- " + name + ":begin -->");
    int end = readme.indexOf("<!-- " + name + ":end -->");
    assertTrue(begin >= 0 && end > begin, "README.md has the " + name + "'s markers");
    Matcher m = BLOCK.matcher(readme.substring(begin, end));
    assertTrue(m.find(), "a java block between the markers");
    return m.group(1);
  }

  /**
   * The README's first example, the engine built by hand: its imports are its own (the class gets
   * no others), and {@code model}, {@code pool} and {@code datapoint} are what the text before it
   * says they are.
   */
  @Test
  void theLibraryExampleCompilesWithItsOwnImportsAndRuns(@TempDir Path dir) throws Exception {
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : example("library-example").split("\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    String source =
        imports
            + "public class LibraryExample {\n"
            + "  public static Explanation run(io.dime.api.MultimodalModel model,"
            + " java.util.List<io.dime.api.Datapoint> pool, io.dime.api.Datapoint datapoint) {\n"
            + body
            + "    return e;\n"
            + "  }\n"
            + "}\n";
    Path classes = compile(dir, "LibraryExample", source);
    SplittableRandom rng = new SplittableRandom(5);
    List<io.dime.api.Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pool.add(
          io.dime.api.Datapoint.of(
              "p" + i,
              java.util.Map.of("d1", rng.doubles(10).toArray(), "d2", rng.doubles(10).toArray())));
    }
    io.dime.api.MultimodalModel model =
        io.dime.core.infer.JavaModels.of(
            "d1 . d2",
            2,
            io.dime.api.OutputKind.LOGITS,
            row -> {
              double[] a = (double[]) row[0];
              double[] b = (double[]) row[1];
              double y = 0;
              for (int j = 0; j < 10; j++) {
                y += a[j] * b[j];
              }
              return new double[] {-y, y};
            });
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Method run =
          loader
              .loadClass("LibraryExample")
              .getMethod(
                  "run",
                  io.dime.api.MultimodalModel.class,
                  List.class,
                  io.dime.api.Datapoint.class);
      Object e = run.invoke(null, model, pool, pool.get(0));
      assertTrue(e instanceof io.dime.api.Explanation, String.valueOf(e));
      assertEquals("p0", ((io.dime.api.Explanation) e).id());
    }
  }

  /** Compiles one class against the test's class path; fails naming the errors. */
  private static Path compile(Path dir, String name, String source) throws Exception {
    return JavaSources.compile(dir, name, source, "the README example");
  }

  @Test
  void theJobExampleRunsAsWritten(@TempDir Path dir) throws Exception {
    SplittableRandom rng = new SplittableRandom(3);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      double[] a = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      double[] b = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      lines.add(
          "{\"id\": \"r" + i + "\", \"d1\": " + Json.line(a) + ", \"d2\": " + Json.line(b) + "}");
    }
    Files.write(dir.resolve("data.jsonl"), lines, StandardCharsets.UTF_8);

    String source =
        "import io.dime.api.*;\n"
            + "import io.dime.api.run.*;\n"
            + "import io.dime.core.*;\n"
            + "import io.dime.core.infer.JavaModels;\n"
            + "import io.dime.core.job.*;\n"
            + "import io.dime.core.modality.VectorModality;\n"
            + "import io.dime.spi.Modality;\n"
            + "import java.nio.file.Path;\n"
            + "import java.util.*;\n"
            + "public class Example {\n"
            + "  public static void run(Path dir) throws Exception {\n"
            + example()
            + "  }\n"
            + "}\n";
    Path classes = compile(dir, "Example", source);

    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Method run = loader.loadClass("Example").getMethod("run", Path.class);
      run.invoke(null, dir);
    } finally {
      System.setOut(old);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("explained 6, failed 0"), printed);
    assertTrue(printed.contains("6/6"), printed);
    assertEquals(6, Files.readAllLines(dir.resolve("explanations.jsonl")).size());
    assertTrue(Files.isRegularFile(dir.resolve("summary.json")));
  }
}
