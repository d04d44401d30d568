package io.dime.adapter.oip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.TextCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * BYTES inputs: models served over the protocol that take the text itself (the ONNX adapter's
 * bag-of-words test models: ONNX's StringNormalizer and TfIdfVectorizer, ONNX Runtime's Tokenizer,
 * behind the test server), fed from DIME's INT64 rows packed by {@link TextCodes}. The expected
 * outputs are computed here from the words; the bytes sent for a text are checked as UTF-8.
 */
@ExtendWith(SharedServer.class)
class OipTextInputTest {
  /** The vocabulary and weights of the ONNX adapter's {@code make_test_models.py}. */
  private static final List<String> WORDS =
      List.of("good", "bad", "movie", "plot", "great", "boring");

  private static final float[][] WORDS_W = {
    {1.0f, -1.0f}, {-2.0f, 2.0f}, {0.25f, 0.5f}, {0.125f, -0.25f}, {3.0f, -1.5f}, {-1.0f, 0.75f}
  };
  private static final float[][] V = {{0.5f, -0.5f}, {-0.25f, 1.0f}};

  private static final String[] TEXTS = {
    "Good movie, GOOD plot!", "boring", "", "x", "Great caf\u00e9 \uD83D\uDE00 bad-movie"
  };
  private static final float[] NUM = {1f, 2f, -1f, 0.5f, 0f, 0f, 2f, -2f, 0.25f, 4f};

  private static OipModelAdapter open(String model, Object... settings) {
    return OipModelAdapter.open(SharedServer.server().url(model), TestModels.config(settings));
  }

