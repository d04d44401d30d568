package io.dime.modality.text;

import static io.dime.modality.text.TextModalityContractTest.QUESTION;
import static io.dime.modality.text.TextModalityContractTest.THREE_SENTENCES;
import static io.dime.modality.text.TextModalityContractTest.VOCAB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.Palette;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acceptance cases of the text modality, with the real CoreNLP tokenizer. */
class TextModalityTest {
  @TempDir Path temp;

  static TextModality modality(Object... settings) {
    Object[] all = Arrays.copyOf(settings, settings.length + 2);
    all[settings.length] = "vocab";
    all[settings.length + 1] = VOCAB;
    return new TextModality("q", PluginConfig.of("modality 'q' (plugin text)", all));
  }

  static FeatureSet<String> featurize(Modality<String> m, String text) {
    return m.featurize(text, PoolStatistics.empty(), new SplittableRandom(1));
  }

  static boolean[] hide(int d, int... hidden) {
    boolean[] keep = new boolean[d];
    Arrays.fill(keep, true);
    for (int h : hidden) {
      keep[h] = false;
    }
    return keep;
  }

  static long[] ids(Tensor t) {
    return t.longs();
  }

  static long[] padded(int length, long pad, long... head) {
    long[] out = new long[length];
    Arrays.fill(out, pad);
    System.arraycopy(head, 0, out, 0, head.length);
    return out;
  }

  // ---- words, offsets, perturbation ----------------------------------------------------------

  @Test
  void theQuestionHasNineWordsWithTheirOffsets() {
    FeatureSet<String> fs = featurize(modality(), QUESTION);
    assertEquals(
        List.of(
            "What@0",
            "is@5",
            "the@8",
            "man@12",
            "wearing@16",
            "on@24",
            "his@27",
            "head@31",
            "?@35"),
        fs.names());
    List<?> spans = (List<?>) fs.layout().get("features");
    int[][] expected = {
      {0, 4}, {5, 7}, {8, 11}, {12, 15}, {16, 23}, {24, 26}, {27, 30}, {31, 35}, {35, 36}
    };
    for (int i = 0; i < 9; i++) {
      Map<?, ?> f = (Map<?, ?>) spans.get(i);
      assertEquals(expected[i][0], f.get("begin"), "begin of word " + i);
      assertEquals(expected[i][1], f.get("end"), "end of word " + i);
      assertEquals(QUESTION.substring(expected[i][0], expected[i][1]), f.get("text"));
    }
    assertEquals("words", fs.layout().get("unit"));
    assertEquals(QUESTION, fs.layout().get("text"));
  }

  @Test
  void removalDropsHiddenWordsWithTheSpaceBeforeThem() {
    FeatureSet<String> fs = featurize(modality(), QUESTION);
    assertEquals(QUESTION, fs.apply(hide(9)));
    assertEquals("What is the wearing on his?", fs.apply(hide(9, 3, 7)));
    assertEquals("is the man wearing on his head?", fs.apply(hide(9, 0)));
    assertEquals("man wearing on his head?", fs.apply(hide(9, 0, 1, 2)));
    assertEquals("What is the man wearing on his head", fs.apply(hide(9, 8)));
    assertEquals("What", fs.apply(hide(9, 1, 2, 3, 4, 5, 6, 7, 8)));
    assertEquals("?", fs.apply(hide(9, 0, 1, 2, 3, 4, 5, 6, 7)));
    assertEquals("", fs.apply(new boolean[9]));
  }

  @Test
  void removalKeepsTheOriginalSpacingOfKeptWords() {
    String text = "  Hello,\tworld   again !\n";
    FeatureSet<String> fs = featurize(modality(), text);
    assertEquals(List.of("Hello@2", ",@7", "world@9", "again@17", "!@23"), fs.names());
    assertEquals(text, fs.apply(hide(5)));
    assertEquals("  Hello,   again !\n", fs.apply(hide(5, 2)));
    assertEquals(",\tworld   again !\n", fs.apply(hide(5, 0)));
    assertEquals("", fs.apply(new boolean[5])); // not the trailing "\n": TextRemovedAllTest
  }

