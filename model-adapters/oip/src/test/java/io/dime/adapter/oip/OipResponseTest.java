package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading inference responses: the protocol's published example (KServe "Open Inference Protocol",
 * HTTP/REST, "Inference Request Examples"), its data nested, binary data, and broken answers.
 */
class OipResponseTest {
  private static final String P = "model 'm': ";

  /**
   * The published response for a [3, 2] FP32 output. (The published text lacks the comma after
   * {@code "id" : "42"}; it is added here, as any JSON parser needs it.)
   */
  static final String PUBLISHED =
      """
      {
        "id" : "42",
        "outputs" : [
          {
            "name" : "output0",
            "shape" : [ 3, 2 ],
            "datatype"  : "FP32",
            "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]
          }
        ]
      }
      """;

  private static Map<String, OipResponse.Output> read(String json, String id) {
    return OipResponse.read(P, json.getBytes(StandardCharsets.UTF_8), -1, id);
  }

  @Test
  void thePublishedExample() {
    OipResponse.Output o = read(PUBLISHED, "42").get("output0");
    assertEquals("FP32", o.datatype());
    assertArrayEquals(new long[] {3, 2}, o.shape());
    assertArrayEquals(new float[] {1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f}, o.floats(), 0f);
    assertNull(o.longs());
  }

  @Test
  void thePublishedExampleWithNestedData() {
    String nested =
        PUBLISHED.replace(
            "[ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]", "[ [ 1.0, 1.1 ], [ 2.0, 2.1 ], [ 3.0, 3.1 ] ]");
    assertArrayEquals(
        new float[] {1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f},
        read(nested, "42").get("output0").floats(),
        0f);
  }

  @Test
  void dataBeforeDatatypeAndOtherTypes() {
    String json =
        "{\"model_name\": \"m\", \"outputs\": ["
            + "{\"data\": [[0.1, 2]], \"name\": \"f\", \"shape\": [1, 2], \"datatype\": \"FP32\"},"
            + "{\"name\": \"d\", \"datatype\": \"FP64\", \"shape\": [2], \"data\": [0.5, -1e-3]},"
            + "{\"name\": \"i\", \"datatype\": \"INT32\", \"shape\": [2], \"data\": [7, -8]},"
            + "{\"name\": \"flag\", \"datatype\": \"BOOL\", \"shape\": [1], \"data\": [true]}]}";
    Map<String, OipResponse.Output> out = read(json, "1");
    assertArrayEquals(new float[] {0.1f, 2f}, out.get("f").floats(), 0f);
    assertArrayEquals(new float[] {0.5f, -1e-3f}, out.get("d").floats(), 0f);
    assertArrayEquals(new long[] {7, -8}, out.get("i").longs());
    // an output of a datatype the adapter does not read keeps its name and datatype, no data
    assertEquals(4, out.size());
    assertEquals("BOOL", out.get("flag").datatype());
    assertNull(out.get("flag").floats());
    assertNull(out.get("flag").longs());
  }

  @Test
  void floatsSurviveTheTripExactly() {
    float[] values = {
      0.1f, 1f / 3, -7.006492E-45f, Float.MAX_VALUE, 3.4028233E38f, 1.17549435E-38f
    };
    StringBuilder data = new StringBuilder();
    for (float v : values) {
      data.append(data.length() == 0 ? "" : ",").append(v);
    }
    String json =
        "{\"outputs\": [{\"name\": \"y\", \"datatype\": \"FP32\", \"shape\": ["
            + values.length
            + "], \"data\": ["
            + data
            + "]}]}";
    float[] got = read(json, "1").get("y").floats();
    for (int i = 0; i < values.length; i++) {
      assertEquals(Float.floatToIntBits(values[i]), Float.floatToIntBits(got[i]), "value " + i);
    }
  }

