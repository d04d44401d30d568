package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What dime explain says when its output folder is not as it left it. */
class OutputFolderFaultsTest {
  /**
   * A file the job cannot write after its work began fails the job (exit 3) with a sentence naming
   * the file and the problem. Before, the file system's exception reached the message as it was:
   * "the job failed: OUT/report.html.cards.tmp (the records ...", a bare path, or, where a sink's
   * failure came wrapped, with Java's class name ("java.nio.file.NoSuchFileException: ...", the
   * folder deleted while the job ran).
   */
  @Test
  void aFileTheJobCannotWriteIsNamedWithItsProblemInWords(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    Path cards = Files.createDirectories(dir.resolve("out").resolve("report.html.cards.tmp"));
    Files.writeString(cards.resolve("keep.txt"), "not the report's");
    Map.Entry<Integer, String> r = CliFixtures.run(ExplainCommandTest.args(dir));
    assertEquals(3, r.getKey(), r.getValue());
    assertTrue(
        r.getValue()
            .contains(
                "dime: the job failed: " + cards + ": a folder that is not empty (the records"),
        r.getValue());
    assertFalse(r.getValue().contains("java."), r.getValue());
  }

  /**
   * --out a symbolic link to a folder that does not exist (an unmounted disk, a deleted target),
   * itself or above it: a usage error naming the link and its target, before any work. Before, it
   * was "dime: out: already exists".
   */
  @Test
  void anOutThatIsALinkToNothingIsRefusedNamingTheLink(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    Path gone = dir.resolve("unmounted");
    Path link = Files.createSymbolicLink(dir.resolve("out"), gone);
    for (Path out : new Path[] {link, link.resolve("run1")}) {
      String[] args = ExplainCommandTest.args(dir);
      args[java.util.Arrays.asList(args).indexOf("--out") + 1] = out.toString();
      Map.Entry<Integer, String> r = CliFixtures.run(args);
      assertEquals(2, r.getKey(), r.getValue());
      assertEquals(
          "dime: --out "
              + out
              + ": "
              + link
              + " is a symbolic link to "
              + gone
              + ", which does not exist; make that folder, or give another --out",
          r.getValue().strip());
    }
    assertFalse(Files.exists(gone));
    // dime demo says the same (it was: "dime: OUT/fashion: already exists")
    Map.Entry<Integer, String> demo =
        CliFixtures.run(new String[] {"demo", "--inputs-only", "--out", link.toString()});
    assertEquals(2, demo.getKey(), demo.getValue());
    assertEquals(
        "dime: --out "
            + link
            + ": "
            + link
            + " is a symbolic link to "
            + gone
            + ", which does not exist; make that folder, or give another --out",
        demo.getValue().strip());
    assertFalse(Files.exists(gone));
  }

