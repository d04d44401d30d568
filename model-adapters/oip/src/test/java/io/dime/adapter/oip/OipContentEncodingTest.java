package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.ModelException;
import io.dime.api.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway in front of a server may compress its answers though the adapter asks for no encoding:
 * gzip and deflate bodies are read as the answer they hold (error bodies too), within the limit on
 * an answer's length once decoded; another encoding, or a body that is not what its header says,
 * fails the call naming the encoding.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OipContentEncodingTest {
  private static final Object[] SETTINGS = {
    "timeoutSeconds", 5, "retries", 1, "retryBackoffMillis", 10, "maxResponseMegabytes", 1
  };

  private static float[] run(OipModelAdapter m, int n) {
    Map<String, Tensor> x = Map.of("x", Tensor.ofFloats("x", new long[] {n, 2}, new float[n * 2]));
    return m.run(x, List.of("y")).get("y").floats();
  }

  private static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new DeflaterOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] encoded(int status, String coding, byte[] body) {
    return HostileServer.response(
        status, "Content-Encoding: " + coding + "\r\n", "application/json", body);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void gzipAndDeflateAnswersAreReadAsTheAnswersTheyHold() {
    HostileServer.Infer answers =
        (attempt, id, n, out) -> {
          byte[] good = utf8(HostileServer.goodAnswer(id, n));
          out.write(
              switch (attempt) {
                case 1 -> encoded(200, "gzip", gzip(good));
                case 2 -> encoded(200, "deflate", deflate(good));
                case 3 -> encoded(200, "identity", good);
                default -> encoded(500, "gzip", gzip(utf8("{\"error\": \"out of memory\"}")));
              });
        };
    try (HostileServer s = new HostileServer(answers);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(SETTINGS))) {
      assertArrayEquals(new float[] {0.5f, 0.5f}, run(m, 2), 0f);
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, run(m, 3), 0f);
      assertArrayEquals(new float[] {0.5f}, run(m, 1), 0f);
      String e = assertThrows(ModelException.class, () -> run(m, 1)).getMessage();
      assertEquals(
          "model '"
              + s.url()
              + "': the server answered HTTP 500 to POST /v2/models/m/infer: out of memory; sent x"
              + " FP32 [1, 2]",
          e);
    }
  }

  @Test
  void anotherEncodingOrABodyNotInItsEncodingFailsTheCallNamingTheEncoding() {
    // a body of 2 MiB of spaces compresses to a few KB: it is over the 1 MiB limit once decoded
    byte[] spaces = new byte[2 << 20];
    java.util.Arrays.fill(spaces, (byte) ' ');
    HostileServer.Infer answers =
        (attempt, id, n, out) -> {
          byte[] good = utf8(HostileServer.goodAnswer(id, n));
          out.write(
              switch (attempt) {
                case 1 -> encoded(200, "br", good);
                case 2 -> encoded(200, "gzip", good);
                case 3 -> encoded(200, "gzip", gzip(spaces));
                default -> HostileServer.json(200, HostileServer.goodAnswer(id, n));
              });
        };
    try (HostileServer s = new HostileServer(answers);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(SETTINGS))) {
      String p = "model '" + s.url() + "': POST /v2/models/m/infer: ";
      assertEquals(
          p
              + "the response is encoded 'br' (header Content-Encoding), which the adapter cannot"
              + " read (it reads gzip and deflate, and asks for no encoding): have the server or"
              + " the gateway in front of it answer without compression",
          assertThrows(ModelException.class, () -> run(m, 1)).getMessage());
      assertEquals(
          p
              + "the response says it is encoded gzip (header Content-Encoding), but its body does"
              + " not read as gzip: Not in GZIP format",
          assertThrows(ModelException.class, () -> run(m, 1)).getMessage());
      assertEquals(
          p
              + "the response is longer than the limit of 1048576 bytes once its gzip encoding is"
              + " undone (setting 'maxResponseMegabytes')",
          assertThrows(ModelException.class, () -> run(m, 1)).getMessage());
      assertEquals(3, s.inferRequests(), "an unreadable answer is not asked for again");
      assertArrayEquals(new float[] {0.5f}, run(m, 1), 0f);
    }
  }
}
