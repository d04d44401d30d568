package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's walkthrough ("Explaining your own model") as written: every {@code bash} block
 * between the {@code walkthrough:begin} and {@code walkthrough:end} markers runs in order, in one
 * fresh directory, with {@code ./dime} standing for this build's command line.
 */
class ReadmeWalkthroughTest {
  private static final Pattern BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

  static List<String> blocks(String readme) {
    return blocks(readme, "walkthrough");
  }

  /** The bash blocks between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}. */
  static List<String> blocks(String readme, String name) {
    int begin = readme.indexOf("<!-- " + name + ":begin -->");
    int end = readme.indexOf("<!-- " + name + ":end -->");
    assertTrue(begin >= 0 && end > begin, "README.md has the " + name + " markers");
    List<String> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme.substring(begin, end));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Runs a marked section's bash blocks in order in {@code dir}; returns the transcript. */
  static String run(Path dir, String name, int atLeast) throws Exception {
    Path readme = Path.of("..", "README.md");
    List<String> blocks = blocks(Files.readString(readme, StandardCharsets.UTF_8), name);
    assertTrue(blocks.size() >= atLeast, "the " + name + " has its steps: " + blocks.size());
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path dime = dir.resolve("dime");
    Files.writeString(
        dime,
        "#!/bin/sh\nexec '"
            + java
            + "' -cp '"
            + cp.replace("'", "'\\''")
            + "' io.dime.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(dime, PosixFilePermissions.fromString("rwxr-xr-x"));

    StringBuilder transcript = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      String block = blocks.get(i);
      Path script = dir.resolve("step" + i + ".sh");
      Files.writeString(script, "set -euo pipefail\n" + block);
      Path log = dir.resolve("step" + i + ".log");
      Process p =
          new ProcessBuilder("bash", script.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean finished = p.waitFor(10, TimeUnit.MINUTES);
      if (!finished) {
        p.destroyForcibly();
      }
      String output = Files.readString(log);
      transcript.append("$ ").append(block).append(output);
      assertTrue(finished, "step " + i + " timed out:\n" + block);
      assertEquals(0, p.exitValue(), "step " + i + " failed:\n" + block + "\n" + output);
    }
    return transcript.toString();
  }

  @Test
  void theWalkthroughRunsAsWritten(@TempDir Path dir) throws Exception {
    String all = run(dir, "walkthrough", 4);
    // inspect-model printed the demo model's inputs
    assertTrue(all.contains("input_ids"), all);
    // The run the walkthrough makes: every record explained, a report written.
    Path out = dir.resolve("my-run/out");
    assertTrue(Files.isRegularFile(out.resolve("report.html")), all);
    List<String> lines = Files.readAllLines(out.resolve("explanations.jsonl"));
    assertFalse(lines.isEmpty());
    for (String l : lines) {
      JsonNode n = Json.mapper().readTree(l);
      assertFalse(n.has("error"), "record failed: " + l);
    }
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(lines.size(), summary.at("/counts/explained").asInt());
  }

  @Test
  void theVectorExampleRunsAsWritten(@TempDir Path dir) throws Exception {
    String all = run(dir, "vectors", 3);
    Path out = dir.resolve("vec-run/out");
    List<String> lines = Files.readAllLines(out.resolve("explanations.jsonl"));
    assertEquals(3, lines.size(), all);
    for (String l : lines) {
      JsonNode n = Json.mapper().readTree(l);
      assertFalse(n.has("error"), "record failed: " + l);
      assertEquals(10, n.at("/featureMaps/d1/entries").size(), l.substring(0, 200));
    }
  }
}