  /**
   * A file of another tool under the name of one of the report's later pages (report-3.html) is
   * refused before any work, exit 2, the file as it was. Before, the job explained every record,
   * then failed (exit 3) when it drew the report, saying "a rerun resumes": the rerun refused it
   * again, after redrawing every card.
   */
  @Test
  void anotherToolsFileUnderAPageNameIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    Path page = Files.createDirectories(dir.resolve("out")).resolve("report-3.html");
    Files.writeString(page, "<html>my notes</html>");
    String[] base = ExplainCommandTest.args(dir);
    String[] args = java.util.Arrays.copyOf(base, base.length + 2);
    args[base.length] = "--report-page-cards";
    args[base.length + 1] = "2";
    Map.Entry<Integer, String> r = CliFixtures.run(args);
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(
        r.getValue()
            .contains(
                page
                    + " exists and was not written by DIME (no DIME report mark at its top), and"
                    + " this run's report needs that name for one of its pages; move the file, or"
                    + " choose another --out. Nothing was explained"),
        r.getValue());
    assertEquals("<html>my notes</html>", Files.readString(page));
    assertFalse(Files.exists(dir.resolve("out").resolve("explanations.jsonl")));
    // moved away, the same command explains and writes its pages
    Files.move(page, dir.resolve("notes.html"));
    r = CliFixtures.run(args);
    assertEquals(1, r.getKey(), r.getValue()); // the manifest's bad lines
    assertTrue(Files.exists(page));
  }

  /**
   * A report that cannot be written for want of space names its file: "cannot write
   * OUT/again.html.cards.tmp: File too large" (a size limit; a full disk says "No space left on
   * device"). Before, the message was the bare "dime: File too large", naming nothing. Run in a JVM
   * of its own under a file size limit (ulimit -f, which the JVM turns into that error).
   */
  @Test
  void aReportThatRunsOutOfSpaceNamesItsFile(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    assertEquals(1, CliFixtures.run(ExplainCommandTest.args(dir)).getKey());
    Path again = dir.resolve("again.html");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "ulimit -f 20; exec \"$@\"",
                "bash",
                javaBin,
                "-XX:-UsePerfData",
                "-cp",
                cp,
                Main.class.getName(),
                "report",
                dir.resolve("out").toString(),
                "--report",
                again.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), out);
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("dime: cannot write " + again + ".cards.tmp: File too large"), out);
    assertFalse(Files.exists(again), out);
  }

  /**
   * --log-json naming one of the run's inputs or files is a usage error before any work, the file
   * as it was. Before, the log's lines were appended to a manifest given there (which a later run
   * read as records, one of them under a record's id), to the model file, or to
   * OUT/explanations.jsonl, whose rewrite then dropped them.
   */
  @Test
  void aLogThatIsAnInputOrARunFileIsRefused(@TempDir Path dir) throws Exception {
    Path data = ExplainCommandTest.write(dir);
    byte[] manifest = Files.readAllBytes(data);
    String[] base = ExplainCommandTest.args(dir);
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        data.toString(),
        "is the --data manifest: the log would be appended to it; give another file");
    cases.put(
        dir.resolve("pipeline.yaml").toString(),
        "is the --pipeline file: the log would be appended to it; give another file");
    cases.put(
        base[java.util.Arrays.asList(base).indexOf("--model") + 1].substring("onnx:".length()),
        "is the --model file: the log would be appended to it; give another file");
    for (String name : List.of("explanations.jsonl", "summary.json", "report-2.html")) {
      cases.put(
          dir.resolve("out").resolve(name).toString(),
          "is a file this run writes in --out; give another file, such as "
              + dir.resolve("out").resolve("log.jsonl"));
    }
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String[] args = java.util.Arrays.copyOf(base, base.length + 2);
      args[base.length] = "--log-json";
      args[base.length + 1] = c.getKey();
      Map.Entry<Integer, String> r = CliFixtures.run(args);
      assertEquals(2, r.getKey(), r.getValue());
      assertEquals("dime: --log-json " + c.getKey() + " " + c.getValue(), r.getValue().strip());
    }
    assertTrue(java.util.Arrays.equals(manifest, Files.readAllBytes(data)));
    assertFalse(Files.exists(dir.resolve("out").resolve("explanations.jsonl")));
  }

  /**
   * A manifest or pipeline kept in --out under the name of a file the run writes is refused before
   * any work, as it was. Before, --data OUT/summary.json was explained and then replaced by the
   * run's summary (the manifest lost), and --data OUT/explanations.jsonl was refused as
   * "explanations made with other settings ('batchSize' differs ...)".
   */
  @Test
  void anInputUnderTheNameOfARunFileIsRefused(@TempDir Path dir) throws Exception {
    Path data = ExplainCommandTest.write(dir);
    Path out = Files.createDirectories(dir.resolve("out"));
    for (String name : List.of("summary.json", "explanations.jsonl")) {
      Path inOut = Files.copy(data, out.resolve(name));
      String[] args = ExplainCommandTest.args(dir);
      args[java.util.Arrays.asList(args).indexOf("--data") + 1] = inOut.toString();
      Map.Entry<Integer, String> r = CliFixtures.run(args);
      assertEquals(2, r.getKey(), r.getValue());
      assertEquals(
          "dime: --data "
              + inOut
              + " is a file this run writes in --out, which would replace it; move it out of "
              + out
              + ", or choose another --out",
          r.getValue().strip());
      assertTrue(java.util.Arrays.equals(Files.readAllBytes(data), Files.readAllBytes(inOut)));
      Files.delete(inOut);
    }
  }
}
