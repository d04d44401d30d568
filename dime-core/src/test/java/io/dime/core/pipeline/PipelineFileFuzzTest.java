package io.dime.core.pipeline;

import io.dime.testkit.fuzz.Fuzz;
import io.dime.testkit.fuzz.Mutator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the pipeline reader (bounded for CI; {@code -Pfuzz} runs longer): a mutated pipeline file
 * is read into a pipeline with named modalities, or refused with an {@link
 * IllegalArgumentException} naming the file; never another exception, a hang or a blow-up (aliases,
 * nesting and sizes are limited). Messages name the file as given (a relative path), never an
 * absolute one.
 *
 * <p>CI runs 600 tries (about 5 s on 2 cores). A long run: {@code ./mvnw -o -B install
 * -Djacoco.skip -pl dime-core -am -Dtest=PipelineFileFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddime.fuzz.scale=100 -Ddime.fuzz.maxSeconds=1800} (add
 * {@code -Ddime.fuzz.seed=random} for new inputs).
 */
@Tag("fuzz")
class PipelineFileFuzzTest {
  static List<byte[]> pipelines() {
    return Mutator.utf8(
        "# a pipeline\n"
            + "modalities:\n"
            + "  - name: image\n"
            + "    plugin: image\n"
            + "    settings: {segments: 16, maxPixels: 1000000}\n"
            + "  - name: question\n"
            + "    plugin: text\n"
            + "    settings:\n"
            + "      vocab: vocab.txt\n"
            + "      maxChars: 100000\n"
            + "output: logits\n"
            + "outputKind: logits\n"
            + "classNames: [\"no\", \"yes\"]\n",
        "{\"modalities\": [{\"name\": \"d1\", \"plugin\": \"vector\", \"settings\": {\"length\": 3,"
            + " \"baseline\": [0, 0.5, -1e3]}}], \"outputKind\": \"probabilities\","
            + " \"classNames\": [\"a\", \"\\u00e9\"]}\n",
        "modalities:\n"
            + "  - name: a\n"
            + "    plugin: vector\n"
            + "    settings: &s {length: 3, input: a}\n"
            + "  - name: b\n"
            + "    plugin: vector\n"
            + "    settings: {length: 2}\n"
            + "outputKind: >-\n"
            + "  regression\n"
            + "classNames:\n"
            + "  - 'c d'\n"
            + "  - \"\u00e9\"\n");
  }

  private static final List<byte[]> YAML_TOKENS =
      Mutator.utf8(
          "&a ",
          "*a",
          "*s",
          "<<: *s\n",
          "!!java.net.URL [\"http://x\"]",
          "!!binary ",
          "!!float ",
          "!<tag:yaml.org,2002:str> ",
          "---\n",
          "...\n",
          "? ",
          "|\n",
          ">-\n",
          "%YAML 1.1\n",
          "- ",
          ": ",
          "~",
          "0o17",
          "0x1F",
          ".inf",
          ".nan",
          "yes",
          "on",
          "2001-12-14t21:59:43.10-05:00",
          "  ",
          "\t",
          "- [",
          "{a: ",
          "[a, ",
          "name: id\n",
          "plugin: \n",
          "settings: null\n",
          "outputKind: giraffe\n",
          "modalities: []\n",
          "modalities:\n  - ~\n",
          "'",
          "''");

  @Test
  void mutatedPipelinesAreReadOrRefusedNamingTheFile() throws Exception {
    Path file = Fuzz.workFile("pipeline.yaml");
    Fuzz.of("pipeline", new Mutator(pipelines(), Mutator.join(Mutator.TEXT_TOKENS, YAML_TOKENS)))
        .tries(600)
        .timeout(Duration.ofSeconds(10))
        .maxAllocatedBytes(512L << 20)
        .run(
            input -> {
              Files.write(file, input);
              PipelineFile p;
              try {
                p = PipelineFile.read(file);
              } catch (IllegalArgumentException e) {
                return Fuzz.checkMessage(e, "pipeline " + file);
              }
              for (PipelineFile.ModalitySpec m : p.modalities()) {
                if (m.name().isBlank() || m.plugin().isBlank()) {
                  throw new AssertionError("pipeline: a modality without a name or plugin: " + m);
                }
              }
              p.kind();
              return "read";
            });
  }

  /** The seeds are valid: the fuzzing starts from pipelines that are read. */
  @Test
  void theSeedsAreRead(@TempDir Path dir) throws Exception {
    for (byte[] b : pipelines()) {
      Path f = dir.resolve("p.yaml");
      Files.write(f, b);
      PipelineFile.read(f);
    }
  }
}
