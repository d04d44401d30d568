package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.PluginConfig;
import io.dime.spi.TextCodes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * STRING inputs: real ONNX models that take the text itself (a scikit-learn-style bag of words:
 * ONNX's StringNormalizer and TfIdfVectorizer, ONNX Runtime's Tokenizer), fed from DIME's INT64
 * rows packed by {@link TextCodes}. The expected outputs are computed here from the words.
 */
class OnnxTextInputTest {
  /** The vocabulary and weights of {@code make_test_models.py}. */
  private static final List<String> WORDS =
      List.of("good", "bad", "movie", "plot", "great", "boring");

  private static final float[][] WORDS_W = {
    {1.0f, -1.0f}, {-2.0f, 2.0f}, {0.25f, 0.5f}, {0.125f, -0.25f}, {3.0f, -1.5f}, {-1.0f, 0.75f}
  };
  private static final float[][] V = {{0.5f, -0.5f}, {-0.25f, 1.0f}};

  private static OnnxModelAdapter open(String resource, Object... settings) {
    return OnnxModelAdapter.open(TestModels.path(resource), PluginConfig.of("onnx", settings));
  }

  /** Rows of packed texts, each {@code width} elements. */
  static Tensor packed(String name, int width, String... texts) {
    long[] rows = new long[texts.length * width];
    for (int i = 0; i < texts.length; i++) {
      assertTrue(TextCodes.encode(texts[i], rows, i * width, width), texts[i]);
    }
    return Tensor.ofLongs(name, new long[] {texts.length, width}, rows);
  }

  /** The model's logit {@code c} of a text and two numbers, as its graph computes it. */
  private static float expected(String text, float[] num, int c) {
    float sum = TestModels.C[c] + num[0] * V[0][c] + num[1] * V[1][c];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
      int i = WORDS.indexOf(word);
      if (i >= 0) {
        sum += WORDS_W[i][c];
      }
    }
    return sum;
  }

  /**
   * The text goes in as one string a row, next to a FLOAT32 input, in calls of 2 rows (the last
   * padded): upper case, punctuation and an empty text arrive as written; a character outside the
   * basic plane (an emoji: a surrogate pair) and U+0000, which ONNX Runtime's Java API would pass
   * as invalid UTF-8 (its string operators then fail the call), arrive as U+FFFD.
   */
  @Test
  void textInputTakesTheTextItself() {
    try (ModelAdapter m = open("text_bow.onnx", "batchSize", 2)) {
      assertEquals(
          List.of(
              new TensorSpec("text", ElementType.INT64, new long[] {-1, -1}),
              new TensorSpec("num", ElementType.FLOAT32, new long[] {-1, 2})),
          m.signature().inputs());
      assertEquals(Map.of("text", "STRING"), m.modelTypes());
      String[] texts = {
        "Good movie, GOOD plot!",
        "boring",
        "",
        "Great caf\u00e9 \uD83D\uDE00 bad-movie",
        "x\u0000good"
      };
      float[] num = {1f, 2f, -1f, 0.5f, 0f, 0f, 2f, -2f, 0.25f, 4f};
      int width = TextCodes.width(40);
      Tensor y =
          m.run(
                  Map.of(
                      "text",
                      packed("text", width, texts),
                      "num",
                      Tensor.ofFloats("num", new long[] {5, 2}, num)),
                  List.of("logits"))
              .get("logits");
      float[] want = new float[10];
      for (int r = 0; r < 5; r++) {
        float[] row = {num[2 * r], num[2 * r + 1]};
        want[2 * r] = expected(texts[r], row, 0);
        want[2 * r + 1] = expected(texts[r], row, 1);
      }
      assertArrayEquals(want, y.floats(), 1e-6f);
      // "Good movie, GOOD plot!": 2 x good + movie + plot, num (1, 2)
      assertEquals(0.1f + 2 * 1.0f + 0.25f + 0.125f + 0.5f - 0.5f, y.floats()[0], 1e-6f);
    }
  }

  /** A model taking a rank-1 [N] string input gets a rank-1 tensor. */
  @Test
  void rankOneTextInput() {
    try (ModelAdapter m = open("text_rank1.onnx")) {
      assertEquals(
          List.of(new TensorSpec("text", ElementType.INT64, new long[] {-1, -1})),
          m.signature().inputs());
      Tensor s =
          m.run(Map.of("text", packed("text", 5, "bad bad plot", "great")), List.of("score"))
              .get("score");
      assertArrayEquals(new float[] {-2f - 2f + 0.125f, 3f}, s.floats(), 1e-6f);
    }
  }

  /**
   * A row that holds no packed text (token ids sent to a STRING input by mistake) fails the call
   * naming input and row, and says how to fill the input; the adapter goes on serving.
   */
  @Test
  void rowThatIsNoTextFailsByName() {
    try (ModelAdapter m = open("text_rank1.onnx")) {
      Tensor ids = Tensor.ofLongs("text", new long[] {2, 3}, new long[] {0, 0, 0, 101, 2023, 102});
      ModelException e =
          assertThrows(ModelException.class, () -> m.run(Map.of("text", ids), List.of("score")));
      assertTrue(
          e.getMessage().contains("input 'text' takes a text, but row 1 is not one"),
          e.getMessage());
      assertTrue(e.getMessage().contains("encoder 'string'"), e.getMessage());
      Tensor s = m.run(Map.of("text", packed("text", 3, "good")), List.of("score")).get("score");
      assertArrayEquals(new float[] {1f}, s.floats(), 0f);
    }
  }

  /** A STRING input of several texts a row is refused when the model opens, saying why. */
  @Test
  void severalTextsARowAreRefusedAtOpen() {
    ModelException e = assertThrows(ModelException.class, () -> open("text_pairs.onnx"));
    assertTrue(
        e.getMessage().contains("input 't' is a STRING tensor of shape [?, 2]"), e.getMessage());
    assertTrue(e.getMessage().contains("one text per row ([batch] or [batch, 1])"), e.getMessage());
  }

  /**
   * A StringNormalizer naming a locale the machine lacks (scikit-learn exports name en_US, which a
   * slim container lacks) fails at open with ONNX Runtime's message and what to do about it.
   */
  @Test
  void missingLocaleIsExplainedAtOpen() {
    ModelException e = assertThrows(ModelException.class, () -> open("text_locale.onnx"));
    assertTrue(e.getMessage().contains("xx_XX"), e.getMessage());
    assertTrue(
        e.getMessage().contains("names a locale this machine lacks: install it"), e.getMessage());
    // one line: ONNX Runtime's own text ends in a line break, which split the CLI's message
    assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("\r"), e.getMessage());
  }
}
