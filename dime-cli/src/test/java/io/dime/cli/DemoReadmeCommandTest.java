package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command in the README that {@code dime demo} copies beside the demo's inputs runs in the
 * folder it is copied to: it named {@code ../models/fashion_vqa.onnx}, the repository's layout,
 * where the unpacked folder has the model beside the README.
 */
class DemoReadmeCommandTest {
  private static final Pattern SH = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Set<String> FILES = Set.of("--model", "--pipeline", "--data", "--pool");

  @Test
  void theUnpackedReadmeCommandRunsWhereItIsCopied(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("dime-out");
    assertEquals(0, Main.run("demo", "--inputs-only", "--quiet", "--out", out.toString()));
    Path folder = out.resolve("fashion");
    String readme = Files.readString(folder.resolve("README.md"), StandardCharsets.UTF_8);
    String command = null;
    Matcher m = SH.matcher(readme);
    while (m.find()) {
      if (m.group(1).contains("dime explain")) {
        command = m.group(1);
      }
    }
    assertTrue(command != null, "the README gives a dime explain command");
    String[] words = command.replace("\\\n", " ").trim().split("\\s+");
    assertEquals("dime", words[0]);
    List<String> args = new ArrayList<>();
    for (int i = 1; i < words.length; i++) {
      String w = words[i];
      if (i > 1 && (FILES.contains(words[i - 1]) || "--out".equals(words[i - 1]))) {
        String prefix = w.startsWith("onnx:") ? "onnx:" : "";
        Path file = folder.resolve(w.substring(prefix.length()));
        if (!"--out".equals(words[i - 1])) {
          assertTrue(Files.isRegularFile(file), words[i - 1] + " " + w + " is in " + folder);
        }
        w = prefix + file;
      }
      args.add(w);
    }
    args.addAll(List.of("--samples", "20", "--references", "5", "--quiet"));
    assertEquals(0, Main.run(args.toArray(String[]::new)), String.join(" ", args));
    long lines = Files.readAllLines(folder.resolve("out").resolve("explanations.jsonl")).size();
    assertEquals(24, lines, "every demo record explained");
  }
}
