package io.dime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * A seeded mutator that writes a corpus of malformed records for the demo's pipeline (an image and
 * a question): broken image files of every kind, paths that leave the data folder, bad text, and
 * broken JSON. Each record carries what must happen to it: an error whose message contains a given
 * phrase, or (for the few mutations that keep a record valid) an explanation.
 *
 * <p>The same seed writes the same corpus, byte for byte.
 */
final class MalformedCorpus {
  /** One corpus line and what the job must do with it. */
  record Entry(String kind, byte[] line, String id, String expect) {
    /** Whether the record is valid (expect == null): it must be explained. */
    boolean valid() {
      return expect == null;
    }
  }

  private final Path data;
  private final List<String> demo;
  private final SplittableRandom rng;
  private final byte[] png;
  private final byte[] jpeg;
  private final Path outside;
  private final List<String> ids = new ArrayList<>();
  private int next;

  /**
   * A mutator over an unpacked demo folder.
   *
   * @param data the demo folder (the data root): corpus files go to {@code data/corpus}
   * @param outside a folder outside {@code data} for paths and links that leave it
   * @param seed the mutator's seed
   */
  MalformedCorpus(Path data, Path outside, long seed) throws IOException {
    this.data = data;
    this.outside = outside;
    this.demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    this.rng = new SplittableRandom(seed);
    this.png = Files.readAllBytes(data.resolve("scenes").resolve("0000.png"));
    BufferedImage img = ImageIO.read(data.resolve("scenes").resolve("0000.png").toFile());
    BufferedImage rgb =
        new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(img, 0, 0, null);
    ByteArrayOutputStream jpg = new ByteArrayOutputStream();
    ImageIO.write(rgb, "jpg", jpg);
    this.jpeg = jpg.toByteArray();
    Files.createDirectories(data.resolve("corpus"));
    Files.createDirectories(outside);
  }

  /** The kinds of mutation, each writing one record. */
  private final List<Mutation> mutations =
      List.of(
          new Mutation(
              "png-truncated", (id, r) -> file(id, "png", truncate(pngBytes(), 8, 40), "image")),
          new Mutation("png-bad-zlib", (id, r) -> file(id, "png", badZlib(pngBytes()), "image")),
          new Mutation("png-bad-signature", (id, r) -> file(id, "png", badSignature(), "image")),
          new Mutation("random-bytes", (id, r) -> file(id, "png", randomBytes(), "image")),
          new Mutation("zero-bytes", (id, r) -> file(id, "png", new byte[0], "image")),
          new Mutation(
              "png-20000x20000", (id, r) -> file(id, "png", pngHeader(20000, 20000), "20000")),
          new Mutation(
              "jpeg-truncated", (id, r) -> file(id, "jpg", truncate(jpegBytes(), 2, 120), "image")),
          new Mutation(
              "jpeg-20000x20000", (id, r) -> file(id, "jpg", jpegHeader(20000, 20000), "20000")),
          new Mutation("missing-file", (id, r) -> image(id, "corpus/" + id + "-absent.png", "not")),
          new Mutation("dotdot-path", (id, r) -> outsideFile(id, false)),
          new Mutation("absolute-outside", (id, r) -> outsideFile(id, true)),
          new Mutation("symlink-out", (id, r) -> symlinkOut(id)),
          new Mutation("directory", (id, r) -> image(id, "scenes", "image")),
          new Mutation("image-wrong-type", (id, r) -> wrongType(id, "image")),
          new Mutation("question-wrong-type", (id, r) -> wrongType(id, "question")),
          new Mutation("question-empty", (id, r) -> question(id, "", "question")),
          new Mutation("question-1mb", (id, r) -> question(id, "word ".repeat(210_000), "100000")),
          new Mutation("non-utf8-line", (id, r) -> nonUtf8(id)),
          new Mutation("lone-surrogate", (id, r) -> loneSurrogate(id)),
          new Mutation("broken-json", (id, r) -> brokenJson(id)),
          new Mutation("not-an-object", (id, r) -> notAnObject(id)),
          new Mutation("missing-id", (id, r) -> missingId(id)),
          new Mutation("id-wrong-type", (id, r) -> idWrongType(id)),
          new Mutation("missing-field", (id, r) -> missingField(id)),
          new Mutation("misspelt-field", (id, r) -> misspeltField(id)),
          new Mutation("duplicate-id", (id, r) -> duplicateId(id)),
          new Mutation("deep-nesting", (id, r) -> deepNesting(id)));