  /** Rows of packed texts, each {@code width} elements. */
  private static Tensor packed(String name, int width, String... texts) {
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

  private static float[] expectedLogits() {
    float[] want = new float[TEXTS.length * 2];
    for (int r = 0; r < TEXTS.length; r++) {
      float[] row = {NUM[2 * r], NUM[2 * r + 1]};
      want[2 * r] = expected(TEXTS[r], row, 0);
      want[2 * r + 1] = expected(TEXTS[r], row, 1);
    }
    return want;
  }

  private static Map<String, Tensor> bowInputs() {
    return Map.of(
        "text",
        packed("text", TextCodes.width(40), TEXTS),
        "num",
        Tensor.ofFloats("num", new long[] {TEXTS.length, 2}, NUM));
  }

  /**
   * The text goes in as one string a row, next to a FP32 input, as JSON strings and as binary
   * tensors, in requests of 2 rows: upper case, punctuation, an empty text and an emoji arrive as
   * written (the emoji as UTF-8; the test server feeds it to ONNX Runtime as U+FFFD).
   */
  @Test
  void textInputTakesTheTextItselfInBothEncodings() {
    float[] want = expectedLogits();
    // "Good movie, GOOD plot!": 2 x good + movie + plot, num (1, 2)
    assertEquals(0.1f + 2 * 1.0f + 0.25f + 0.125f + 0.5f - 0.5f, want[0], 1e-6f);
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("text_bow", "tensorEncoding", encoding, "batchSize", 2)) {
        assertEquals(
            List.of(
                new TensorSpec("text", ElementType.INT64, new long[] {-1, -1}),
                new TensorSpec("num", ElementType.FLOAT32, new long[] {-1, 2})),
            m.signature().inputs());
        assertEquals(Map.of("text", "BYTES"), m.modelTypes());
        SharedServer.server().resetStats();
        Tensor y = m.run(bowInputs(), List.of("logits")).get("logits");
        assertArrayEquals(new long[] {5, 2}, y.shape());
        assertArrayEquals(want, y.floats(), 1e-6f, encoding);
        assertEquals(3, SharedServer.server().stats().path("infer").asInt(), "2 + 2 + 1 rows");
      }
    }
  }

  /**
   * A model whose batch dimension is fixed at 4: 5 rows go as 4, then 1 padded to 4 by repeating
   * its text, whose results are dropped.
   */
  @Test
  void aFixedBatchPadsTheLastRequestWithItsLastText() {
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("text_bow_fixed", "tensorEncoding", encoding)) {
        assertEquals(
            new TensorSpec("text", ElementType.INT64, new long[] {4, -1}),
            m.signature().input("text").orElseThrow());
        SharedServer.server().resetStats();
        Tensor y = m.run(bowInputs(), List.of("logits")).get("logits");
        assertArrayEquals(expectedLogits(), y.floats(), 1e-6f, encoding);
        assertEquals(2, SharedServer.server().stats().path("infer").asInt());
        assertEquals(8, SharedServer.server().stats().path("rows").asInt(), "5 rows padded to 8");
      }
    }
  }

  /** A model taking a rank-1 [N] BYTES input gets texts of shape [rows]. */
  @Test
  void rankOneTextInput() {
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("text_rank1", "tensorEncoding", encoding)) {
        assertEquals(
            List.of(new TensorSpec("text", ElementType.INT64, new long[] {-1, -1})),
            m.signature().inputs());
        Tensor s =
            m.run(Map.of("text", packed("text", 5, "bad bad plot", "great")), List.of("score"))
                .get("score");
        assertArrayEquals(new long[] {2, 1}, s.shape());
        assertArrayEquals(new float[] {-2f - 2f + 0.125f, 3f}, s.floats(), 1e-6f, encoding);
      }
    }
  }

  /**
   * A row that holds no packed text (token ids sent to a BYTES input by mistake) fails the call
   * before anything is sent, naming input and row, and says how to fill the input; the adapter goes
   * on serving.
   */
  @Test
  void rowThatIsNoTextFailsByNameAndTheAdapterKeepsServing() {
    try (ModelAdapter m = open("text_rank1")) {
      Tensor ids = Tensor.ofLongs("text", new long[] {2, 3}, new long[] {0, 0, 0, 101, 2023, 102});
      SharedServer.server().resetStats();
      ModelException e =
          assertThrows(ModelException.class, () -> m.run(Map.of("text", ids), List.of("score")));
      assertEquals(
          "model '"
              + SharedServer.server().url("text_rank1")
              + "': input 'text' takes a text, but row 1 is not one (its length element is 101 of"
              + " at most 8); fill it with the text modality's encoder 'string'",
          e.getMessage());
      assertEquals(0, SharedServer.server().stats().path("infer").asInt());
      Tensor s = m.run(Map.of("text", packed("text", 3, "good")), List.of("score")).get("score");
      assertArrayEquals(new float[] {1f}, s.floats(), 0f);
    }
  }

  /** A BYTES input of several texts a row is refused when the model opens, saying why. */
  @Test
  void severalTextsARowAreRefusedAtOpen() {
    ModelException e = assertThrows(ModelException.class, () -> open("text_pairs"));
    assertEquals(
        "model '"
            + SharedServer.server().url("text_pairs")
            + "': input 't' is a BYTES tensor of shape [?, 2]; the oip adapter sends one text per"
            + " row ([batch] or [batch, 1])",
        e.getMessage());
  }

  /** One text a row, in any of its forms, is taken; any other BYTES shape is refused. */
  @Test
  void bytesShapesOfOneTextARowAreTaken() throws IOException {
    OipSignature s =
        signature(
            "{\"name\": \"a\", \"datatype\": \"BYTES\", \"shape\": [-1]},"
                + "{\"name\": \"b\", \"datatype\": \"BYTES\", \"shape\": [3, -1]},"
                + "{\"name\": \"c\", \"datatype\": \"BYTES\", \"shape\": [3, 1]}");
    assertEquals(
        List.of(
            new TensorSpec("a", ElementType.INT64, new long[] {-1, -1}),
            new TensorSpec("b", ElementType.INT64, new long[] {3, -1}),
            new TensorSpec("c", ElementType.INT64, new long[] {3, -1})),
        List.copyOf(s.inputs.values()));
    assertEquals(3, s.fixedBatch);
    assertEquals(Map.of("a", 1, "b", 2, "c", 2), s.textRanks);
    assertEquals(Map.of("a", "BYTES", "b", "BYTES", "c", "BYTES"), s.modelTypes());
    for (String shape : new String[] {"[-1, 2]|[?, 2]", "[]|[]", "[-1, 1, 1]|[?, 1, 1]"}) {
      String[] p = shape.split("\\|");
      ModelException e =
          assertThrows(
              ModelException.class,
              () ->
                  signature("{\"name\": \"t\", \"datatype\": \"BYTES\", \"shape\": " + p[0] + "}"));
      assertEquals(
          "model 'm': input 't' is a BYTES tensor of shape "
              + p[1]
              + "; the oip adapter sends one text per row ([batch] or [batch, 1])",
          e.getMessage());
    }
  }

  /**
   * The bytes sent: an emoji (a surrogate pair in Java) goes as its 4-byte UTF-8 sequence, in the
   * binary extension after a 4-byte little-endian length, and in JSON unescaped; an unpaired
   * surrogate as U+FFFD; a padding row repeats the last text; the binary size is the texts' real
   * one; the shape is [fed, 1] or [fed] as the model declares.
   */
  @Test
  void textsAreSentAsUtf8() throws IOException {
    OipSignature s =
        signature(
            "{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [-1, 1]},"
                + "{\"name\": \"n\", \"datatype\": \"FP32\", \"shape\": [-1, 1]}");
    Map<String, Tensor> given = new LinkedHashMap<>();
    given.put("text", packed("text", 3, "a\uD83D\uDE00", "caf\u00e9", "\uD800x"));
    given.put("n", Tensor.ofFloats("n", new long[] {3, 1}, new float[] {1, 2, 3}));
    OipRequest.Rows rows = new OipRequest.Rows(0, 3, 4);
    OipRequest bin = OipRequest.encode("model 'm': ", "1", s, given, List.of("y"), rows, true);
    JsonNode head = OipClient.JSON.readTree(Arrays.copyOf(bin.body(), bin.jsonLength()));
    JsonNode text = head.path("inputs").get(0);
    assertEquals("[4,1]", text.path("shape").toString());
    assertEquals(34, text.path("parameters").path("binary_data_size").asInt());
    assertEquals(
        16, head.path("inputs").get(1).path("parameters").path("binary_data_size").asInt());
    byte[] texts = Arrays.copyOfRange(bin.body(), bin.jsonLength(), bin.jsonLength() + 34);
    assertEquals(
        "05000000"
            + "61f09f9880"
            + "05000000"
            + "636166c3a9"
            + "04000000"
            + "efbfbd78"
            + "04000000"
            + "efbfbd78",
        HexFormat.of().formatHex(texts));
    assertEquals(bin.jsonLength() + 34 + 16, bin.body().length);

    OipRequest json = OipRequest.encode("model 'm': ", "1", s, given, List.of("y"), rows, false);
    assertEquals(-1, json.jsonLength());
    String body =
        UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(json.body()))
            .toString();
    // strictly decoded (an encoded surrogate, CESU-8 or modified UTF-8, would fail), in place
    assertTrue(body.contains("\"a\uD83D\uDE00\""), body);
    assertTrue(HexFormat.of().formatHex(json.body()).contains("2261f09f988022"), body);
    assertFalse(body.toLowerCase(Locale.ROOT).contains("\\ud83d"), body);
    JsonNode parsed = OipClient.JSON.readTree(json.body()).path("inputs").get(0);
    assertEquals("[4,1]", parsed.path("shape").toString());
    assertEquals(
        "[\"a\uD83D\uDE00\",\"caf\u00e9\",\"\uFFFDx\",\"\uFFFDx\"]",
        parsed.path("data").toString());

    OipSignature rank1 =
        signature("{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [-1]}");
    given.remove("n");
    OipRequest one = OipRequest.encode("model 'm': ", "1", rank1, given, List.of("y"), rows, false);
    assertEquals(
        "[4]", OipClient.JSON.readTree(one.body()).path("inputs").get(0).path("shape").toString());
  }

  private static OipSignature signature(String inputs) throws IOException {
    JsonNode metadata =
        OipClient.JSON.readTree(
            "{\"inputs\": ["
                + inputs
                + "], \"outputs\": [{\"name\": \"y\", \"datatype\": \"FP32\", \"shape\": [-1, 1]}]}");
    return OipSignature.read(metadata, "model 'm': ");
  }
}
