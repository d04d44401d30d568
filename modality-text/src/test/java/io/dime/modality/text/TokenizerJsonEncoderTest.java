package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dime.api.Tensor;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code tokenizer-json} encoder through the modality, on real tokenizer.json files, against
 * the ids Hugging Face's own library gives (see {@code hf.TokenizerJsonTest} for where they come
 * from): whole texts, truncation, words mapped to tokens, hidden words.
 */
class TokenizerJsonEncoderTest {
  static final String DIR = "io/dime/modality/text/hf/";

  @TempDir Path temp;

  static TextModality modality(String name, Object... settings) {
    Object[] all = Arrays.copyOf(settings, settings.length + 4);
    all[settings.length] = "encoder";
    all[settings.length + 1] = "tokenizer-json";
    all[settings.length + 2] = "tokenizer";
    all[settings.length + 3] = "classpath:" + DIR + name + "-tokenizer.json";
    return new TextModality("q", PluginConfig.of("modality 'q' (plugin text)", all));
  }

  static JsonNode reference(String name) throws IOException {
    try (InputStream in =
        TokenizerJsonEncoderTest.class
            .getClassLoader()
            .getResourceAsStream(DIR + name + "-reference.json")) {
      return new ObjectMapper().readTree(in).get("cases");
    }
  }

  static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  /** The ids before the padding (attention mask 1). */
  static int[] real(List<Tensor> tensors) {
    long[] ids = tensors.get(0).longs();
    long[] mask = tensors.get(1).longs();
    int n = 0;
    while (n < mask.length && mask[n] == 1) {
      n++;
    }
    return Arrays.stream(Arrays.copyOf(ids, n)).mapToInt(l -> (int) l).toArray();
  }

