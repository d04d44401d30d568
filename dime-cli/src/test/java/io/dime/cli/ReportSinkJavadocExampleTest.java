package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.OutputKind;
import io.dime.api.run.RecordSource;
import io.dime.core.Dime;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.job.JsonlManifest;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import io.dime.testkit.JavaSources;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HtmlReportSink}'s Javadoc example (in dime-report, compiled here where the engine's job is
 * too), read from the source file and compiled as the body of a method whose parameters are its
 * free names ({@code dime}, {@code source}, {@code out}, {@code modalities}, {@code classNames}),
 * then run on six records, one unreadable: one page, titled as the example sets, with a card for
 * every record in the class names it sets, and no temporary file left beside it.
 */
class ReportSinkJavadocExampleTest {
  private static final Path SOURCE =
      Path.of("..", "dime-report", "src", "main", "java", "io", "dime", "report");

  private static String example() throws Exception {
    String text = Files.readString(SOURCE.resolve("HtmlReportSink.java"), StandardCharsets.UTF_8);
    int from = text.indexOf("<pre>{@code\n");
    assertTrue(from >= 0, "HtmlReportSink has a code example");
    from += "<pre>{@code\n".length();
    StringBuilder code = new StringBuilder();
    for (String line : text.substring(from, text.indexOf("}</pre>", from)).split("\n")) {
      code.append(line.strip().startsWith("* ") ? line.substring(line.indexOf("* ") + 2) : "");
      code.append('\n');
    }
    return code.toString();
  }

  @Test
  void htmlReportSinksExampleWritesTheReportOfTheJob(@TempDir Path dir) throws Exception {
    String source =
        "import io.dime.api.*;\n"
            + "import io.dime.api.run.*;\n"
            + "import io.dime.core.*;\n"
            + "import io.dime.core.job.*;\n"
            + "import io.dime.report.*;\n"
            + "import io.dime.spi.Modality;\n"
            + "import java.nio.file.Path;\n"
            + "import java.util.*;\n"
            + "public class SinkExample {\n"
            + "  public static void run(Dime dime, RecordSource source, Path out,"
            + " List<Modality<?>> modalities, List<String> classNames) throws Exception {\n"
            + example()
            + "  }\n"
            + "}\n";
    Path classes =
        JavaSources.compile(dir.resolve("example"), "SinkExample", source, "the example");
    List<Modality<?>> modalities = List.of(VectorModality.of("d1", 4), VectorModality.of("d2", 4));
    SplittableRandom rng = new SplittableRandom(3);
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pool.add(
          Datapoint.of(
              "p" + i, Map.of("d1", rng.doubles(4).toArray(), "d2", rng.doubles(4).toArray())));
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String d2 = i == 3 ? "\"four\"" : Json.line(rng.doubles(4).toArray());
      lines.add(
          "{\"id\": \"rec-"
              + i
              + "\", \"d1\": "
              + Json.line(rng.doubles(4).toArray())
              + ", \"d2\": "
              + d2
              + "}");
    }
    Path manifest = dir.resolve("data.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Path out = Files.createDirectories(dir.resolve("out"));
    List<String> classNames = List.of("lower-score", "upper-score");
    try (Dime dime =
            Dime.builder()
                .modality(modalities.get(0))
                .modality(modalities.get(1))
                .model(
                    JavaModels.of(
                        "d1 . d2",
                        2,
                        OutputKind.LOGITS,
                        row -> {
                          double[] a = (double[]) row[0];
                          double[] b = (double[]) row[1];
                          double y = 0;
                          for (int j = 0; j < a.length; j++) {
                            y += a[j] * b[j];
                          }
                          return new double[] {-y, y};
                        }))
                .referencePool(pool)
                .samples(100)
                .build();
        RecordSource records = JsonlManifest.open(manifest, modalities);
        URLClassLoader loader =
            new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Method run =
          loader
              .loadClass("SinkExample")
              .getMethod("run", Dime.class, RecordSource.class, Path.class, List.class, List.class);
      run.invoke(null, dime, records, out, modalities, classNames);
    }
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("report.html"), files.map(p -> p.getFileName().toString()).toList());
    }
    String page = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(page.contains("<title>DIME report"), "the example's title");
    for (int i = 0; i < 6; i++) {
      assertTrue(page.contains("rec-" + i), "a card for rec-" + i);
    }
    assertTrue(page.contains("upper-score") || page.contains("lower-score"), "the class names");
  }
}