  private record Mutation(String kind, BiFunction<String, SplittableRandom, Entry> make) {}

  /**
   * Writes {@code n} records, the kinds in turn, each with its own random choices; every 200th is a
   * valid record with extra fields (it must be explained).
   */
  List<Entry> write(int n) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format(Locale.ROOT, "bad%04d", next++);
      Entry e;
      if (i % 200 == 199) {
        e = extraFields(id);
        e = new Entry("valid-extra-fields", e.line(), e.id(), null);
      } else {
        Mutation m = mutations.get(i % mutations.size());
        e = m.make().apply(id, rng);
        e = new Entry(m.kind(), e.line(), e.id(), e.expect());
      }
      if (e.id() != null && !e.kind().equals("duplicate-id")) {
        ids.add(e.id());
      }
      out.add(e);
    }
    return out;
  }

  // ---- records ---------------------------------------------------------------------------------

  /** A valid demo record (chosen at random) as a JSON object, with the given id. */
  private ObjectNode base(String id) {
    try {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(demo.get(rng.nextInt(demo.size())));
      n.put("id", id);
      return n;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Entry entry(String id, ObjectNode n, String expect) {
    return new Entry("", Json.line(n).getBytes(StandardCharsets.UTF_8), id, expect);
  }

  private static Entry raw(String id, String line, String expect) {
    return new Entry("", line.getBytes(StandardCharsets.UTF_8), id, expect);
  }

  private Entry file(String id, String ext, byte[] bytes, String expect) {
    String name = "corpus/" + id + "." + ext;
    try {
      Files.write(data.resolve(name), bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return image(id, name, expect);
  }

  private Entry image(String id, String path, String expect) {
    ObjectNode n = base(id);
    n.put("image", path);
    return entry(id, n, expect);
  }

  private Entry question(String id, String q, String expect) {
    ObjectNode n = base(id);
    n.put("question", q);
    return entry(id, n, expect);
  }

  private Entry outsideFile(String id, boolean absolute) {
    Path target = outside.resolve(id + ".png");
    try {
      Files.write(target, png);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String path = absolute ? target.toString() : data.relativize(target).toString();
    return image(id, path, "leaves the data root");
  }

  private Entry symlinkOut(String id) {
    Path target = outside.resolve(id + ".png");
    Path link = data.resolve("corpus").resolve(id + ".png");
    try {
      Files.write(target, png);
      Files.createSymbolicLink(link, target);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return image(id, "corpus/" + id + ".png", "outside the data root");
  }

  private Entry wrongType(String id, String field) {
    ObjectNode n = base(id);
    switch (rng.nextInt(5)) {
      case 0 -> n.put(field, rng.nextInt(1000));
      case 1 -> n.putArray(field).add("scenes/0000.png");
      case 2 -> n.putObject(field).put("file", "scenes/0000.png"); // {"path": ...} is valid
      case 3 -> n.putNull(field);
      default -> n.put(field, rng.nextBoolean());
    }
    return entry(id, n, field);
  }

  private Entry nonUtf8(String id) {
    byte[] line = Json.line(base(id)).getBytes(StandardCharsets.UTF_8);
    // a byte that is never UTF-8 (0xC0, 0xFE or 0xFF) inside the question
    int at = indexOf(line, "\"question\"") + 13;
    byte[] out = Arrays.copyOf(line, line.length);
    out[at] = (byte) new int[] {0xC0, 0xFE, 0xFF}[rng.nextInt(3)];
    return new Entry("", out, null, "utf-8");
  }

  private Entry loneSurrogate(String id) {
    ObjectNode n = base(id);
    String line = Json.line(n).replace("\"" + id + "\"", "\"" + id + "\\ud800\"");
    return raw(null, line, "surrogate");
  }

  private Entry brokenJson(String id) {
    String line = Json.line(base(id));
    return raw(null, line.substring(0, 1 + rng.nextInt(line.length() - 2)), "line");
  }

  private Entry notAnObject(String id) {
    String[] lines = {"[1, 2, 3]", "42", "\"" + id + "\"", "null", "true"};
    return raw(null, lines[rng.nextInt(lines.length)], "object");
  }

  private Entry missingId(String id) {
    ObjectNode n = base(id);
    n.remove("id");
    return entry(null, n, "id");
  }

  private Entry idWrongType(String id) {
    ObjectNode n = base(id);
    if (rng.nextBoolean()) {
      n.putArray("id").add(id);
    } else {
      n.putObject("id").put("id", id);
    }
    return entry(null, n, "id");
  }

  private Entry missingField(String id) {
    ObjectNode n = base(id);
    String field = rng.nextBoolean() ? "image" : "question";
    n.remove(field);
    return entry(id, n, field);
  }

  private Entry misspeltField(String id) {
    ObjectNode n = base(id);
    String field = rng.nextBoolean() ? "image" : "question";
    n.set(field.toUpperCase(Locale.ROOT), n.remove(field));
    return entry(id, n, field);
  }

  /** A record with the id of an earlier corpus record (parsed, with an id). */
  private Entry duplicateId(String id) {
    String earlier = ids.isEmpty() ? id : ids.get(rng.nextInt(ids.size()));
    return entry(earlier, base(earlier), ids.isEmpty() ? null : "duplicate");
  }

  /** A valid record with fields the pipeline does not read. */
  private Entry extraFields(String id) {
    ObjectNode n = base(id);
    n.put("note", "extra " + rng.nextInt());
    n.putArray("scores").add(rng.nextDouble()).add(rng.nextDouble());
    n.putObject("meta").put("source", "corpus");
    return entry(id, n, null);
  }

  private Entry deepNesting(String id) {
    ObjectNode n = base(id);
    int depth = 2000 + rng.nextInt(3000);
    String line = Json.line(n);
    String deep = "[".repeat(depth) + "]".repeat(depth);
    return raw(null, line.substring(0, line.length() - 1) + ",\"extra\":" + deep + "}", "depth");
  }

  private byte[] pngBytes() {
    return png;
  }

  private byte[] jpegBytes() {
    return jpeg;
  }

  // ---- bytes -----------------------------------------------------------------------------------

  private byte[] truncate(byte[] b, int from, int to) {
    return Arrays.copyOf(b, from + rng.nextInt(Math.min(to, b.length - 1) - from));
  }

  /** The PNG with its first IDAT's zlib header broken (a check that inflate always makes). */
  private byte[] badZlib(byte[] b) {
    byte[] out = b.clone();
    int idat = indexOf(out, "IDAT");
    out[idat + 4] = (byte) 0x78;
    out[idat + 5] = (byte) (0x9C ^ (1 + rng.nextInt(30)));
    return out;
  }

  private byte[] badSignature() {
    byte[] out = png.clone();
    out[1 + rng.nextInt(7)] ^= (byte) (1 + rng.nextInt(255));
    return out;
  }

  private byte[] randomBytes() {
    byte[] out = new byte[1 + rng.nextInt(4096)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) rng.nextInt(256);
    }
    out[0] = (byte) 0x00; // never a valid image signature by chance
    return out;
  }

  /** A PNG whose header declares width x height, with no image data. */
  static byte[] pngHeader(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] body) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
    out.writeBytes(t);
    out.writeBytes(body);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(body);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A JPEG start (SOI, SOF0) that declares width x height, and nothing more. */
  static byte[] jpegHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(2 + 2 + 2 + 1 + 2 + 2 + 1 + 3);
    b.put((byte) 0xFF).put((byte) 0xD8);
    b.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 11).put((byte) 8);
    b.putShort((short) height).putShort((short) width).put((byte) 1);
    b.put((byte) 1).put((byte) 0x11).put((byte) 0);
    return b.array();
  }

  private static int indexOf(byte[] b, String s) {
    byte[] p = s.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + p.length <= b.length; i++) {
      for (int j = 0; j < p.length; j++) {
        if (b[i + j] != p[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no " + s);
  }
}
