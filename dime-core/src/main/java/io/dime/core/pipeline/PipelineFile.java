package io.dime.core.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dime.api.OutputKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pipeline file (YAML or JSON), read into plain records: no polymorphic typing, unknown
 * properties fail.
 *
 * <pre>{@code
 * modalities:
 *   - name: d1              # manifest field and modality name
 *     plugin: vector        # modality factory name
 *     settings: {length: 10, input: d1}
 * output: logits            # optional when the model has one output
 * outputKind: logits        # logits | probabilities | regression | auto (optional)
 * classNames: ["0", "1"]    # optional
 * }</pre>
 *
 * <p>Or, instead of an output's classes, scores computed from any outputs ({@code targets}, each
 * explained under its name; {@code outputKind} and {@code classNames} do not apply to them):
 *
 * <pre>{@code
 * modalities:
 *   - name: d1
 *     plugin: vector
 *     settings: {length: 10, input: d1}
 * targets:
 *   - {name: text, output: maps, select: [0, "40:80", ":"], reduce: mean}
 *   - {name: read, output: steps, sequence: ctc, blank: 0}          # [batch, steps, classes]
 *   - {name: match, similarity: cosine, outputs: [image_emb, text_emb]}
 * }</pre>
 *
 * <p>Relative paths in settings resolve against the working directory, except that a {@code text}
 * modality without a {@code baseDirectory} setting gets the pipeline file's directory.
 */
