package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ExplainResult;
import io.dime.api.run.RunSummary;
import io.dime.testkit.JavaSources;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's Javadoc examples ({@link PagedReport}, {@link HtmlReport}), read from the source
 * files, compiled as the body of a method whose parameters are their free names ({@code results},
 * {@code out}, {@code runSummary}, {@code classNames}) and run on two explanations and a failed
 * record: one page, byte for byte what {@link HtmlReport#render} gives for those records and the
 * class names the example sets, and no temporary file left beside it.
 */
class ReportJavadocExamplesTest {
  private static final List<String> MODS = List.of("image", "question");
  private static final List<String> CLASSES = List.of("yes", "no", "maybe");

  private static String example(String sourcePath) throws Exception {
    String text = Files.readString(Path.of("src/main/java", sourcePath), StandardCharsets.UTF_8);
    int from = text.indexOf("<pre>{@code\n");
    assertTrue(from >= 0, sourcePath + " has a code example");
    from += "<pre>{@code\n".length();
    StringBuilder code = new StringBuilder();
    for (String line : text.substring(from, text.indexOf("}</pre>", from)).split("\n")) {
      code.append(line.strip().startsWith("* ") ? line.substring(line.indexOf("* ") + 2) : "");
      code.append('\n');
    }
    return code.toString();
  }

  private static void run(Path dir, String name, String sourcePath, List<String> shownClassNames)
      throws Exception {
    String source =
        "import io.dime.api.*;\n"
            + "import io.dime.api.run.*;\n"
            + "import io.dime.report.*;\n"
            + "import java.nio.file.Path;\n"
            + "import java.util.*;\n"
            + "public class "
            + name
            + " {\n"
            + "  public static void run(List<ExplainResult> results, Path out,"
            + " RunSummary runSummary, List<String> classNames) throws Exception {\n"
            + example(sourcePath)
            + "  }\n"
            + "}\n";
    Path classes = JavaSources.compile(dir, name, source, "the Javadoc example");
    List<ExplainResult> results =
        List.of(
            PagedReportTest.point("a", 1),
            Fixtures.errorLine("b", 2, "read", "bad value"),
            PagedReportTest.point("c", 3));
    RunSummary summary = Fixtures.summary(MODS, CLASSES);
    Path out = Files.createDirectories(dir.resolve("out"));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClassLoader())) {
      Method m =
          loader
              .loadClass(name)
              .getMethod("run", List.class, Path.class, RunSummary.class, List.class);
      m.invoke(null, results, out, summary, CLASSES);
    }
    String page = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(page.contains("bad value"), "the failed record's card");
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("report.html"), files.map(p -> p.getFileName().toString()).toList());
    }
    String expected =
        HtmlReport.render(
            ReportInput.of(summary, results.stream().map(DatapointReport::of).toList())
                .withClassNames(shownClassNames));
    assertEquals(expected, page, "the page of the records, as HtmlReport renders them");
  }

  private static ClassLoader getClassLoader() {
    return ReportJavadocExamplesTest.class.getClassLoader();
  }

  @Test
  void pagedReportsExampleWritesTheReport(@TempDir Path dir) throws Exception {
    run(dir, "PagedExample", "io/dime/report/PagedReport.java", List.of()); // sets none
  }

  @Test
  void htmlReportsExampleWritesTheReport(@TempDir Path dir) throws Exception {
    run(dir, "HtmlExample", "io/dime/report/HtmlReport.java", CLASSES);
  }
}
