package io.dime.adapter.oip;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving OIP server written on a bare socket, bound to 127.0.0.1: it answers the metadata
 * and readiness routes of one model, {@code m} (input {@code x} FP32 [-1, 2], output {@code y} FP32
 * [-1, 1]), as a server should, and each {@code POST .../infer} as the test's {@link Infer} says,
 * byte by byte: a body cut short, one that never ends, headers that lie. Closing it closes every
 * connection, so a handler that stalls ends then.
 */
final class HostileServer implements AutoCloseable {
  /** What the server does with one inference request. */
  interface Infer {
    /**
     * @param attempt 1 for the first inference request the server has seen, 2 for the next, ...
     * @param requestId the request's {@code id}
     * @param rows the request's rows
     * @param out the connection's output: write the whole HTTP response (or not)
     */
    void answer(int attempt, String requestId, int rows, OutputStream out) throws Exception;
  }

  static final String METADATA =
      "{\"name\": \"m\", \"platform\": \"hostile\", \"inputs\": [{\"name\": \"x\", \"datatype\":"
          + " \"FP32\", \"shape\": [-1, 2]}], \"outputs\": [{\"name\": \"y\", \"datatype\":"
          + " \"FP32\", \"shape\": [-1, 1]}]}";

  private final ServerSocket socket;
  private final Infer infer;
  private final AtomicInteger inferRequests = new AtomicInteger();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  HostileServer(Infer infer) {
    this.infer = infer;
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(this::accept, "hostile-oip-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The model's location. */
  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v2/models/m";
  }

  /** How many inference requests came in. */
  int inferRequests() {
    return inferRequests.get();
  }

  /** A whole response with this status, content type and body. */
  static byte[] response(int status, String contentType, byte[] body) {
    return response(status, "", contentType, body);
  }

  /**
   * A whole response with this status, other headers ({@code "Name: value\r\n"} each), content type
   * and body.
   */
  static byte[] response(int status, String headers, String contentType, byte[] body) {
    String head =
        String.format(
            Locale.ROOT,
            "HTTP/1.1 %d X\r\n%sContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
            status,
            headers,
            contentType,
            body.length);
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + body.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(body, 0, out, h.length, body.length);
    return out;
  }

  /** A whole JSON response. */
  static byte[] json(int status, String body) {
    return response(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  /** The right answer to a request of {@code rows} rows: y = 0.5 for every row. */
  static String goodAnswer(String requestId, int rows) {
    StringBuilder data = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      data.append(r == 0 ? "" : ", ").append("0.5");
    }
    return "{\"id\": \""
        + requestId
        + "\", \"model_name\": \"m\", \"outputs\": [{\"name\": \"y\", \"datatype\": \"FP32\","
        + " \"shape\": ["
        + rows
        + ", 1], \"data\": ["
        + data
        + "]}]}";
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        connections.add(s);
        Thread t = new Thread(() -> serve(s), "hostile-oip-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        int length = 0;
        for (String line : lines) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        byte[] body = in.readNBytes(length);
        String path = requestLine[1];
        if (requestLine[0].equals("POST") && path.endsWith("/infer")) {
          String text = new String(body, StandardCharsets.UTF_8);
          infer.answer(inferRequests.incrementAndGet(), idOf(text), rowsOf(text), out);
        } else if (path.equals("/v2")) {
          out.write(json(200, "{\"name\": \"hostile\", \"version\": \"1\", \"extensions\": []}"));
        } else if (path.equals("/v2/models/m")) {
          out.write(json(200, METADATA));
        } else if (path.endsWith("/ready")) {
          out.write(json(200, "{\"ready\": true}"));
        } else {
          out.write(json(404, "{\"error\": \"no route " + path + "\"}"));
        }
        out.flush();
      }
    } catch (Exception e) {
      // the connection ends with the handler, whatever it did
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      matched = (c == '\r' || c == '\n') && "\r\n\r\n".charAt(matched) == c ? matched + 1 : 0;
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  private static String idOf(String request) {
    int at = request.indexOf("\"id\"");
    int open = request.indexOf('"', request.indexOf(':', at) + 1);
    return request.substring(open + 1, request.indexOf('"', open + 1));
  }

  private static int rowsOf(String request) {
    int at = request.indexOf("\"shape\"");
    int open = request.indexOf('[', at);
    return Integer.parseInt(request.substring(open + 1, request.indexOf(',', open)).trim());
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