  @Test
  void maskReplacesEachHiddenWordByTheMaskString() {
    FeatureSet<String> fs = featurize(modality("perturber", "mask"), QUESTION);
    assertEquals(QUESTION, fs.apply(hide(9)));
    assertEquals("What is the [MASK] wearing on his [MASK]?", fs.apply(hide(9, 3, 7)));
    assertEquals("[MASK] is the man wearing on his head?", fs.apply(hide(9, 0)));
    assertEquals(
        "[MASK] [MASK] [MASK] [MASK] [MASK] [MASK] [MASK] [MASK][MASK]", fs.apply(new boolean[9]));
    FeatureSet<String> underscore =
        featurize(
            new TextModality(
                "q",
                PluginConfig.of(
                    "modality 'q' (plugin text)",
                    "encoder",
                    "string",
                    "perturber",
                    "mask",
                    "maskToken",
                    "___")),
            QUESTION);
    assertEquals("What is the ___ wearing on his ___?", underscore.apply(hide(9, 3, 7)));
  }

  @Test
  void contractionsAndEmojiKeepExactOffsets() {
    String text = "He can't see 😀 now.";
    FeatureSet<String> fs = featurize(modality(), text);
    assertEquals(List.of("He@0", "ca@3", "n't@5", "see@9", "😀@13", "now@15", ".@18"), fs.names());
    assertEquals("He ca see 😀 now.", fs.apply(hide(7, 2)));
    assertEquals("He can't see now.", fs.apply(hide(7, 4)));
  }

  // ---- sentences -----------------------------------------------------------------------------

  @Test
  void sentencesAreFeaturesWithTheirOffsets() {
    TextModality m = modality("features", "sentences");
    FeatureSet<String> fs = featurize(m, THREE_SENTENCES);
    assertEquals(
        List.of("The cat sat.@0", "It was on the mat!@13", "Was he wearing a hat?@32"), fs.names());
    List<?> spans = (List<?>) fs.layout().get("features");
    assertEquals(53, ((Map<?, ?>) spans.get(2)).get("end"));
    assertEquals("sentences", fs.layout().get("unit"));
    assertEquals("The cat sat. Was he wearing a hat?", fs.apply(hide(3, 1)));
    assertEquals("It was on the mat!", fs.apply(hide(3, 0, 2)));
    FeatureSet<String> masked =
        featurize(modality("features", "sentences", "perturber", "mask"), THREE_SENTENCES);
    assertEquals("The cat sat. [MASK] Was he wearing a hat?", masked.apply(hide(3, 1)));
  }

  @Test
  void longSentencesGetAbbreviatedNames() {
    String text = "This sentence is rather longer than thirty characters.\n\nShort one.";
    FeatureSet<String> fs = featurize(modality("features", "sentences"), text);
    assertEquals(List.of("This sentence is rather lon...@0", "Short one.@56"), fs.names());
  }

  // ---- WordPiece -----------------------------------------------------------------------------

