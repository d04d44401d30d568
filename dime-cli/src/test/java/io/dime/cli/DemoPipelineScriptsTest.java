package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demos' committed pipeline files are the ones their Python scripts write: each line of the
 * script's {@code PIPELINE} template, its {@code {NAME}} fields filled with the script's constants,
 * is the committed file's line (a field that is an expression, such as the class names, is compared
 * up to it). The VQA pipeline's header named {@code dist/src/main/python/fashion_vqa.py}, where the
 * script had been before it moved, which users were sent to look for.
 */
class DemoPipelineScriptsTest {
  private static final Path ROOT = Path.of("..");
  private static final Path FASHION =
      ROOT.resolve("dime-demo/src/main/resources/io/dime/demo/fashion");
  private static final Path PYTHON = ROOT.resolve("dime-reproduce/src/main/python");
  private static final String BEGIN = "PIPELINE = f\"\"\"\\\n";
  private static final Pattern CONSTANT =
      Pattern.compile("^([A-Z][A-Z0-9_]*) = (\\d+)$", Pattern.MULTILINE);
  private static final Pattern FIELD = Pattern.compile("\\{([A-Z][A-Z0-9_]*)\\}");

  @Test
  void theVqaPipelineIsTheOneFashionVqaPyWrites() throws IOException {
    assertWrittenBy(FASHION.resolve("pipeline.yaml"), PYTHON.resolve("fashion_vqa.py"));
  }

  @Test
  void theMatchPipelineIsTheOneFashionMatchPyWrites() throws IOException {
    assertWrittenBy(FASHION.resolve("match-pipeline.yaml"), PYTHON.resolve("fashion_match.py"));
  }

  private static void assertWrittenBy(Path pipeline, Path script) throws IOException {
    String py = Files.readString(script, StandardCharsets.UTF_8);
    int begin = py.indexOf(BEGIN);
    assertTrue(begin >= 0, script + " has a PIPELINE template");
    int end = py.indexOf("\"\"\"", begin + BEGIN.length());
    List<String> template = py.substring(begin + BEGIN.length(), end).lines().toList();
    Map<String, String> constants = new HashMap<>();
    Matcher c = CONSTANT.matcher(py);
    while (c.find()) {
      constants.put(c.group(1), c.group(2));
    }
    List<String> committed = Files.readAllLines(pipeline, StandardCharsets.UTF_8);
    assertEquals(template.size(), committed.size(), "lines of " + pipeline + " and " + script);
    for (int i = 0; i < template.size(); i++) {
      String want = template.get(i).replace("{{", "\u0001").replace("}}", "\u0002");
      Matcher f = FIELD.matcher(want);
      StringBuilder filled = new StringBuilder();
      while (f.find()) {
        String value = constants.get(f.group(1));
        f.appendReplacement(filled, Matcher.quoteReplacement(value != null ? value : f.group()));
      }
      f.appendTail(filled);
      want = filled.toString();
      String got = committed.get(i);
      int expression = want.indexOf('{');
      String where = pipeline + " line " + (i + 1) + " against " + script;
      if (expression >= 0) {
        String prefix = braces(want.substring(0, expression));
        assertEquals(prefix, got.substring(0, Math.min(got.length(), prefix.length())), where);
      } else {
        assertEquals(braces(want), got, where);
      }
    }
  }

  /** The template's doubled braces, held as control characters while fields are filled. */
  private static String braces(String s) {
    return s.replace('\u0001', '{').replace('\u0002', '}');
  }
}
