package io.dime.adapter.oip;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import io.dime.spi.TextCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A served model's inputs and outputs, read from its metadata ({@code GET /v2/models/NAME}), and
 * the checks of a run's inputs and requested outputs against them. Every message starts with the
 * model's location and names the input or output and what was expected and found.
 *
 * <p>Inputs must be FP32, FP64, FP16, BF16, UINT8, INT64, INT32, BOOL or BYTES with the batch
 * dimension first (FP64, FP16, BF16 and UINT8 are reported as FLOAT32, INT32 and BOOL as INT64,
 * what DIME's encoders give, and converted when sent). A BYTES input must hold one text per row
 * ([batch] or [batch, 1]: a served scikit-learn text pipeline or text classifier); it is reported
 * as INT64 [batch, -1], filled by the text modality's encoder {@code string} with each row's text
 * packed by {@link TextCodes}, and the texts are unpacked when sent. Outputs of datatype FP32,
 * FP64, FP16 or BF16 are returned as {@link ElementType#FLOAT32}, INT64 or INT32 as {@link
 * ElementType#INT64}; other outputs are left out of the signature and fail when requested.
 */
final class OipSignature {
  private final String prefix;
  final Map<String, TensorSpec> inputs = new LinkedHashMap<>();

  /**
   * Each input's datatype on the wire (FP32, FP64, FP16, BF16, UINT8, INT64, INT32, BOOL or BYTES),
   * as declared.
   */
  final Map<String, String> datatypes = new LinkedHashMap<>();

  /** The rank of each BYTES input (1 for [batch], 2 for [batch, 1]). */
  final Map<String, Integer> textRanks = new LinkedHashMap<>();

  /** Outputs of datatype FP64, FP16, BF16 or INT32 (returned as FLOAT32 and INT64). */
  private final Map<String, String> modelTypes = new LinkedHashMap<>();

  final Map<String, TensorSpec> outputs = new LinkedHashMap<>();
  private final Map<String, String> unsupported = new LinkedHashMap<>();

  /** The fixed batch dimension the inputs share, or 0 when it is dynamic. */
  int fixedBatch;

  /** The first input that fixes the batch dimension, with its shape in the metadata, or null. */
  private String fixedBy;

  private OipSignature(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Reads a model metadata response.
   *
   * @param prefix the start of every message ("model 'LOCATION': ")
   * @throws ModelException for metadata without inputs, malformed metadata or an input this adapter
   *     cannot send
   */
  static OipSignature read(JsonNode metadata, String prefix) {
    OipSignature s = new OipSignature(prefix);
    JsonNode in = metadata.path("inputs");
    if (!in.isArray() || in.isEmpty()) {
      throw s.fail("the server's metadata lists no inputs: " + abbreviate(metadata));
    }
    for (JsonNode t : in) {
      s.addInput(t);
    }
    JsonNode out = metadata.path("outputs");
    if (!out.isArray() || out.isEmpty()) {
      throw s.fail("the server's metadata lists no outputs: " + abbreviate(metadata));
    }
    for (JsonNode t : out) {
      s.addOutput(t);
    }
    s.checkOutputBatch();
    return s;
  }

  /**
   * Refuses a model whose inputs fix the first dimension at a size that no output shares, as a
   * model exported for one example without a batch dimension does ([5] -> [2]): DIME would take it
   * as a fixed batch of 5 scalars.
   */
  private void checkOutputBatch() {
    if (fixedBatch < 1 || outputs.isEmpty()) {
      return;
    }
    for (TensorSpec o : outputs.values()) {
      if (o.shape()[0] < 0 || o.shape()[0] == fixedBatch) {
        return;
      }
    }
    TensorSpec o = outputs.values().iterator().next();
    throw noBatch(
        "output '"
            + o.name()
            + "' "
            + TensorSpec.shapeText(o.shape())
            + " fixes it at "
            + o.shape()[0]);
  }

  private void addInput(JsonNode t) {
    String name = text(t, "name", "an input");
    String datatype = text(t, "datatype", "input '" + name + "'");
    long[] shape = shape(t, "input '" + name + "'");
    String described = "input '" + name + "' " + TensorSpec.shapeText(shape);
    ElementType type = OipDatatypes.inputType(datatype);
    if (type == null) {
      throw fail(
          "input '"
              + name
              + "' has datatype "
              + datatype
              + "; the oip adapter sends FP32, FP64, FP16, BF16, UINT8, INT64, INT32, BOOL and BYTES"
              + " inputs only");
    }
    if (datatype.equals(OipDatatypes.BYTES)) {
      shape = textShape(name, shape);
    }
    if (shape.length == 0) {
      throw fail(
          "input '" + name + "' is a scalar (shape []); the oip adapter needs the batch dimension");
    }
    if (shape[0] > 0) {
      if (fixedBatch != 0 && fixedBatch != shape[0]) {
        throw noBatch(described + " fixes it at " + shape[0]);
      }
      if (fixedBy == null) {
        fixedBy = described;
      }
      fixedBatch = Math.toIntExact(shape[0]);
    }
    datatypes.put(name, datatype);
    if (inputs.put(name, new TensorSpec(name, type, shape)) != null) {
      throw fail("the server's metadata lists input '" + name + "' twice");
    }
  }

  /**
   * The refusal of a model without a batch dimension (one exported for a single example): the input
   * {@link #fixedBy} fixes the first dimension, {@code other} (an input or output, with its shape)
   * disagrees. The ONNX adapter refuses such a model in the same words.
   */
  private ModelException noBatch(String other) {
    return fail(
        "the model has no batch dimension: DIME feeds rows along the first dimension of every"
            + " input and output, and "
            + fixedBy
            + " fixes it at "
            + fixedBatch
            + " where "
            + other
            + ". Export the model with a batch dimension first in every input and output (and on"
            + " Triton, give it a max_batch_size of 1 or more)");
  }

  /**
   * The shape DIME fills a BYTES input with, INT64 [batch, -1] (a row of packed text each), for a
   * model shape of one text per row; remembers the model's rank.
   */
  private long[] textShape(String name, long[] shape) {
    boolean oneText = shape.length == 1 || (shape.length == 2 && (shape[1] == 1 || shape[1] == -1));
    if (!oneText) {
      throw fail(
          "input '"
              + name
              + "' is a BYTES tensor of shape "
              + TensorSpec.shapeText(shape)
              + "; the oip adapter sends one text per row ([batch] or [batch, 1])");
    }
    textRanks.put(name, shape.length);
    return new long[] {shape[0], -1};
  }

  /**
   * The shape an input is sent with in a request of {@code fed} rows: {@code [fed]} or {@code [fed,
   * 1]} for a BYTES input (the model's rank), else the tensor's with {@code fed} rows.
   */
  long[] wireShape(String name, Tensor t, int fed) {
    Integer rank = textRanks.get(name);
    if (rank != null) {
      return rank == 1 ? new long[] {fed} : new long[] {fed, 1};
    }
    long[] shape = t.shape().clone();
    shape[0] = fed;
    return shape;
  }

  private void addOutput(JsonNode t) {
    String name = text(t, "name", "an output");
    String datatype = text(t, "datatype", "output '" + name + "'");
    long[] shape = shape(t, "output '" + name + "'");
    ElementType type = OipDatatypes.outputType(datatype);
    if (outputs.containsKey(name) || unsupported.containsKey(name)) {
      throw fail("the server's metadata lists output '" + name + "' twice");
    }
    if (type == null) {
      unsupported.put(name, "has datatype " + datatype);
    } else if (shape.length == 0) {
      unsupported.put(name, "is a scalar (no batch dimension)");
    } else {
      outputs.put(name, new TensorSpec(name, type, shape));
      if (!datatype.equals(OipDatatypes.FP32) && !datatype.equals(OipDatatypes.INT64)) {
        modelTypes.put(name, datatype);
      }
    }
  }

  /** The datatype the metadata gives a supported output (FP32, FP64, FP16, BF16, INT64, INT32). */
  String outputDatatype(String name) {
    String declared = modelTypes.get(name);
    if (declared != null) {
      return declared;
    }
    return outputs.get(name).type() == ElementType.FLOAT32 ? OipDatatypes.FP32 : OipDatatypes.INT64;
  }

  /**
   * The datatype of every input and output DIME sees as another type (FP64, FP16, BF16, UINT8,
   * INT32, BOOL, BYTES).
   */
  Map<String, String> modelTypes() {
    Map<String, String> out = new LinkedHashMap<>();
    datatypes.forEach(
        (name, datatype) -> {
          if (!datatype.equals(OipDatatypes.FP32) && !datatype.equals(OipDatatypes.INT64)) {
            out.put(name, datatype);
          }
        });
    out.putAll(modelTypes);
    return out;
  }

  private String text(JsonNode t, String field, String what) {
    JsonNode v = t.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw fail("the server's metadata gives " + what + " no '" + field + "': " + abbreviate(t));
    }
    return v.asText();
  }

  /** The shape, -1 for every variable dimension. */
  private long[] shape(JsonNode t, String what) {
    JsonNode v = t.get("shape");
    if (v == null || !v.isArray()) {
      throw fail("the server's metadata gives " + what + " no 'shape': " + abbreviate(t));
    }
    long[] shape = new long[v.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = v.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber()) {
        throw fail("the server's metadata gives " + what + " a shape of non-integers: " + v);
      }
      shape[i] = d.asLong() < 0 ? -1 : d.asLong();
    }
    return shape;
  }

  /** The signature as the SPI reports it. */
  ModelSignature toModelSignature() {
    return new ModelSignature(List.copyOf(inputs.values()), List.copyOf(outputs.values()));
  }

  /**
   * Checks names (unknown before missing), element types and shapes.
   *
   * @return the batch size the inputs share
   */
  int checkInputs(Map<String, Tensor> given) {
    Set<String> expected = inputs.keySet();
    given.keySet().stream()
        .filter(n -> !expected.contains(n))
        .findFirst()
        .ifPresent(
            n -> {
              throw fail("unknown input '" + n + "'; model inputs: " + expected);
            });
    List<String> missing = expected.stream().filter(n -> !given.containsKey(n)).toList();
    if (missing.size() == 1) {
      throw fail("missing input '" + missing.get(0) + "'; model inputs: " + expected);
    } else if (!missing.isEmpty()) {
      throw fail("missing inputs " + missing + "; model inputs: " + expected);
    }
    long batch = -1;
    String firstName = null;
    for (TensorSpec spec : inputs.values()) {
      Tensor t = given.get(spec.name());
      if (t == null) {
        throw fail("input '" + spec.name() + "' is null");
      }
      checkOne(spec, t);
      long rows = t.shape()[0];
      if (firstName != null && rows != batch) {
        throw fail(
            String.format(
                "inputs disagree on the batch size: '%s' has %d rows, '%s' has %d",
                firstName, batch, spec.name(), rows));
      }
      if (firstName == null) {
        firstName = spec.name();
        batch = rows;
      }
    }
    return Math.toIntExact(batch);
  }

  private void checkOne(TensorSpec spec, Tensor t) {
    if (t.type() != spec.type()) {
      throw fail(
          String.format(
              "input '%s': expected element type %s, found %s",
              spec.name(), spec.type(), t.type()));
    }
    long[] want = spec.shape();
    long[] got = t.shape();
    boolean fits = want.length == got.length;
    for (int d = 1; fits && d < want.length; d++) {
      fits = want[d] == -1 || want[d] == got[d];
    }
    if (!fits) {
      want[0] = -1; // any number of rows is fine
      throw fail(
          String.format(
              "input '%s': expected shape %s (? = any size), found %s",
              spec.name(), TensorSpec.shapeText(want), TensorSpec.shapeText(got)));
    }
  }

  /** The requested outputs without repeats, each one the model has and this adapter returns. */
  List<String> checkOutputs(List<String> names) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : names) {
      if (name == null) {
        throw fail("output name is null; model outputs: " + outputs.keySet());
      }
      String why = unsupported.get(name);
      if (why != null) {
        throw fail(
            "output '"
                + name
                + "' "
                + why
                + "; the oip adapter returns FP32, FP64, FP16, BF16, INT32 and INT64 outputs;"
                + " supported outputs: "
                + outputs.keySet());
      }
      if (!outputs.containsKey(name)) {
        throw fail("unknown output '" + name + "'; model outputs: " + outputs.keySet());
      }
      wanted.add(name);
    }
    return List.copyOf(wanted);
  }

  /** One line per tensor, for provenance and the metadata digest. */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    inputs.values().forEach(s -> out.add("input " + s));
    outputs.values().forEach(s -> out.add("output " + s));
    unsupported.forEach((n, why) -> out.add("output " + n + " " + why));
    return out;
  }

  private ModelException fail(String message) {
    return new ModelException(prefix + message);
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
