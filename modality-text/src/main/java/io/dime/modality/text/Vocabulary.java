package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * A token vocabulary read from a UTF-8 text file with one token per line; a token's id is its line
 * number counting from 0 (BERT's {@code vocab.txt} format). A line is taken whole (a trailing
 * {@code \r} dropped), so a token may contain spaces; when a token appears twice the later line's
 * id wins, as in Hugging Face's {@code load_vocab}.
 *
 * @param source where it was read from: an absolute path, or {@code classpath:NAME}
 * @param sha256 SHA-256 of the file's bytes, in hex
 * @param size number of lines (ids 0 to size - 1)
 */
record Vocabulary(String source, String sha256, int size, Map<String, Integer> ids) {
  /** Prefix of a vocabulary given as a class-path resource. */
  static final String CLASSPATH = "classpath:";

  Vocabulary {
    requireNonNull(source, "source is null");
    requireNonNull(sha256, "sha256 is null");
    ids = Collections.unmodifiableMap(new HashMap<>(ids));
  }

  /** The id of a token, or -1 when it is not in the vocabulary. */
  int id(String token) {
    Integer id = ids.get(token);
    return id == null ? -1 : id;
  }

  /**
   * Reads a vocabulary.
   *
   * @param location a path (relative ones resolve against {@code baseDirectory}, or the working
   *     directory when that is null) or {@code classpath:NAME} for a class-path resource
   * @param baseDirectory where relative paths resolve; may be null
   * @param what who asks and for which setting, for messages ("modality 'q' (plugin text): setting
   *     'vocab'")
   * @throws IllegalArgumentException when it cannot be read, naming the file
   */
  static Vocabulary load(String location, Path baseDirectory, String what) {
    Source s = readSource(location, baseDirectory, what, "vocabulary file");
    return parse(s.bytes(), s.source(), what);
  }

  /**
   * A file's bytes and where they came from.
   *
   * @param source an absolute path, or {@code classpath:NAME}
   * @param bytes the contents
   */
  record Source(String source, byte[] bytes) {
    String sha256() {
      return Vocabulary.sha256(bytes);
    }
  }

  /**
   * Reads a file named by a setting, as {@link #load} does.
   *
   * @param noun what the file is, for messages ("vocabulary file", "tokenizer file")
   * @throws IllegalArgumentException when it cannot be read, naming the file
   */
  static Source readSource(String location, Path baseDirectory, String what, String noun) {
    requireNonNull(location, "location is null");
    if (location.startsWith(CLASSPATH)) {
      String resource = location.substring(CLASSPATH.length());
      while (resource.startsWith("/")) {
        resource = resource.substring(1);
      }
      String source = CLASSPATH + resource;
      return new Source(
          source, readResource(resource, what, source, noun.replace("file", "resource")));
    }
    Path path;
    try {
      path = Path.of(location);
      if (!path.isAbsolute() && baseDirectory != null) {
        path = baseDirectory.resolve(path);
      }
      path = path.toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          what + ": " + noun + " '" + location + "' is not a valid path: " + e.getMessage());
    }
    String source = path.toString();
    String named =
        location.equals(source) ? "'" + source + "'" : "'" + location + "' (" + source + ")";
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(what + ": " + noun + " " + named + " does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          what + ": " + noun + " " + named + " is not a regular file");
    }
    try {
      return new Source(source, Files.readAllBytes(path));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          what + ": cannot read " + noun + " " + named + ": " + e, e);
    }
  }

  private static byte[] readResource(String resource, String what, String source, String noun) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    InputStream in = context == null ? null : context.getResourceAsStream(resource);
    if (in == null) {
      in = Vocabulary.class.getClassLoader().getResourceAsStream(resource);
    }
    if (in == null) {
      throw new IllegalArgumentException(
          what + ": " + noun + " '" + source + "' is not on the class path");
    }
    try (InputStream stream = in) {
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          what + ": cannot read " + noun + " '" + source + "': " + e, e);
    }
  }

  static Vocabulary parse(byte[] bytes, String source, String what) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          what + ": vocabulary file '" + source + "' is not UTF-8 text: " + e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Map<String, Integer> ids = new HashMap<>();
    int line = 0;
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      int tokenEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      ids.put(text.substring(start, tokenEnd), line++);
      start = end + 1;
    }
    if (line == 0) {
      throw new IllegalArgumentException(what + ": vocabulary file '" + source + "' is empty");
    }
    return new Vocabulary(source, sha256(bytes), line, ids);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
