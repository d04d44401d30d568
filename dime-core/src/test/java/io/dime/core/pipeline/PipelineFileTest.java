package io.dime.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline files are configuration from users' disks: read as plain records, and hostile ones (a
 * "billion laughs" of aliases, deep nesting, a huge file, a Java type tag) are refused with a
 * message naming the file, quickly and without running out of memory.
 */
class PipelineFileTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private void refused(Path file, String fragment) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(file));
    assertTrue(e.getMessage().contains("pipeline " + file), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void anOrdinaryPipelineIsRead() throws IOException {
    PipelineFile p =
        PipelineFile.read(
            write(
                "ok.yaml",
                "modalities:\n  - name: d1\n    plugin: vector\n    settings: {length: 3}\n"
                    + "outputKind: logits\nclassNames: [\"no\", \"yes\"]\n"));
    assertEquals("d1", p.modalities().get(0).name());
    assertEquals(java.util.List.of("no", "yes"), p.classNames());
  }

  @Test
  void aBillionLaughsIsRefused() throws IOException {
    StringBuilder y =
        new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        y.append(i == 0 ? "" : ",").append('*').append(p);
      }
      y.append("]\n");
    }
    y.append("modalities:\n  - name: x\n    plugin: vector\n    settings: {length: 1, s: *j}\n");
    refused(write("laughs.yaml", y.toString()), "cannot read");
  }

  @Test
  void deepNestingAHugeFileAndTypeTagsAreRefused() throws IOException {
    refused(write("deep.yaml", "modalities: " + "[".repeat(200) + "]".repeat(200) + "\n"), "");
    Path big = dir.resolve("big.yaml");
    Files.write(big, new byte[(int) PipelineFile.MAX_BYTES + 1]);
    refused(big, "a pipeline file may have at most 1048576");
    refused(
        write(
            "tag.yaml",
            "modalities:\n  - name: x\n    plugin: vector\n    settings: !!java.net.URL"
                + " [\"http://example.invalid\"]\n"),
        "cannot read");
  }

  /**
   * A pipeline path that is not a file is refused naming the file and what it is, before it is
   * opened: a FIFO blocked the command forever, /dev/zero ran it out of memory with a stack trace
   * (both report a size of 0), and a missing file's message was the path alone.
   */
  @Test
  void aPipelinePathThatIsNotARegularFileIsRefusedUnopened() throws Exception {
    Path fifo = dir.resolve("pipe.yaml");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is available");
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20),
        () -> refused(fifo, "not a regular file (a pipe, socket or device)"));
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero), "/dev/zero exists");
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20),
        () -> refused(zero, "not a regular file (a pipe, socket or device)"));
    refused(
        dir.resolve("missing.yaml"),
        "cannot read pipeline " + dir.resolve("missing.yaml") + ": no such file");
    Files.createDirectory(dir.resolve("folder.yaml"));
    refused(dir.resolve("folder.yaml"), ": it is a directory");
    Path loop = dir.resolve("loop.yaml");
    Files.createSymbolicLink(loop, dir.resolve("loop2.yaml"));
    Files.createSymbolicLink(dir.resolve("loop2.yaml"), loop);
    refused(loop, ": a symbolic link that leads to no file (a missing target or a loop)");
  }

  /**
   * A second YAML document after the first is refused: it was silently ignored, so two pipelines
   * concatenated into one file ran the first alone. A file that only ends with a document marker is
   * still one pipeline.
   */
  @Test
  void aSecondDocumentIsRefusedNotIgnored() throws IOException {
    String one =
        "modalities:\n  - name: d1\n    plugin: vector\n    settings: {length: 3}\n"
            + "outputKind: logits\n";
    refused(
        write("two.yaml", one + "---\nmodalities: []\n"),
        "a second YAML document (after '---') or more text; a pipeline file holds one document"
            + " (line 7");
    refused(write("json.yaml", "{\"modalities\": []} {\"output\": \"y\"}\n"), "cannot read");
    assertEquals(
        "d1",
        PipelineFile.read(write("marked.yaml", "---\n" + one + "...\n"))
            .modalities()
            .get(0)
            .name());
  }

  /**
   * Bytes that are not UTF-8 are refused naming the line and the byte, and the parser's limits are
   * named without its method names (they read "java.io.CharConversionException: Invalid UTF-8 start
   * byte 0xff (at char #241, byte #-1) (line 1, column 1)" and "... (20, from
   * `StreamReadConstraints.getMaxNestingDepth()`)").
   */
  @Test
  void bytesThatAreNotUtf8AndTheParsersLimitsAreNamedPlainly() throws IOException {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(
        latin1,
        "modalities:\n  - name: caf\u00e9\n    plugin: vector\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    refused(
        latin1,
        ": not UTF-8 text: line 2, byte 14 (0xE9) cannot start or continue a character; save the"
            + " file as UTF-8");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PipelineFile.read(
                    write(
                        "deep.yaml",
                        "modalities:\n  - name: x\n    plugin: vector\n    settings: {a: "
                            + "[".repeat(30)
                            + "]".repeat(30)
                            + "}\n")));
    assertTrue(
        e.getMessage().endsWith("Document nesting depth (21) exceeds the maximum allowed (20)"),
        e.getMessage());
  }

  /** A key given twice (a setting written twice, two outputs) is refused, not the last taken. */
  @Test
  void aKeyGivenTwiceIsRefused() throws IOException {
    refused(
        write(
            "twice.yaml",
            "modalities:\n  - name: d1\n    plugin: vector\n    settings:\n      length: 3\n"
                + "      length: 4\noutputKind: logits\n"),
        "Duplicate field 'length'");
    refused(
        write(
            "twice.json",
            "{\"modalities\": [{\"name\": \"d1\", \"plugin\": \"vector\", \"settings\": {}}],"
                + " \"output\": \"y\", \"output\": \"z\"}"),
        "Duplicate field 'output'");
  }

  /**
   * Two modalities of one name are refused naming it: each is a field of the manifest's lines, so
   * the second could never get its own value (before: every pool record was skipped with "modality
   * 'image' expects Image, found String", then "the reference pool has no readable records").
   */
  @Test
  void twoModalitiesOfOneNameAreRefused() throws IOException {
    refused(
        write(
            "same.yaml",
            "modalities:\n  - name: image\n    plugin: image\n  - name: d\n    plugin: vector\n"
                + "  - name: image\n    plugin: text\noutputKind: logits\n"),
        "two modalities are named 'image' (modality 2); each name is a field of the manifest");
  }

  /**
   * Class names given twice made every label of either name class 0 and the summary's shares lose a
   * class; a null name crashed later with a NullPointerException; an empty one was reported as a
   * class no --classes could name. All are refused on reading.
   */
  @Test
  void classNamesGivenTwiceNullOrEmptyAreRefused() throws IOException {
    String head = "modalities:\n  - name: d1\n    plugin: vector\noutputKind: logits\n";
    refused(
        write("twice.yaml", head + "classNames: [\"a\", \"same\", \"b\", \"same\"]\n"),
        "classNames has 'same' twice (entries 1 and 3); each name labels one class and must be"
            + " unique");
    refused(
        write("null.yaml", head + "classNames: [null, \"b\"]\n"),
        "classNames entry 0 is null; give every class a name");
    // an empty name was taken: the class was reported as '', which --classes cannot name
    refused(
        write("empty.yaml", head + "classNames: [\"a\", \"\"]\n"),
        "classNames entry 1 is '', an empty name; give every class a name");
    refused(
        write("blank.yaml", head + "classNames: [\" \", \"b\"]\n"),
        "classNames entry 0 is ' ', an empty name; give every class a name");
  }

  /** Found by PipelineFileFuzzTest: an unknown outputKind was refused without naming the file. */
  @Test
  void anUnknownOutputKindIsRefusedNamingTheFile() throws IOException {
    Path f =
        write(
            "kind.yaml",
            "modalities:\n  - name: i\n    plugin: i\n    settings: {}\n  - name: n\n"
                + "    plugin: t\n    settings:\n     b:\n     m:\noutputKind: s\n"
                + "classNames: [s]");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(f));
    assertEquals(
        "pipeline " + f + ": outputKind is 's'; allowed: logits, probabilities, regression, auto",
        e.getMessage());
  }

  /**
   * A whole number in a plugin's settings written otherwise than its digits reached the plugin as
   * Java renders the number the parser made of it: {@code input: 007} named a tensor "7", {@code
   * 0x1F} one "31", and {@code 010} is 8 (YAML 1.1's octal; YAML 1.2 reads 10). It is refused
   * naming the setting; the pipeline's own names ({@code output}, {@code classNames}) keep what was
   * written.
   */
  @Test
  void aWholeNumberWrittenOtherwiseThanItsDigitsIsRefusedInSettings() throws IOException {
    String[][] cases = {
      {"{input: 007}", "'modalities[0].settings.input': 007 is read as the number 7"},
      {"{segments: 010}", "'modalities[0].settings.segments': 010 is read as the number 8"},
      {"{input: 0x1F}", "'modalities[0].settings.input': 0x1F is read as the number 31"},
      {"{maxPixels: 1_000}", "'modalities[0].settings.maxPixels': 1_000 is read as the number"},
      {"{n: +5}", "'modalities[0].settings.n': +5 is read as the number 5"},
      {"{std: [1, 0b11]}", "'modalities[0].settings.std[1]': 0b11 is read as the number 3"},
      {"{a: {b: [-0]}}", "'modalities[0].settings.a.b[0]': -0 is read as the number 0"},
    };
    for (String[] c : cases) {
      Path f =
          write("n.yaml", "modalities:\n  - name: v\n    plugin: vector\n    settings: " + c[0]);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(f), c[0]);
      assertTrue(
          e.getMessage().startsWith("cannot read pipeline " + f + ": " + c[1]), e.getMessage());
      assertTrue(
          e.getMessage().contains("; write a name in quotes, a number as its digits (line 4,"),
          e.getMessage());
    }
    PipelineFile p =
        PipelineFile.read(
            write(
                "ok.yaml",
                "modalities:\n  - name: v\n    plugin: vector\n    settings: {input: 5, k: 1e3,"
                    + " neg: -3, zero: 0, big: 99999999999999999999, std: [1, 2.5]}\n"
                    + "output: 007\nclassNames: [007, yes, 1e3, 0x1F]\n"));
    assertEquals(
        java.util.Arrays.asList(
            5, 1000.0, -3, 0, new java.math.BigInteger("99999999999999999999"), List.of(1, 2.5)),
        List.copyOf(p.modalities().get(0).settings().values()));
    assertEquals("007", p.output());
    assertEquals(List.of("007", "yes", "1e3", "0x1F"), p.classNames());
  }

  /**
   * YAML's {@code .nan} and {@code .inf} in a plugin's settings stop the parser; the message names
   * the setting and says how to write a name (a tensor named ".nan") or a number.
   */
  @Test
  void aNotANumberOrInfinityInSettingsSaysToQuoteAName() throws IOException {
    for (String v : List.of(".nan", ".inf", "-.inf", ".NaN")) {
      Path f =
          write(
              "nan.yaml",
              "modalities:\n  - name: v\n    plugin: vector\n    settings: {input: " + v + "}\n");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(f), v);
      assertTrue(
          e.getMessage()
              .startsWith("cannot read pipeline " + f + ": 'modalities[0].settings.input'"),
          e.getMessage());
      assertTrue(
          e.getMessage().contains(v + " is not a finite number; write a name in quotes"),
          e.getMessage());
    }
  }

  /** A blank output or outputKind read as if it were left out: a typo went unseen. */
  @Test
  void aBlankOutputOrOutputKindIsRefused() throws IOException {
    String ok = "modalities:\n  - name: v\n    plugin: vector\n    settings: {length: 3}\n";
    Path f = write("blank.yaml", ok + "output: \"\"\n");
    assertEquals(
        "pipeline "
            + f
            + ": output is blank; name a model output, or leave output out when the model has"
            + " one",
        assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(f)).getMessage());
    Path g = write("blank-kind.yaml", ok + "outputKind: \" \"\n");
    assertEquals(
        "pipeline "
            + g
            + ": outputKind is blank; allowed: logits, probabilities, regression, auto (or leave"
            + " it out)",
        assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(g)).getMessage());
  }

  /**
   * Found by PipelineFileFuzzTest: a long scalar where the pipeline should be was quoted whole by
   * the parser, giving a message of thousands of characters; it is cut.
   */
  @Test
  void aLongScalarIsQuotedShortly() throws IOException {
    Path f = dir.resolve("long.yaml");
    try (java.io.InputStream in =
        getClass().getResourceAsStream("/fuzz/pipeline-long-scalar.yaml")) {
      Files.write(f, in.readAllBytes()); // the exact input, 3860 bytes
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(f));
    String m = e.getMessage();
    assertEquals(
        "cannot read pipeline " + f + ": the file must be a mapping of keys (line 1, column 1)", m);
  }

  /**
   * A parse failure says which key, where, and what was expected, in the file's terms: no Java
   * class names, no parser-feature advice.
   */
  @Test
  void parseProblemsNameTheKeyThePlaceAndWhatWasExpected() throws IOException {
    String ok = "modalities:\n  - name: v\n    plugin: vector\n    settings: {length: 3}\n";
    String[][] cases = {
      {
        "modalities:\n  - name: v\n    plugin: vector\n    setings: {length: 3}\n",
        "unknown key 'setings' in modalities[0]; allowed there: name, plugin, settings"
      },
      {
        ok + "outptu: logits\n",
        "unknown key 'outptu'; allowed there: classNames, modalities, output, outputKind, targets"
      },
      {"modalities: [\n", "not valid YAML: expected the node content, but found '<stream end>'"},
      {"modalities: 3\n", "'modalities' must be a list (line 1, column 13)"},
      {ok + "classNames: {a: 1}\n", "'classNames' must be a list (line 5, column 13)"},
      {"modalities:\n  - name: [v]\n    plugin: vector\n", "'modalities[0].name' must be a string"},
      // a fraction was cut to a whole number without a word; past an int the message named no key
      {
        ok + "targets: [{name: t, output: y, sequence: ctc, blank: 1.5}]\n",
        "'targets[0].blank' must be a whole number (line 5, column 54)"
      },
      {
        ok + "targets: [{name: t, output: y, sequence: ctc, blank: 2147483648}]\n",
        "'targets[0].blank': Numeric value (2147483648) out of range of int (-2147483648 -"
            + " 2147483647) (line 5, column 64)"
      },
      {
        ok + "targets: [{name: t, output: y, sequence: ctc, blank: 1e300}]\n",
        "'targets[0].blank' must be a whole number (line 5, column 54)"
      },
      {
        ok + "targets: [{name: t, output: y, select: [.nan]}]\n",
        "'targets[0].select[0]': Malformed numeric value '.nan' (line 5, column 45)"
      },
    };
    for (String[] c : cases) {
      Path f = write("p.yaml", c[0]);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PipelineFile.read(f));
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
      assertTrue(
          !e.getMessage().contains("io.dime") && !e.getMessage().contains("java."), e.getMessage());
    }
  }

  /**
   * Hostile values in a pipeline's targets are refused when the file is read, naming the file, the
   * target and the problem; never another exception.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        // explained the output's classes instead, as if targets were left out
        "[]|targets is an empty list; list at least one target, or leave targets out to explain"
            + " the output's classes",
        // List.copyOf threw a NullPointerException with no message
        "[{name: t, output: y, select: [null]}]|"
            + "target 't': selector 0 is empty (null); give an index (3, -1) or a slice",
        "[{name: t, output: y, select: [0, ~]}]|target 't': selector 1 is empty (null)",
        // "is neither an index (3, -1) nor a slice" of an index past an int
        "[{name: t, output: y, select: [2147483648]}]|target 't': selector '2147483648' goes past"
            + " the integers a selector takes (-2147483648 to 2147483647)",
        "[{name: t, output: y, select: [\"-2147483649:\"]}]|selector '-2147483649:' goes past",
        "[{name: t, output: y, select: [\":99999999999\"]}]|selector ':99999999999' goes past",
        "[{name: t, output: y, select: [1.5]}]|selector '1.5' is neither an index (3, -1) nor a"
            + " slice",
        "[{name: t, output: y, select: [\"1:2:3\"]}]|selector '1:2:3' is neither an index",
        // the refusal named the value alone: "is a reduction but also sets logits"
        "[{name: t, output: y, steps: logits}]|"
            + "target 't' is a reduction but also sets steps (logits), which belongs to another",
        "[{name: t, output: y, blank: 0}]|target 't' is a reduction but also sets blank (0)",
        "[{name: t, output: y, sequence: ctc, reduce: mean}]|"
            + "target 't' is a sequence but also sets reduce (mean)",
        "[{name: t, similarity: dot, outputs: [a, b], output: a}]|"
            + "target 't' is a similarity but also sets output (a)",
        // a blank value read as the key's default: a typo went unseen
        "[{name: t, output: y, reduce: \"\"}]|target 't': reduce is blank; leave reduce out for"
            + " its default, or give it a value",
        "[{name: t, output: y, sequence: \" \"}]|target 't': sequence is blank",
        "[{name: t, output: y, sequence: ctc, steps: \"\"}]|target 't': steps is blank",
        "[{name: t, similarity: \"\", outputs: [a, b]}]|target 't': similarity is blank",
        "[{name: t, output: \"\"}]|target 't': output is blank",
        "[{name: t, similarity: dot, outputs: [a, \" \"]}]|target 't': outputs entry 1 is blank;"
            + " name a model output",
      })
  void aHostileTargetIsRefusedNamingTheTargetAndTheProblem(String targets, String message)
      throws IOException {
    refused(
        write(
            "p.yaml",
            "modalities:\n  - name: v\n    plugin: vector\n    settings: {length: 3}\n"
                + "targets: "
                + targets
                + "\n"),
        message);
  }
}