  static FeatureSet<String> featurize(TextModality m, String text) {
    return m.featurize(text, PoolStatistics.empty(), new SplittableRandom(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bert-minilm", "gpt2", "unigram-licences"})
  void idsAndTruncationEqualHuggingFaces(String name) throws IOException {
    TextModality full = modality(name, "maxLength", 512);
    TextModality sixteen = modality(name, "maxLength", 16);
    int cases = 0;
    for (JsonNode c : reference(name)) {
      String text = c.get("text").asText();
      List<Tensor> t = full.encoder().encode(text);
      assertArrayEquals(ints(c.get("ids")), real(t), name + ": " + text);
      long[] ids = t.get(0).longs();
      assertEquals(512, ids.length);
      for (int i = c.get("ids").size(); i < 512; i++) {
        assertEquals(full.provenance().get("padId"), (int) ids[i], "padding");
      }
      assertArrayEquals(
          ints(c.get("truncated16")), real(sixteen.encoder().encode(text)), "16: " + text);
      cases++;
    }
    assertEquals(33, cases);
  }

  /** The tokens of each word; every word token belongs to exactly one word. */
  static List<int[]> wordTokens(TextModality m, String text, FeatureSet<String> fs) {
    List<Span> spans = new ArrayList<>();
    TextFeatures tf = (TextFeatures) fs;
    for (int i = 0; i < tf.size(); i++) {
      spans.add(new Span(tf.text(i), tf.begin(i), tf.end(i)));
    }
    return ((TokenizerJsonEncoder) m.encoder()).wordTokens(text, spans);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bert-minilm", "gpt2", "unigram-licences"})
  void everyTokenOfAWordBelongsToExactlyOneWord(String name) throws IOException {
    TextModality m = modality(name, "maxLength", 512);
    int tokens = 0;
    int inWords = 0;
    int tail = 0;
    for (JsonNode c : reference(name)) {
      String text = c.get("text").asText();
      FeatureSet<String> fs = featurize(m, text);
      List<int[]> perWord = wordTokens(m, text, fs);
      boolean[] seen = new boolean[c.get("ids").size()];
      for (int[] positions : perWord) {
        for (int p : positions) {
          assertTrue(!seen[p], text + ": token " + p + " in two words");
          seen[p] = true;
        }
      }
      JsonNode specials = c.get("specialTokensMask");
      for (int p = 0; p < seen.length; p++) {
        if (specials.get(p).asInt() == 1) {
          assertTrue(!seen[p], text + ": special token " + p + " in a word");
          continue;
        }
        tokens++;
        JsonNode o = c.get("offsets").get(p);
        if (seen[p]) {
          inWords++;
        } else {
          // only the blank after the last word
          tail++;
          TextFeatures tf = (TextFeatures) fs;
          assertTrue(
              o.get(0).asInt() >= tf.end(tf.size() - 1)
                  && text.substring(o.get(0).asInt(), o.get(1).asInt()).isBlank(),
              name + ": token " + p + " of '" + text + "' is in no word");
        }
      }
    }
    assertEquals(tokens, inWords + tail);
    assertTrue(tail <= 4, name + ": " + tail + " tokens after the last word");
    System.out.println(
        name
            + ": "
            + inWords
            + " of "
            + tokens
            + " tokens in words, "
            + tail
            + " blank after the last word");
  }

  /**
   * Removing word w gives the full text's ids less exactly the tokens of word w, for each word
   * whose tokens lie within it and its leading gap, and whose removal leaves its neighbours as they
   * were: the next word keeps the whitespace before it (removing "and" from "A and, B" makes "A,"
   * whose comma a byte-level BPE merges with what precedes it, and removing "‘" from "and ‘single"
   * makes "andsingle"). The first word is checked for BERT only: after its removal a byte-level BPE
   * reads the new first word without the space it had ("Ġis" becomes "is"), and Metaspace gives a
   * leading comma a "▁" it did not have.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bert-minilm", "gpt2", "unigram-licences"})
  void hidingAWordHidesExactlyItsTokens(String name) throws IOException {
    TextModality m = modality(name, "maxLength", 512);
    int checked = 0;
    int words = 0;
    for (JsonNode c : reference(name)) {
      String text = c.get("text").asText();
      FeatureSet<String> fs = featurize(m, text);
      TextFeatures tf = (TextFeatures) fs;
      List<int[]> perWord = wordTokens(m, text, fs);
      int[] full = real(m.encoder().encode(text));
      for (int w = 0; w < tf.size(); w++) {
        words++;
        boolean nextKeepsItsGap =
            w + 1 == tf.size()
                || text.substring(tf.end(w), tf.begin(w + 1))
                    .chars()
                    .anyMatch(Character::isWhitespace);
        boolean first = w == 0 && !name.equals("bert-minilm");
        if (first || !nextKeepsItsGap || !ownsItsTokens(c, tf, perWord, w)) {
          continue;
        }
        boolean[] keep = new boolean[tf.size()];
        Arrays.fill(keep, true);
        keep[w] = false;
        int[] expected = without(full, perWord.get(w));
        assertArrayEquals(expected, real(m.encoder().encode(fs.apply(keep))), text + " less " + w);
        checked++;
      }
    }
    assertTrue(checked >= words * 0.5, name + ": " + checked + " of " + words + " words");
    System.out.println(name + ": hiding checked on " + checked + " of " + words + " words");
  }

  /** Whether word w's tokens lie in [end of word w-1, end of w) and no other token overlaps w. */
  static boolean ownsItsTokens(JsonNode c, TextFeatures tf, List<int[]> perWord, int w) {
    int from = w == 0 ? 0 : tf.end(w - 1);
    JsonNode offsets = c.get("offsets");
    List<Integer> mine = Arrays.stream(perWord.get(w)).boxed().toList();
    if (mine.isEmpty()) {
      return false;
    }
    for (int p = 0; p < offsets.size(); p++) {
      int b = offsets.get(p).get(0).asInt();
      int e = offsets.get(p).get(1).asInt();
      if (b == e) {
        continue;
      }
      boolean overlaps = b < tf.end(w) && e > tf.begin(w);
      if (mine.contains(p) ? b < from || e > tf.end(w) : overlaps) {
        return false;
      }
    }
    return true;
  }

  static int[] without(int[] ids, int[] positions) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      final int at = i;
      if (Arrays.stream(positions).noneMatch(p -> p == at)) {
        out.add(ids[i]);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void aMaskedWordBecomesTheMaskTokenInPlaceOfAllItsTokens() throws IOException {
    TextModality m = modality("bert-minilm", "perturber", "mask");
    assertEquals("[MASK]", m.provenance().get("maskToken"));
    String text = "Supercalifragilisticexpialidocious antidisestablishmentarianism";
    FeatureSet<String> fs = featurize(m, text);
    int[] full = real(m.encoder().encode(text));
    List<int[]> perWord = wordTokens(m, text, fs);
    assertTrue(perWord.get(0).length > 3, "a long word is several tokens");
    int[] masked = real(m.encoder().encode(fs.apply(new boolean[] {false, true})));
    List<Integer> expected = new ArrayList<>();
    expected.add(full[0]);
    expected.add(103);
    for (int i = 1 + perWord.get(0).length; i < full.length; i++) {
      expected.add(full[i]);
    }
    assertEquals(expected, Arrays.stream(masked).boxed().toList());
  }

  @Test
  void tokenTypeIdsComeFromTheTemplate() {
    TextModality m = modality("bert-minilm", "tokenTypeIds", true, "maxLength", 8);
    List<Tensor> t = m.encoder().encode("What is the man wearing on his head?");
    assertEquals(
        List.of("input_ids", "attention_mask", "token_type_ids"),
        t.stream().map(Tensor::name).toList());
    assertArrayEquals(new long[8], t.get(2).longs());
    // [CLS] what is the man wearing on [SEP]: the last token is always the template's [SEP]
    assertEquals(102, t.get(0).longs()[7]);
    assertEquals(101, t.get(0).longs()[0]);
  }

  @Test
  void theFileSetsTheDefaultLengthAndPadId() {
    TextModality bert = modality("bert-minilm");
    assertEquals(128, bert.encoder().outputs().get(0).shape()[0]);
    assertEquals(0, bert.provenance().get("padId"));
    TextModality unigram = modality("unigram-licences");
    assertEquals(128, unigram.encoder().outputs().get(0).shape()[0]);
    assertEquals(0, unigram.provenance().get("padId"));
    assertEquals("<pad>", unigram.provenance().get("padFrom"));
  }

  // ---- errors -------------------------------------------------------------------------------

  Path write(String name, String json) throws IOException {
    Path p = temp.resolve(name);
    Files.writeString(p, json, StandardCharsets.UTF_8);
    return p;
  }

  static IllegalArgumentException refused(Object... settings) {
    return assertThrows(
        IllegalArgumentException.class,
        () -> new TextModality("q", PluginConfig.of("modality 'q' (plugin text)", settings)));
  }

  @Test
  void aMalformedFileIsRefusedNamingIt() throws IOException {
    Path p = write("broken.json", "{\"model\": {\"type\": \"WordPiece\", \"vocab\": ");
    IllegalArgumentException e = refused("encoder", "tokenizer-json", "tokenizer", p.toString());
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void anUnsupportedComponentIsRefusedNamingTheFileAndTheComponent() throws IOException {
    Path model = write("m.json", "{\"model\": {\"type\": \"Wordish\", \"vocab\": {}}}");
    IllegalArgumentException e =
        refused("encoder", "tokenizer-json", "tokenizer", model.toString());
    assertTrue(e.getMessage().contains("'" + model + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("model 'Wordish' is not supported"), e.getMessage());
    assertTrue(e.getMessage().contains("[WordPiece, BPE, Unigram, WordLevel]"), e.getMessage());
    Path norm =
        write(
            "n.json",
            "{\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Lowercase\"},"
                + " {\"type\": \"ByteLevel\"}]}, \"model\": {\"type\": \"WordLevel\","
                + " \"vocab\": {\"a\": 0}, \"unk_token\": \"a\"}}");
    e = refused("encoder", "tokenizer-json", "tokenizer", norm.toString());
    assertTrue(e.getMessage().contains("normalizer 'ByteLevel' is not supported"), e.getMessage());
    assertTrue(e.getMessage().contains(norm.toString()), e.getMessage());
  }

  @Test
  void settingsThatTheFileDefinesOrThatBelongElsewhereAreRefused() {
    String bert = "classpath:" + DIR + "bert-minilm-tokenizer.json";
    IllegalArgumentException e = refused("encoder", "tokenizer-json");
    assertTrue(e.getMessage().contains("setting 'tokenizer' is required"), e.getMessage());
    e = refused("encoder", "tokenizer-json", "tokenizer", bert, "vocab", "v.txt");
    assertTrue(e.getMessage().contains("'vocab' does not apply to encoder 'tokenizer-json'"));
    e = refused("encoder", "tokenizer-json", "tokenizer", bert, "lowercase", false);
    assertTrue(e.getMessage().contains("'lowercase' does not apply"), e.getMessage());
    e = refused("vocab", "classpath:io/dime/modality/text/vocab.txt", "tokenizer", bert);
    assertTrue(e.getMessage().contains("applies to encoder 'tokenizer-json' only"));
    e = refused("encoder", "tokenizer-json", "tokenizer", bert, "maxLength", 2);
    assertTrue(e.getMessage().contains("adds 2 special tokens"), e.getMessage());
    e = refused("encoder", "tokenizer-json", "tokenizer", "/nonexistent/tokenizer.json");
    assertTrue(e.getMessage().contains("tokenizer file '/nonexistent/tokenizer.json' does not"));
  }

  @Test
  void maskingNeedsAMaskToken() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> modality("gpt2", "perturber", "mask"));
    assertTrue(e.getMessage().contains("gpt2-tokenizer.json' has no mask token"), e.getMessage());
    TextModality m = modality("gpt2", "perturber", "mask", "maskToken", "<|endoftext|>");
    assertEquals(50256, m.encoder().encode("<|endoftext|> is").get(0).longs()[0]);
  }

  /**
   * Any text encodes: 300 seeded strings of random code points (controls, NUL, combining marks,
   * CJK, emoji, unpaired-looking punctuation, whitespace of every kind, up to 400 code points) give
   * maxLength ids inside each vocabulary, and the same text gives the same ids.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bert-minilm", "gpt2", "unigram-licences"})
  void anyTextEncodes(String name) {
    TextModality m = modality(name, "maxLength", 64);
    int[] pool = {
      0, 7, 9, 10, 13, 32, 0x85, 0xA0, 0x300, 0x301, 0x2028, 0x200B, 0x3000, 0xFEFF, 0xFFFD, '\'',
      '"', '<', '>', '[', ']', '#', 0x4E2D, 0x6587, 0x1F600, 0x1F44D, 0xE9, 0xDF, 0x130
    };
    SplittableRandom r = new SplittableRandom(7);
    for (int c = 0; c < 300; c++) {
      StringBuilder b = new StringBuilder();
      int len = r.nextInt(400);
      for (int i = 0; i < len; i++) {
        int cp =
            r.nextInt(3) == 0
                ? pool[r.nextInt(pool.length)]
                : r.nextBoolean() ? 'a' + r.nextInt(26) : r.nextInt(0x20, 0x3000);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          cp = 'x';
        }
        b.appendCodePoint(cp);
      }
      String text = b.toString();
      List<Tensor> t = m.encoder().encode(text);
      long[] ids = t.get(0).longs();
      assertEquals(64, ids.length, name + " case " + c);
      for (long id : ids) {
        assertTrue(id >= 0 && id < 1_000_000, name + " case " + c + ": id " + id);
      }
      assertArrayEquals(ids, m.encoder().encode(text).get(0).longs(), name + " case " + c);
    }
  }
}