  @Test
  void binaryOutputsFollowTheJsonPart() {
    String json =
        "{\"id\": \"7\", \"outputs\": ["
            + "{\"name\": \"y\", \"datatype\": \"FP32\", \"shape\": [2],"
            + " \"parameters\": {\"binary_data_size\": 8}},"
            + "{\"name\": \"n\", \"datatype\": \"INT64\", \"shape\": [1, 1],"
            + " \"parameters\": {\"binary_data_size\": 8}}]}";
    byte[] head = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(head.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put(head).putFloat(1.5f).putFloat(-0.25f).putLong(42);
    Map<String, OipResponse.Output> out = OipResponse.read(P, b.array(), head.length, "7");
    assertArrayEquals(new float[] {1.5f, -0.25f}, out.get("y").floats(), 0f);
    assertArrayEquals(new long[] {42}, out.get("n").longs());

    ModelException e =
        assertThrows(
            ModelException.class,
            () ->
                OipResponse.read(
                    P, java.util.Arrays.copyOf(b.array(), head.length + 12), head.length, "7"));
    assertTrue(e.getMessage().contains("output 'n' has binary_data_size 8"), e.getMessage());
  }

  /** The bare tokens Python's JSON writes for NaN and the infinities, in every float datatype. */
  @Test
  void nanAndInfinityTokensAreTheFloatsTheyName() {
    float[] want = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (String type : new String[] {"FP32", "FP64", "FP16", "BF16"}) {
      String json =
          "{\"outputs\": [{\"name\": \"y\", \"datatype\": \""
              + type
              + "\", \"shape\": [3], \"data\": [NaN, Infinity, -Infinity]}]}";
      assertArrayEquals(want, read(json, "1").get("y").floats(), 0f, type);
      String dataFirst =
          "{\"outputs\": [{\"data\": [NaN, Infinity, -Infinity], \"name\": \"y\","
              + " \"shape\": [3], \"datatype\": \""
              + type
              + "\"}]}";
      assertArrayEquals(want, read(dataFirst, "1").get("y").floats(), 0f, type);
    }
    String cut = PUBLISHED.substring(0, PUBLISHED.indexOf("2.0"));
    assertEquals(
        P + "the response body ended early after " + cut.length() + " bytes, inside its JSON",
        message(cut, "42"));
  }

  @Test
  void brokenAnswersAreRefusedNamingTheModel() {
    assertEquals(
        P + "output 'output0' has 6 values for shape [3, 3]",
        message(PUBLISHED.replace("[ 3, 2 ]", "[ 3, 3 ]"), "42"));
    assertEquals(P + "the response's id is '42', the request's '43'", message(PUBLISHED, "43"));
    assertEquals(
        P + "the response's id is '999', the request's '43'",
        message(PUBLISHED.replace("\"42\"", "999"), "43"),
        "an id sent as a number is checked too (it was let through)");
    assertEquals(
        P + "the response's id is not a string but START_ARRAY",
        message(PUBLISHED.replace("\"42\"", "[42]"), "42"));
    assertEquals(P + "the response has no 'outputs'", message("{\"id\": \"1\"}", "1"));
    assertEquals(
        P + "the response has no 'outputs'; its error: CUDA out of memory",
        message("{\"id\": \"1\", \"error\": \"CUDA out of memory\"}", "1"),
        "an error answered with HTTP 200 is shown (it was dropped)");
    assertTrue(
        message("<html>busy</html>", "1")
            .startsWith(P + "the response is not the protocol's JSON"));
    assertEquals(
        P + "output 'n' (INT64) holds 1.5, not an integer",
        message(
            "{\"outputs\": [{\"name\": \"n\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [1.5]}]}",
            "1"));
  }

  private static String oneOutput(String fields) {
    return "{\"outputs\": [{" + fields + "}]}";
  }

  /**
   * Data that is not numbers names the output and says what it holds in words (it said "a FP32
   * output's data holds VALUE_NULL where numbers belong"), whether the data comes after the
   * datatype or before it; a finite number beyond a float's range is refused as such (it became
   * Infinity, and the record failed as "model returned Infinity", which the server did not say).
   */
  @Test
  void dataThatIsNotNumbersNamesTheOutputAndWhatItHolds() {
    String y = "\"name\": \"y\", \"datatype\": \"FP32\", \"shape\": [2], ";
    assertEquals(
        P + "output 'y' (FP32) holds null where a number belongs",
        message(oneOutput(y + "\"data\": [0.5, null]"), "1"));
    assertEquals(
        P + "output 'y' (FP32) holds the text \"0.5\" where a number belongs",
        message(oneOutput(y + "\"data\": [\"0.5\", 1]"), "1"));
    assertEquals(
        P + "output 'y' (FP32) holds an object where a number belongs",
        message(oneOutput(y + "\"data\": [{}, 1]"), "1"));
    assertEquals(
        P + "output 'y' (FP32) holds 1e300, beyond the range of a 32-bit float",
        message(oneOutput(y + "\"data\": [1e300, 1]"), "1"));
    assertEquals(
        P + "output 'y' (FP64) holds -1e39, beyond the range of a 32-bit float",
        message(oneOutput(y.replace("FP32", "FP64") + "\"data\": [0, -1e39]"), "1"));
    assertEquals(
        P + "the data of output 'y' (FP32) is not an array",
        message(oneOutput(y + "\"data\": 0.5"), "1"));
    // the data before the datatype: read as text, then as the datatype says
    String late = "\"name\": \"y\", \"shape\": [2], \"datatype\": \"%s\"";
    assertEquals(
        P + "output 'y' (FP32) holds null, not a number",
        message(oneOutput("\"data\": [0.5, null], " + String.format(late, "FP32")), "1"));
    assertEquals(
        P + "output 'y' (INT32) holds 2.5, not an integer",
        message(oneOutput("\"data\": [1, 2.5], " + String.format(late, "INT32")), "1"));
    assertEquals(
        P + "output 'y' (FP32) holds 1e300, beyond the range of a 32-bit float",
        message(oneOutput("\"data\": [1e300, 1], " + String.format(late, "FP32")), "1"));
    // in binary too
    byte[] head =
        oneOutput(
                "\"name\": \"y\", \"datatype\": \"FP64\", \"shape\": [1],"
                    + " \"parameters\": {\"binary_data_size\": 8}")
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(head.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(head).putDouble(1e300);
    ModelException e =
        assertThrows(ModelException.class, () -> OipResponse.read(P, b.array(), head.length, "1"));
    assertEquals(
        P + "output 'y' (FP64) holds 1.0E300, beyond the range of a 32-bit float", e.getMessage());
    // NaN and the infinities stay what they are: the engine refuses them, naming the output
    float[] f =
        OipResponse.read(
                P,
                oneOutput(y + "\"data\": [NaN, -Infinity]").getBytes(StandardCharsets.UTF_8),
                -1,
                "1")
            .get("y")
            .floats();
    assertTrue(Float.isNaN(f[0]) && f[1] == Float.NEGATIVE_INFINITY, Arrays.toString(f));
  }

  private static String message(String json, String id) {
    return assertThrows(ModelException.class, () -> read(json, id)).getMessage();
  }
}
