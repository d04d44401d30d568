package io.dime.adapter.oip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A response body as its {@code Content-Encoding} header says it was written: the adapter asks for
 * no encoding, but a gateway in front of a server (a proxy, an ingress) may compress answers all
 * the same. Such a body was read as JSON, and failed as "Illegal character ((CTRL-CHAR, code 31))"
 * (the first byte of gzip), which said nothing of the cause. Now gzip and deflate bodies are
 * decoded, no longer than the limit on an answer, and any other encoding is refused by name.
 */
final class ContentCoding {
  /** A body whose encoding cannot be read: unknown, or not what it says it is. */
  static final class Unreadable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }

  private ContentCoding() {}

  /**
   * The body decoded as the headers' {@code Content-Encoding} says (codings applied in the order
   * listed are undone last to first); the body itself when there is none or it is {@code identity}.
   *
   * @param limit the most bytes a decoded body may hold
   * @throws LimitedBody.TooLarge when the decoded body is longer than {@code limit}
   * @throws Unreadable for an encoding other than gzip, deflate and identity, or a body that is not
   *     in its encoding
   */
  static byte[] decode(HttpHeaders headers, byte[] body, long limit) throws IOException {
    List<String> codings = new ArrayList<>();
    for (String value : headers.allValues("Content-Encoding")) {
      for (String c : value.split(",")) {
        String coding = c.strip().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty() && !coding.equals("identity")) {
          codings.add(coding);
        }
      }
    }
    byte[] out = body;
    for (int i = codings.size() - 1; i >= 0; i--) {
      out = decode(codings.get(i), out, limit);
    }
    return out;
  }

  private static byte[] decode(String coding, byte[] body, long limit) throws IOException {
    try (InputStream in = open(coding, body)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, body.length * 4));
      byte[] buffer = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > limit) {
          throw new LimitedBody.TooLarge(
              "the response is longer than the limit of "
                  + limit
                  + " bytes once its "
                  + coding
                  + " encoding is undone");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (LimitedBody.TooLarge | Unreadable e) {
      throw e;
    } catch (IOException e) {
      throw new Unreadable(
          "the response says it is encoded "
              + coding
              + " (header Content-Encoding), but its body does not read as "
              + coding
              + ": "
              + e.getMessage());
    }
  }

  private static InputStream open(String coding, byte[] body) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return switch (coding) {
      case "gzip", "x-gzip" -> new GZIPInputStream(in);
      case "deflate" -> new InflaterInputStream(in);
      default ->
          throw new Unreadable(
              "the response is encoded '"
                  + coding
                  + "' (header Content-Encoding), which the adapter cannot read (it reads gzip and"
                  + " deflate, and asks for no encoding): have the server or the gateway in front"
                  + " of it answer without compression");
    };
  }
}