  @Test
  void wordPieceSplitsUnaffableAndFramesWithClsAndSep() {
    TextModality m = modality("maxLength", 12, "tokenTypeIds", true);
    assertEquals(
        List.of(
            new TensorSpec("input_ids", ElementType.INT64, new long[] {12}),
            new TensorSpec("attention_mask", ElementType.INT64, new long[] {12}),
            new TensorSpec("token_type_ids", ElementType.INT64, new long[] {12})),
        m.encoder().outputs());
    List<Tensor> t = m.encoder().encode("The man is unaffable.");
    // [CLS] the man is un ##aff ##able . [SEP] [PAD] [PAD] [PAD]
    assertArrayEquals(new long[] {2, 7, 8, 6, 14, 15, 16, 20, 3, 0, 0, 0}, ids(t.get(0)));
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, ids(t.get(1)));
    assertArrayEquals(new long[12], ids(t.get(2)));
    assertEquals("token_type_ids", t.get(2).name());
  }

  @Test
  void wordPieceSplitsPunctuationInsideCoreNlpWordsAndUsesContinuations() {
    TextModality m = modality("maxLength", 14);
    // CoreNLP: He was n't wearing hats ! ; n't -> n ' t ; hats -> hat ##s
    assertArrayEquals(
        new long[] {2, 23, 24, 29, 22, 30, 9, 25, 19, 37, 3, 0, 0, 0},
        ids(m.encoder().encode("He wasn't wearing hats!").get(0)));
  }

  @Test
  void wordPieceGivesUnknownForUnsplittableAndOverlongWords() {
    TextModality m = modality("maxLength", 128);
    // "unx": un matches, ##x does not, so the whole word is [UNK] (not un + [UNK])
    assertArrayEquals(
        padded(128, 0, 2, 1, 8, 1, 3), ids(m.encoder().encode("unx man zebra").get(0)));
    long[] hundred = ids(m.encoder().encode("a".repeat(100)).get(0));
    assertEquals(17, hundred[1]);
    for (int i = 2; i <= 100; i++) {
      assertEquals(18, hundred[i], "##a at " + i);
    }
    assertEquals(3, hundred[101]);
    assertArrayEquals(padded(128, 0, 2, 1, 3), ids(m.encoder().encode("a".repeat(101)).get(0)));
  }

  @Test
  void wordPieceTruncatesButKeepsSep() {
    TextModality m = modality("maxLength", 5);
    List<Tensor> t = m.encoder().encode("The man is unaffable.");
    assertArrayEquals(new long[] {2, 7, 8, 6, 3}, ids(t.get(0)));
    assertArrayEquals(new long[] {1, 1, 1, 1, 1}, ids(t.get(1)));
    assertArrayEquals(
        new long[] {2, 14, 15, 16, 3},
        ids(modality("maxLength", 5).encoder().encode("unaffable the").get(0)));
    assertArrayEquals(
        new long[] {2, 3}, ids(modality("maxLength", 2).encoder().encode("man").get(0)));
  }

  @Test
  void wordPieceMapsMaskedWordsToTheMaskId() {
    TextModality m = modality("perturber", "mask", "maxLength", 12);
    FeatureSet<String> fs = featurize(m, QUESTION);
    String masked = fs.apply(hide(9, 3, 7));
    // [CLS] what is the [MASK] wearing on his [MASK] ? [SEP] [PAD]
    assertArrayEquals(
        new long[] {2, 5, 6, 7, 4, 9, 10, 11, 4, 13, 3, 0}, ids(m.encoder().encode(masked).get(0)));
    // with removal, the hidden words and all their pieces are gone
    TextModality r = modality("maxLength", 12);
    String removed = featurize(r, QUESTION).apply(hide(9, 3, 7));
    assertArrayEquals(
        new long[] {2, 5, 6, 7, 9, 10, 11, 13, 3, 0, 0, 0},
        ids(r.encoder().encode(removed).get(0)));
  }

  @Test
  void lowercaseAndAccentOptions() {
    assertArrayEquals(
        padded(6, 0, 2, 7, 8, 3), ids(modality("maxLength", 6).encoder().encode("The MAN").get(0)));
    assertArrayEquals(
        padded(6, 0, 2, 1, 1, 3),
        ids(modality("maxLength", 6, "lowercase", false).encoder().encode("The MAN").get(0)));
    assertArrayEquals(
        padded(6, 0, 2, 7, 8, 3), ids(modality("maxLength", 6).encoder().encode("Thé man").get(0)));
    assertArrayEquals(
        padded(6, 0, 2, 1, 8, 3),
        ids(modality("maxLength", 6, "stripAccents", false).encoder().encode("Thé man").get(0)));
  }

  @Test
  void tensorNamesAndOptionalOutputsAreConfigurable() {
    TextModality m =
        modality(
            "maxLength", 4,
            "inputIdsName", "ids",
            "attentionMaskName", "mask",
            "tokenTypeIds", true,
            "tokenTypeIdsName", "segments");
    assertEquals(
        List.of("ids", "mask", "segments"),
        m.encoder().outputs().stream().map(TensorSpec::name).toList());
    TextModality bare = modality("maxLength", 4, "attentionMask", false);
    assertEquals(
        List.of("input_ids"), bare.encoder().outputs().stream().map(TensorSpec::name).toList());
    assertEquals(1, bare.encoder().encode("man").size());
  }

  // ---- word vocabulary -----------------------------------------------------------------------

  @Test
  void vocabEncoderPadsTruncatesAndUsesTheUnknownId() {
    TextModality m = modality("encoder", "vocab", "maxLength", 12);
    List<Tensor> t = m.encoder().encode(QUESTION);
    assertArrayEquals(new long[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0}, ids(t.get(0)));
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, ids(t.get(1)));
    assertEquals(2, m.encoder().outputs().size());

    TextModality shortOne = modality("encoder", "vocab", "maxLength", 4);
    List<Tensor> s = shortOne.encoder().encode(QUESTION);
    assertArrayEquals(new long[] {5, 6, 7, 8}, ids(s.get(0)));
    assertArrayEquals(new long[] {1, 1, 1, 1}, ids(s.get(1)));

    // unknown words: the id of [UNK] by default, or the one given; whole words, never pieces
    assertArrayEquals(
        new long[] {5, 6, 7, 1, 0, 0},
        ids(
            modality("encoder", "vocab", "maxLength", 6)
                .encoder()
                .encode("What is the unaffable")
                .get(0)));
    assertArrayEquals(
        new long[] {5, 6, 7, 39, 9, 9},
        ids(
            modality("encoder", "vocab", "maxLength", 6, "unkId", 39, "padId", 9)
                .encoder()
                .encode("What is the zebra")
                .get(0)));
    assertArrayEquals(
        new long[] {5, 6, 7, 4, 0, 0},
        ids(
            modality("encoder", "vocab", "maxLength", 6, "unkToken", "[MASK]")
                .encoder()
                .encode("What is the zebra")
                .get(0)));
  }

  @Test
  void vocabEncoderLowercaseOption() {
    assertArrayEquals(
        new long[] {1, 8, 0},
        ids(
            modality("encoder", "vocab", "maxLength", 3, "lowercase", false)
                .encoder()
                .encode("What man")
                .get(0)));
    assertArrayEquals(
        new long[] {5, 8, 0},
        ids(modality("encoder", "vocab", "maxLength", 3).encoder().encode("What man").get(0)));
  }

  @Test
  void vocabEncoderKeepsTheMaskStringWhole() {
    TextModality m = modality("encoder", "vocab", "perturber", "mask", "maxLength", 10);
    String masked = featurize(m, QUESTION).apply(hide(9, 3, 7));
    assertArrayEquals(
        new long[] {5, 6, 7, 4, 9, 10, 11, 4, 13, 0}, ids(m.encoder().encode(masked).get(0)));
  }

  // ---- vocabulary files ----------------------------------------------------------------------

  @Test
  void vocabFileResolvesAgainstTheBaseDirectoryAndIsHashed() throws Exception {
    byte[] bytes;
    try (InputStream in = getClass().getResourceAsStream("vocab.txt")) {
      bytes = in.readAllBytes();
    }
    Files.write(temp.resolve("my-vocab.txt"), bytes);
    TextModality m =
        new TextModality(
            "q",
            PluginConfig.of(
                "modality 'q' (plugin text)",
                "vocab",
                "my-vocab.txt",
                "baseDirectory",
                temp.toString()));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals(sha, m.provenance().get("vocabSha256"));
    assertEquals(
        temp.resolve("my-vocab.txt").toAbsolutePath().toString(),
        m.provenance().get("vocabSource"));
    assertEquals(40, m.provenance().get("vocabSize"));
    assertEquals(sha, modality().provenance().get("vocabSha256"));
  }

  @Test
  void missingVocabularyFileIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TextModality(
                    "q",
                    PluginConfig.of(
                        "modality 'q' (plugin text)",
                        "vocab",
                        "no-such-vocab.txt",
                        "baseDirectory",
                        temp.toString())));
    assertTrue(e.getMessage().contains("no-such-vocab.txt"), e.getMessage());
    assertTrue(
        e.getMessage().contains(temp.resolve("no-such-vocab.txt").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("modality 'q'"), e.getMessage());

    IllegalArgumentException r =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TextModality(
                    "q",
                    PluginConfig.of("modality 'q' (plugin text)", "vocab", "classpath:nope.txt")));
    assertTrue(r.getMessage().contains("classpath:nope.txt"), r.getMessage());
  }

  @Test
  void badSettingsAreNamed() {
    Map<String, Object[]> cases = new LinkedHashMap<>();
    cases.put("'vocab' is required", new Object[] {});
    cases.put("'maxLength'", new Object[] {"vocab", VOCAB, "maxLength", 1});
    cases.put("'features'", new Object[] {"vocab", VOCAB, "features", "paragraphs"});
    cases.put("'perturber'", new Object[] {"vocab", VOCAB, "perturber", "blank"});
    cases.put("'encoder'", new Object[] {"vocab", VOCAB, "encoder", "bpe"});
    cases.put(
        "'clsToken' applies to encoder 'wordpiece'",
        new Object[] {"vocab", VOCAB, "encoder", "vocab", "clsToken", "[CLS]"});
    cases.put("no token '<unk>'", new Object[] {"vocab", VOCAB, "unkToken", "<unk>"});
    cases.put("not both", new Object[] {"vocab", VOCAB, "unkToken", "[UNK]", "unkId", 1});
    cases.put("'padId' is -1", new Object[] {"vocab", VOCAB, "padId", -1});
    cases.put(
        "tensor names repeat", new Object[] {"vocab", VOCAB, "attentionMaskName", "input_ids"});
    cases.put("'maskToken' is blank", new Object[] {"vocab", VOCAB, "maskToken", " "});
    for (Map.Entry<String, Object[]> c : cases.entrySet()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new TextModality(
                      "q", PluginConfig.of("modality 'q' (plugin text)", c.getValue())),
              c.getKey());
      assertTrue(e.getMessage().contains(c.getKey()), e.getMessage());
      assertTrue(e.getMessage().contains("modality 'q'"), e.getMessage());
    }
  }

  // ---- bad input -----------------------------------------------------------------------------

  @Test
  void badTextsFailWithInputExceptionNamingTheRecord() {
    TextModality m = modality();
    ReadContext ctx = new ReadContext(temp, "rec-7");
    for (Object bad : List.of("", "   ", "\n\t")) {
      InputException e = assertThrows(InputException.class, () -> m.read(bad, ctx));
      assertTrue(e.getMessage().contains("empty text"), e.getMessage());
      assertTrue(e.getMessage().contains("rec-7"), e.getMessage());
      assertEquals(Optional.of("rec-7"), e.recordId());
    }
    for (Object bad : List.of(7, 2.5, false, List.of("a"), Map.of("text", "a"))) {
      InputException e = assertThrows(InputException.class, () -> m.read(bad, ctx));
      assertTrue(e.getMessage().contains("expects a string"), e.getMessage());
      assertTrue(e.getMessage().contains("rec-7"), e.getMessage());
    }
    // A megabyte of text is refused before it is tokenized (it once failed deep in the fit).
    String huge = "word ".repeat(200_000);
    InputException e = assertThrows(InputException.class, () -> m.read(huge, ctx));
    assertTrue(
        e.getMessage()
            .contains("has a text of 1000000 characters; the most is 100000 (setting maxChars)"),
        e.getMessage());
    assertEquals(Optional.of("rec-7"), e.recordId());
    assertThrows(InputException.class, () -> m.check(" ", "rec-8"));
    assertEquals(QUESTION, m.read(QUESTION, ctx));
    // text without any word CoreNLP can tokenise
    InputException none = assertThrows(InputException.class, () -> featurize(m, "\u0001\u0002"));
    assertTrue(none.getMessage().contains("no words"), none.getMessage());
  }

  // ---- views, hints, provenance --------------------------------------------------------------

  @Test
  void viewListsFeaturesTopWordsAndPaletteEnds() {
    TextModality m = modality();
    FeatureSet<String> fs = featurize(m, QUESTION);
    double[] w = {0.1, 0, 0, 0.9, 0.05, 0, 0, -0.6, 0};
    View v = m.view(fs, w, new ViewOptions("diverging", 2, "UC q"));
    assertEquals("tokens", v.kind());
    assertEquals(QUESTION, v.data().get("text"));
    assertEquals("UC q", v.data().get("title"));
    assertEquals("#0072B2", v.data().get("positiveColour"));
    assertEquals("#E69F00", v.data().get("negativeColour"));
    List<?> features = (List<?>) v.data().get("features");
    assertEquals(9, features.size());
    Map<?, ?> man = (Map<?, ?>) features.get(3);
    assertEquals("man", man.get("text"));
    assertEquals(12, man.get("begin"));
    assertEquals(15, man.get("end"));
    assertEquals(0.9, man.get("weight"));
    assertEquals("#0072B2", man.get("colour"));
    assertEquals(true, man.get("top"));
    assertEquals("#FFFFFF", ((Map<?, ?>) features.get(1)).get("colour"));
    List<?> top = (List<?>) v.data().get("top");
    assertEquals(2, top.size());
    assertEquals("man@12", ((Map<?, ?>) top.get(0)).get("name"));
    assertEquals("head@31", ((Map<?, ?>) top.get(1)).get("name"));
    assertEquals(-0.6, ((Map<?, ?>) top.get(1)).get("weight"));

    View paper = m.view(fs, w, new ViewOptions("green_red", 0, "paper"));
    assertEquals(
        "#1A9850", ((Map<?, ?>) ((List<?>) paper.data().get("features")).get(3)).get("colour"));
    assertEquals("#D73027", paper.data().get("negativeColour"));
    // top-n 0: the default ten, but never zero weights
    assertEquals(4, ((List<?>) paper.data().get("top")).size());
    assertThrows(
        IllegalArgumentException.class, () -> m.view(fs, w, new ViewOptions("rainbow", 0, "x")));
    assertThrows(
        IllegalArgumentException.class, () -> m.view(fs, new double[3], ViewOptions.defaults("x")));
  }

  @Test
  void coloursAreTheSharedPalettesColoursOnTheLargestAbsoluteWeight() {
    TextModality m = modality();
    FeatureSet<String> fs = featurize(m, QUESTION);
    double[] w = {0.1, 0, 0, 0.9, 0.05, 0, 0, -0.6, Double.NaN};
    View v = m.view(fs, w, ViewOptions.defaults("q"));
    assertEquals(0.9, v.data().get("maxAbsWeight"));
    List<?> features = (List<?>) v.data().get("features");
    for (int i = 0; i < w.length; i++) {
      assertEquals(
          Palette.DIVERGING.colour(w[i], 0.9), ((Map<?, ?>) features.get(i)).get("colour"));
    }
    assertEquals("#FFFFFF", ((Map<?, ?>) features.get(8)).get("colour"));
  }

  @Test
  void hintsAndProvenance() {
    TextModality m = modality("perturber", "mask", "tokenTypeIds", true);
    assertEquals(SamplingHints.TEXT, m.samplingHints());
    Map<String, Object> p = m.provenance();
    assertEquals("words", p.get("features"));
    assertEquals("mask", p.get("perturber"));
    assertEquals("[MASK]", p.get("maskToken"));
    assertEquals("wordpiece", p.get("encoder"));
    assertEquals(VOCAB, p.get("vocab"));
    assertEquals(128, p.get("maxLength"));
    assertEquals(true, p.get("lowercase"));
    assertEquals(true, p.get("stripAccents"));
    assertEquals(1, p.get("unkId"));
    assertEquals(0, p.get("padId"));
    assertEquals(2, p.get("clsId"));
    assertEquals(3, p.get("sepId"));
    assertEquals(true, p.get("tokenTypeIds"));
    assertTrue(String.valueOf(p.get("corenlpVersion")).startsWith("4.5."), p.toString());
    assertTrue(String.valueOf(p.get("tokenizer")).contains("CoreNLP"), p.toString());
    assertFalse(p.containsValue(null));
  }

  @Test
  void pluginOffersTheTextFactory() {
    TextPlugin plugin = new TextPlugin();
    assertEquals("text", plugin.name());
    assertEquals(List.of("text"), plugin.modalities().stream().map(f -> f.name()).toList());
    Modality<?> m = plugin.modalities().get(0).create("q", PluginConfig.of("q", "vocab", VOCAB));
    assertEquals("text", m.kind());
    assertEquals(String.class, m.valueType());
  }

  @Test
  void encodingWorksForEveryPerturbationOfAParagraph() {
    TextModality m = modality("maxLength", 32);
    String paragraph = Texts.PARAGRAPH;
    FeatureSet<String> fs = featurize(m, paragraph);
    assertTrue(fs.size() > 150, "paragraph words: " + fs.size());
    SplittableRandom rng = new SplittableRandom(3);
    List<String> seen = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      boolean[] keep = new boolean[fs.size()];
      for (int i = 0; i < keep.length; i++) {
        keep[i] = rng.nextBoolean();
      }
      String s = fs.apply(keep);
      seen.add(s);
      long[] ids = ids(m.encoder().encode(s).get(0));
      assertEquals(32, ids.length);
      assertEquals(2, ids[0]);
    }
    assertEquals(20, seen.stream().distinct().count());
  }
}