public record PipelineFile(
    List<ModalitySpec> modalities,
    String output,
    String outputKind,
    List<String> classNames,
    List<TargetSpec> targets) {

  /** One modality: its name (also the manifest field), factory name and settings. */
  public record ModalitySpec(String name, String plugin, Map<String, Object> settings) {}

  /**
   * One target: a reduction ({@code output}, {@code select}, {@code reduce}), a sequence score
   * ({@code output}, {@code sequence: ctc | greedy}, {@code steps: probabilities | logits}, {@code
   * blank}) or a similarity ({@code similarity: cosine | dot}, {@code outputs: [a, b]}).
   */
  public record TargetSpec(
      String name,
      String output,
      List<String> select,
      String reduce,
      String sequence,
      String steps,
      Integer blank,
      String similarity,
      List<String> outputs) {

    /**
     * The target it describes; {@code defaultOutput} (the pipeline's {@code output}, or the model's
     * only output) serves where it names none.
     */
    public io.dime.core.infer.targets.OutputTarget toTarget(String defaultOutput) {
      noBlanks();
      String out = output != null ? output : defaultOutput;
      if (similarity != null || outputs != null) {
        refuse("similarity", "output", "select", "reduce", "sequence", "steps", "blank");
        return new io.dime.core.infer.targets.Similarity(name, outputs, similarity);
      }
      if (sequence != null) {
        refuse("sequence", "select", "reduce");
        return new io.dime.core.infer.targets.SequenceScore(name, out, sequence, steps, blank);
      }
      refuse("reduction", "steps", "blank");
      return new io.dime.core.infer.targets.Reduction(name, out, select, reduce);
    }

    /**
     * Refuses a key given a blank value: it was read as the key's default (a blank {@code reduce}
     * as none, a blank {@code sequence} as ctc), so a typo went unseen.
     */
    private void noBlanks() {
      String[][] keys = {
        {"output", output},
        {"reduce", reduce},
        {"sequence", sequence},
        {"steps", steps},
        {"similarity", similarity}
      };
      for (String[] k : keys) {
        if (k[1] != null && k[1].isBlank()) {
          throw new IllegalArgumentException(
              "target '"
                  + name
                  + "': "
                  + k[0]
                  + " is blank; leave "
                  + k[0]
                  + " out for its default, or give it a value");
        }
      }
      for (int i = 0; outputs != null && i < outputs.size(); i++) {
        if (outputs.get(i) != null && outputs.get(i).isBlank()) {
          throw new IllegalArgumentException(
              "target '" + name + "': outputs entry " + i + " is blank; name a model output");
        }
      }
    }

    /**
     * Refuses the first of {@code keys} that is set, naming it and its value ("but also sets 3"
     * named neither which key nor which kind it belongs to).
     */
    private void refuse(String kind, String... keys) {
      Map<String, Object> set = new java.util.HashMap<>();
      set.put("output", output);
      set.put("select", select);
      set.put("reduce", reduce);
      set.put("sequence", sequence);
      set.put("steps", steps);
      set.put("blank", blank);
      for (String key : keys) {
        if (set.get(key) != null) {
          throw new IllegalArgumentException(
              "target '"
                  + name
                  + "' is a "
                  + kind
                  + " but also sets "
                  + key
                  + " ("
                  + set.get(key)
                  + "), which belongs to another kind of target (reduction: output, select,"
                  + " reduce; sequence: output, sequence, steps, blank; similarity: similarity,"
                  + " outputs)");
        }
      }
    }
  }

  /**
   * The pipeline's targets, or null when it lists none (the output's classes are explained).
   *
   * @param defaultOutput the output a target that names none reads (null: none)
   */
  public io.dime.core.infer.targets.OutputTargets outputTargets(String defaultOutput) {
    if (targets == null || targets.isEmpty()) {
      return null;
    }
    List<io.dime.core.infer.targets.OutputTarget> list = new java.util.ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      TargetSpec t = targets.get(i);
      if (t == null || t.name() == null || t.name().isBlank()) {
        throw new IllegalArgumentException("target " + i + " has no name");
      }
      list.add(t.toTarget(output != null ? output : defaultOutput));
    }
    return new io.dime.core.infer.targets.OutputTargets(list);
  }

  /** The largest pipeline file read: a pipeline is a page of settings. */
  public static final long MAX_BYTES = 1 << 20;

  private static final ObjectMapper YAML = mapper();

  /**
   * YAML (JSON is YAML) with limits a hostile file cannot get past: no polymorphic typing, unknown
   * properties fail, a key given twice fails (else the last would silently win), so does a second
   * document after the first (else it would be silently ignored) and a fraction where a whole
   * number goes (else it would be silently cut), few aliases (a "billion laughs" file is refused),
   * shallow nesting, short strings.
   */
  private static ObjectMapper mapper() {
    org.yaml.snakeyaml.LoaderOptions loader = new org.yaml.snakeyaml.LoaderOptions();
    loader.setMaxAliasesForCollections(10);
    loader.setAllowRecursiveKeys(false);
    loader.setNestingDepthLimit(20);
    loader.setCodePointLimit((int) MAX_BYTES);
    com.fasterxml.jackson.dataformat.yaml.YAMLFactory factory =
        com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
            .loaderOptions(loader)
            .streamReadConstraints(
                com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNestingDepth(20)
                    .maxStringLength(1 << 16)
                    .build())
            .build();
    return YAMLMapper.builder(factory)
        .addModule(
            new com.fasterxml.jackson.databind.module.SimpleModule()
                .addDeserializer(Number.class, new DigitsOnly()))
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // a second document ('---')
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // blank: 1.5 was read as 1
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  /**
   * The numbers of plugins' settings (the values of a {@code Map<String, Object>}): a whole number
   * must be written as its digits, since a plugin sees only the number the parser made of it and
   * renders it as Java does. {@code input: 007} named a tensor "7", {@code 0x1F} one "31", and
   * {@code 010} is 8 (YAML 1.1's octal; YAML 1.2 reads 10), so such a number is refused naming the
   * setting, and so is YAML's {@code .nan} or {@code .inf}. A number with a fraction or an exponent
   * is taken as it is; a plugin refuses it where a string goes ({@link
   * io.dime.spi.PluginConfig#getString}).
   */
  private static final class DigitsOnly
      extends com.fasterxml.jackson.databind.deser.std.StdDeserializer<Number> {
    private static final long serialVersionUID = 1L;

    DigitsOnly() {
      super(Number.class);
    }

    @Override
    public Number deserialize(
        com.fasterxml.jackson.core.JsonParser p,
        com.fasterxml.jackson.databind.DeserializationContext ctxt)
        throws IOException {
      String written = p.getText();
      if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT
          && written.toLowerCase(java.util.Locale.ROOT).matches("[-+]?\\.(nan|inf)")) {
        // YAML's .nan and .inf, which the parser reads as no number at all: a tensor named ".nan"
        // or a setting meant to be unbounded, said with the setting's path
        throw com.fasterxml.jackson.databind.JsonMappingException.from(
            p,
            "'"
                + path(p.getParsingContext())
                + "': "
                + written
                + " is not a finite number; write a name in quotes, a number as its digits");
      }
      Number n = p.getNumberValue();
      if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
          && !n.toString().equals(written)) {
        throw com.fasterxml.jackson.databind.JsonMappingException.from(
            p,
            "'"
                + path(p.getParsingContext())
                + "': "
                + written
                + " is read as the number "
                + n
                + "; write a name in quotes, a number as its digits");
      }
      return n;
    }

    /** "modalities[0].settings.std[1]": where the parser is. */
    private static String path(com.fasterxml.jackson.core.JsonStreamContext c) {
      java.util.Deque<String> parts = new java.util.ArrayDeque<>();
      for (; c != null && !c.inRoot(); c = c.getParent()) {
        parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
      }
      String s = String.join("", parts);
      return s.startsWith(".") ? s.substring(1) : s;
    }
  }

  /** Reads and validates a pipeline file. */
  public static PipelineFile read(Path file) {
    PipelineFile p;
    try {
      p = YAML.readValue(bytes(file), PipelineFile.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read pipeline " + file + ": " + shortened(ParseProblems.describe(e)), e);
    }
    if (p == null || p.modalities() == null || p.modalities().isEmpty()) {
      throw new IllegalArgumentException("pipeline " + file + " lists no modalities");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < p.modalities().size(); i++) {
      ModalitySpec m = p.modalities().get(i);
      if (m == null || m.name() == null || m.name().isBlank()) {
        throw new IllegalArgumentException("pipeline " + file + ": modality " + i + " has no name");
      }
      if (!names.add(m.name())) { // each is a field of the manifest's lines: one value per name
        throw new IllegalArgumentException(
            "pipeline "
                + file
                + ": two modalities are named '"
                + m.name()
                + "' (modality "
                + i
                + "); each name is a field of the manifest and must be unique");
      }
      if (m.plugin() == null || m.plugin().isBlank()) {
        throw new IllegalArgumentException(
            "pipeline " + file + ": modality '" + m.name() + "' has no plugin");
      }
      if (m.name().equals("id") || m.name().equals("label")) {
        throw new IllegalArgumentException(
            "pipeline " + file + ": a modality cannot be named '" + m.name() + "'");
      }
    }
    checkClassNames(p.classNames(), file);
    if (p.output() != null && p.output().isBlank()) { // else read as left out
      throw new IllegalArgumentException(
          "pipeline "
              + file
              + ": output is blank; name a model output, or leave output out when the model has"
              + " one");
    }
    if (p.targets() != null && p.targets().isEmpty()) {
      // else the output's classes were explained without a word, as if targets were left out
      throw new IllegalArgumentException(
          "pipeline "
              + file
              + ": targets is an empty list; list at least one target, or leave targets out to"
              + " explain the output's classes");
    }
    try {
      p.kind();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "pipeline " + file + e.getMessage().substring("pipeline".length()), e);
    }
    try {
      p.outputTargets("(the model's only output)");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pipeline " + file + ": " + e.getMessage(), e);
    }
    return p;
  }

  /**
   * The file's bytes, at most {@link #MAX_BYTES}. Only a regular file is opened: a FIFO would block
   * the command forever and a device such as /dev/zero never ends (both report a size of 0, so the
   * size alone cannot tell).
   */
  private static byte[] bytes(Path file) throws IOException {
    String cannot = "cannot read pipeline " + file + ": ";
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(cannot + "it is a directory");
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          cannot
              + (Files.isSymbolicLink(file)
                  ? "a symbolic link that leads to no file (a missing target or a loop)"
                  : "no such file"));
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          cannot + "not a regular file (a pipe, socket or device); write the pipeline to a file");
    }
    long size = Files.size(file);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1); // the file may grow after its size was taken
    }
    if (size > MAX_BYTES || bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          cannot
              + Math.max(size, bytes.length)
              + " bytes; a pipeline file may have at most "
              + MAX_BYTES);
    }
    notUtf8(bytes, cannot);
    return bytes;
  }

  /**
   * Refuses bytes that are not UTF-8 naming the line and the byte (the YAML parser's own message
   * was "java.io.CharConversionException: Invalid UTF-8 start byte 0xff (at char #241, byte #-1)
   * (line 1, column 1)", its place wrong).
   */
  private static void notUtf8(byte[] bytes, String cannot) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.charset.CoderResult r =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
    if (!r.isError()) {
      return;
    }
    int at = in.position();
    int line = 1;
    int start = 0;
    for (int i = 0; i < at; i++) {
      if (bytes[i] == '\n') {
        line++;
        start = i + 1;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            java.util.Locale.ROOT,
            "%snot UTF-8 text: line %d, byte %d (0x%02X) cannot start or continue a character;"
                + " save the file as UTF-8",
            cannot,
            line,
            at - start + 1,
            bytes[at] & 0xFF));
  }

  /**
   * Refuses class names that cannot each name one class: an entry that is null or empty, or a name
   * given twice (a label would match the first only, and the summary's shares keyed by name would
   * lose one class).
   */
  private static void checkClassNames(List<String> classNames, Path file) {
    if (classNames == null) {
      return;
    }
    for (int i = 0; i < classNames.size(); i++) {
      if (classNames.get(i) != null && classNames.get(i).isBlank()) {
        // else a class was reported under an empty name that --classes cannot give
        throw new IllegalArgumentException(
            "pipeline "
                + file
                + ": classNames entry "
                + i
                + " is '"
                + classNames.get(i)
                + "', an empty name; give every class a name");
      }
    }
    int[] unfit = io.dime.core.NameLists.firstUnfit(classNames);
    if (unfit == null) {
      return;
    }
    int i = unfit[0];
    if (unfit[1] < 0) {
      throw new IllegalArgumentException(
          "pipeline " + file + ": classNames entry " + i + " is null; give every class a name");
    }
    throw new IllegalArgumentException(
        "pipeline "
            + file
            + ": classNames has '"
            + classNames.get(i)
            + "' twice (entries "
            + unfit[1]
            + " and "
            + i
            + "); each name labels one class and must be unique");
  }

  /** The longest parser message quoted: the parser may quote a whole value of the file. */
  static final int MAX_QUOTED_CHARS = 400;

  /** The first line of a parser's message, cut to {@link #MAX_QUOTED_CHARS} characters. */
  private static String shortened(String message) {
    String first = message == null ? "" : message.lines().findFirst().orElse("");
    if (first.length() <= MAX_QUOTED_CHARS) {
      return first;
    }
    int end = MAX_QUOTED_CHARS;
    if (Character.isHighSurrogate(first.charAt(end - 1))) {
      end--;
    }
    return first.substring(0, end) + "...";
  }

  /** The declared output kind, or null when not given. */
  public OutputKind kind() {
    if (outputKind == null) {
      return null;
    }
    if (outputKind.isBlank()) { // it was read as left out
      throw new IllegalArgumentException(
          "pipeline: outputKind is blank; allowed: logits, probabilities, regression, auto (or"
              + " leave it out)");
    }
    try {
      return OutputKind.valueOf(outputKind.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "pipeline: outputKind is '"
              + outputKind
              + "'; allowed: logits, probabilities, regression, auto");
    }
  }
}
