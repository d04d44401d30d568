package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test server against the protocol's published text (KServe "Open Inference Protocol",
 * HTTP/REST): its routes and their JSON objects, the published inference request (with nested data,
 * which the text allows), errors as {@code {"error": ...}}, and the binary tensor extension.
 */
@ExtendWith(SharedServer.class)
class OipTestServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * The published request, on two_inputs: the same fields ({@code id}, {@code inputs} with name,
   * shape, datatype and data, {@code outputs} by name), with one input's data nested by row.
   */
  @Test
  void thePublishedRequestWithNestedDataGetsThePublishedResponse() throws Exception {
    String request =
        """
        {
          "id" : "42",
          "inputs" : [
            {
              "name" : "a",
              "shape" : [ 2, 3 ],
              "datatype" : "FP32",
              "data" : [ [ 1, 2, 3 ], [ 0.5, -1, 0 ] ]
            },
            {
              "name" : "b",
              "shape" : [ 2, 2 ],
              "datatype" : "FP32",
              "data" : [ 4, 5, 0.25, 8 ]
            }
          ],
          "outputs" : [
            {
              "name" : "y"
            }
          ]
        }
        """;
    HttpResponse<String> r = post("/v2/models/two_inputs/infer", request);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode n = JSON.readTree(r.body());
    assertEquals("42", n.path("id").asText());
    assertEquals("two_inputs", n.path("model_name").asText());
    JsonNode y = n.path("outputs").get(0);
    assertEquals("y", y.path("name").asText());
    assertEquals("FP32", y.path("datatype").asText());
    assertEquals("[2,2]", y.path("shape").toString());
    float[] data = new float[4];
    for (int i = 0; i < 4; i++) {
      data[i] = y.path("data").get(i).floatValue();
    }
    float[] expected =
        TestModels.linear(new float[] {1, 2, 3, 0.5f, -1, 0}, new float[] {4, 5, 0.25f, 8}, 2);
    assertArrayEquals(expected, data, 1e-5f);
  }

  @Test
  void healthMetadataAndReadinessObjects() throws Exception {
    assertEquals("{\"live\":true}", get("/v2/health/live"));
    assertEquals("{\"ready\":true}", get("/v2/health/ready"));
    JsonNode serverMetadata = JSON.readTree(get("/v2"));
    assertEquals("dime-oip-test-server", serverMetadata.path("name").asText());
    assertTrue(serverMetadata.path("extensions").toString().contains("binary_tensor_data"));
    JsonNode meta = JSON.readTree(get("/v2/models/two_inputs"));
    assertEquals("two_inputs", meta.path("name").asText());
    assertEquals("[\"1\"]", meta.path("versions").toString());
    assertEquals(
        "[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[-1,3]},"
            + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]",
        meta.path("inputs").toString());
    assertEquals(
        "[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]",
        meta.path("outputs").toString());
    assertEquals(meta, JSON.readTree(get("/v2/models/two_inputs/versions/1")));
    assertEquals("{\"name\":\"two_inputs\",\"ready\":true}", get("/v2/models/two_inputs/ready"));
  }

  @Test
  void errorsAreErrorObjects() throws Exception {
    HttpResponse<String> r =
        post(
            "/v2/models/two_inputs/infer",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\":"
                + " [1]}]}");
    assertEquals(400, r.statusCode());
    assertEquals(
        "unexpected inference input 'x' for model 'two_inputs'",
        JSON.readTree(r.body()).path("error").asText());
    r = post("/v2/models/mymodel/infer", "{}");
    assertEquals(404, r.statusCode());
    assertTrue(JSON.readTree(r.body()).path("error").asText().contains("'mymodel'"));
  }

  @Test
  void binaryTensorsBothWays() throws Exception {
    String head =
        "{\"inputs\": ["
            + "{\"name\": \"a\", \"shape\": [1, 3], \"datatype\": \"FP32\","
            + " \"parameters\": {\"binary_data_size\": 12}},"
            + "{\"name\": \"b\", \"shape\": [1, 2], \"datatype\": \"FP32\","
            + " \"parameters\": {\"binary_data_size\": 8}}],"
            + " \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": true}}]}";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(h.length + 20).order(ByteOrder.LITTLE_ENDIAN);
    body.put(h).putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5);
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(SharedServer.server().base() + "/v2/models/two_inputs/infer"))
                .header("Inference-Header-Content-Length", Integer.toString(h.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.array()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    int length =
        Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    JsonNode n = JSON.readTree(Arrays.copyOf(r.body(), length));
    assertEquals(8, n.path("outputs").get(0).path("parameters").path("binary_data_size").asInt());
    ByteBuffer out = ByteBuffer.wrap(r.body(), length, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(
        new float[] {-5.15f, 1.4875f}, new float[] {out.getFloat(), out.getFloat()}, 1e-5f);
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(SharedServer.server().base() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(SharedServer.server().base() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
