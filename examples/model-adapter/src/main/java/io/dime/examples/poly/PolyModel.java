package io.dime.examples.poly;

import io.dime.api.ModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A parsed {@code poly} model: immutable, so one instance serves every thread.
 *
 * <p>The file is a Java properties file:
 *
 * <pre>
 * inputs=d1,d2            # required: the inputs, in order; each a FLOAT32 vector [batch, size]
 * d1.size=4               # required for each input: its length, a whole number of at least 1
 * d1.weights=1,-1,0.5,0   # w_k: one number per entry, or one number for all; default 0
 * d1.interaction=1        # u_k: the same; default 0
 * d2.size=3
 * d2.weights=0.5
 * d2.interaction=1,1,-1
 * interaction=2           # c, default 0
 * bias=0                  # default 0
 * output=logits           # the output's name, default logits
 * </pre>
 *
 * <p>The model computes {@code y = bias + sum_k w_k . x_k + c * prod_k (u_k . x_k)} and returns
 * {@code [-y, y]} per row, so that class 1 ("positive") has the higher logit when y is above 0.
 *
 * <p>Everything is checked when the file is parsed, and every problem is a {@link ModelException}
 * that names the file and the key: a missing or unknown key (a typo is not ignored), a size that is
 * not a whole number of at least 1, a weight that is not a finite number, or a list whose length is
 * neither 1 nor the input's size. So a model that opens always runs.
 */
final class PolyModel {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> TOP_KEYS = Set.of("inputs", "interaction", "bias", "output");
  private static final List<String> INPUT_KEYS = List.of("size", "weights", "interaction");

  /** One input: its name, length, linear weights w and interaction weights u. */
  record Input(String name, int size, double[] weights, double[] interaction) {}

  private final List<Input> inputs;
  private final double interaction;
  private final double bias;
  private final String output;
  private final String sha256;

  private PolyModel(
      List<Input> inputs, double interaction, double bias, String output, String sha256) {
    this.inputs = List.copyOf(inputs);
    this.interaction = interaction;
    this.bias = bias;
    this.output = output;
    this.sha256 = sha256;
  }

  /**
   * Parses a model file.
   *
   * @param location where the bytes came from, for messages and provenance
   * @param bytes the file's contents
   * @throws ModelException naming {@code location} and the problem
   */
  static PolyModel parse(String location, byte[] bytes) {
    Properties p = new Properties();
    try {
      p.load(new ByteArrayInputStream(bytes));
    } catch (IOException | IllegalArgumentException e) {
      throw problem(location, "it is not a properties file (" + e.getMessage() + ")");
    }
    List<String> names = inputNames(location, p);
    Set<String> known = new TreeSet<>(TOP_KEYS);
    List<Input> inputs = new ArrayList<>();
    for (String name : names) {
      INPUT_KEYS.forEach(k -> known.add(name + "." + k));
      String sizeKey = name + ".size";
      int size = size(location, sizeKey, required(location, p, sizeKey));
      inputs.add(
          new Input(
              name,
              size,
              vector(location, p, name + ".weights", size),
              vector(location, p, name + ".interaction", size)));
    }
    for (String key : p.stringPropertyNames()) {
      if (!known.contains(key)) {
        throw problem(location, "unknown key '" + key + "'; known: " + known);
      }
    }
    String output = p.getProperty("output", "logits").trim();
    if (!NAME.matcher(output).matches() || names.contains(output)) {
      throw problem(location, "'output' is '" + output + "'; expected a name not among the inputs");
    }
    return new PolyModel(
        inputs,
        number(location, "interaction", p.getProperty("interaction", "0")),
        number(location, "bias", p.getProperty("bias", "0")),
        output,
        sha256(bytes));
  }

  /** The inputs, in the file's order. */
  List<Input> inputs() {
    return inputs;
  }

  /** The output's name. */
  String output() {
    return output;
  }

  /** SHA-256 of the file's bytes, 64 lower-case hex digits. */
  String sha256() {
    return sha256;
  }

  /**
   * The model's y for one row.
   *
   * @param rows one array per input, in {@link #inputs()}' order, each holding a batch's rows one
   *     after another (as a {@code [batch, size]} tensor holds them)
   * @param row the row
   */
  double y(List<float[]> rows, int row) {
    double y = bias;
    double product = 1;
    for (int k = 0; k < inputs.size(); k++) {
      Input in = inputs.get(k);
      float[] x = rows.get(k);
      int offset = row * in.size();
      double linear = 0;
      double projection = 0;
      for (int i = 0; i < in.size(); i++) {
        linear += in.weights()[i] * x[offset + i];
        projection += in.interaction()[i] * x[offset + i];
      }
      y += linear;
      product *= projection;
    }
    return y + interaction * product;
  }

  private static List<String> inputNames(String location, Properties p) {
    List<String> names = new ArrayList<>();
    for (String raw : required(location, p, "inputs").split(",", -1)) {
      String name = raw.trim();
      if (!NAME.matcher(name).matches()) {
        throw problem(
            location, "'inputs' has '" + name + "'; expected names like d1 or image_embedding");
      }
      if (names.contains(name)) {
        throw problem(location, "'inputs' lists '" + name + "' twice");
      }
      names.add(name);
    }
    return names;
  }

  private static String required(String location, Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw problem(location, "'" + key + "' is missing");
    }
    return v.trim();
  }

  private static int size(String location, String key, String text) {
    try {
      int size = Integer.parseInt(text);
      if (size >= 1) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw problem(
        location, "'" + key + "' is '" + text + "'; expected a whole number of at least 1");
  }

  private static double[] vector(String location, Properties p, String key, int size) {
    String[] parts = p.getProperty(key, "0").split(",", -1);
    if (parts.length != 1 && parts.length != size) {
      throw problem(
          location,
          "'"
              + key
              + "' has "
              + parts.length
              + " numbers; expected 1 (for every entry) or "
              + size);
    }
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = number(location, key, parts[parts.length == 1 ? 0 : i]);
    }
    return v;
  }

  private static double number(String location, String key, String text) {
    try {
      double v = Double.parseDouble(text.trim());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw problem(location, "'" + key + "' has '" + text.trim() + "'; expected a finite number");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The one shape of every model-file error: the file, then the problem. */
  private static ModelException problem(String location, String what) {
    return new ModelException("poly model '" + location + "': " + what);
  }
}
