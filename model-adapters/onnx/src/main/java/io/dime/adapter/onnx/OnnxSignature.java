package io.dime.adapter.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import io.dime.spi.TextCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's inputs and outputs as read from its ONNX Runtime session, and the checks of a run's
 * inputs and requested outputs against them, with messages naming what was expected and found.
 */
final class OnnxSignature {
  private final Path path;
  final Map<String, TensorSpec> inputs = new LinkedHashMap<>();
  final Map<String, TensorSpec> outputs = new LinkedHashMap<>();
  final Map<String, String> unsupportedOutputs = new LinkedHashMap<>();

  /**
   * Inputs fed as another type than DIME's: INT32 and BOOL (from INT64), DOUBLE, FLOAT16, BFLOAT16
   * and UINT8 (from FLOAT32), STRING (from INT64 {@link TextCodes}).
   */
  final Map<String, OnnxJavaType> converted = new LinkedHashMap<>();

  /** The class labels of each output of maps (a ZipMap's), in order: Long or String. */
  final Map<String, List<Object>> labels = new LinkedHashMap<>();

  /** The labels of the model's ZipMap nodes, read when an output of maps needs them. */
  private Map<String, List<Object>> zipMaps;

  /** The rank of each STRING input (1 for [batch], 2 for [batch, 1]). */
  final Map<String, Integer> textRanks = new LinkedHashMap<>();

  /** The model's own element type of every input and output reported as another type. */
  final Map<String, String> modelTypes = new LinkedHashMap<>();

  int fixedBatch;

  /** The first input that fixes the batch dimension ({@link #fixedBatch}), or null. */
  private TensorSpec fixedBy;

  private OnnxSignature(Path path) {
    this.path = path;
  }

  /**
   * Reads the inputs and outputs of a session.
   *
   * @param path the model, for messages
   * @throws ModelException for an input this adapter cannot feed, or a model without inputs
   */
  static OnnxSignature read(OrtSession session, Path path) throws OrtException {
    OnnxSignature s = new OnnxSignature(path);
    for (NodeInfo node : session.getInputInfo().values()) {
      s.addInput(node);
    }
    if (s.inputs.isEmpty()) {
      throw new ModelException("model '" + path + "' has no inputs");
    }
    for (NodeInfo node : session.getOutputInfo().values()) {
      s.addOutput(node);
    }
    s.checkOutputBatch();
    return s;
  }

  /**
   * Refuses a model whose inputs fix the first dimension at a size that no output shares: every
   * output a scalar or fixing its first dimension at another size, as a model exported for one
   * example without a batch dimension does ([5] -> [2]). DIME would take it as a fixed batch of 5
   * scalars.
   */
  private void checkOutputBatch() {
    if (fixedBatch < 1 || outputs.isEmpty()) {
      return;
    }
    for (TensorSpec o : outputs.values()) {
      long[] shape = o.shape();
      if (shape.length > 0 && (shape[0] < 0 || shape[0] == fixedBatch)) {
        return;
      }
    }
    TensorSpec o = outputs.values().iterator().next();
    throw noBatch(
        fixedBy,
        "output '"
            + o.name()
            + "' "
            + TensorSpec.shapeText(o.shape())
            + (o.shape().length == 0 ? " is a scalar" : " fixes it at " + o.shape()[0]));
  }

  /**
   * The refusal of a model without a batch dimension: {@code first} fixes the first dimension,
   * {@code other} (an input or output, with its shape) disagrees.
   */
  private ModelException noBatch(TensorSpec first, String other) {
    return new ModelException(
        "model '"
            + path
            + "' has no batch dimension: DIME feeds rows along the first dimension of every input"
            + " and output, and input '"
            + first.name()
            + "' "
            + TensorSpec.shapeText(first.shape())
            + " fixes it at "
            + first.shape()[0]
            + " where "
            + other
            + ". Export the model with a batch dimension first in every input and output"
            + " (torch.onnx.export on batched"
            + " example inputs with dynamic_axes={'"
            + first.name()
            + "': {0: 'batch'}, ...})");
  }

  /**
   * A FLOAT, DOUBLE, FLOAT16, BFLOAT16, UINT8, INT64, INT32 or BOOL tensor input with the batch
   * dimension first; fails for any other. DIME's encoders give FLOAT32 and INT64: a DOUBLE input is
   * reported (and filled) as FLOAT32 and widened when fed, a FLOAT16 or BFLOAT16 one (a model
   * exported in half precision) as FLOAT32 and rounded to nearest when fed, a UINT8 one (the pixels
   * of an image model exported from TensorFlow) as FLOAT32 and rounded when fed, an INT32 or BOOL
   * one (an attention mask) as INT64 and narrowed when fed (a value outside 0 to 255 for UINT8,
   * outside int32 for INT32, or other than 0 and 1 for BOOL, fails the call).
   */
  private void addInput(NodeInfo node) {
    String name = node.getName();
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new ModelException(
          "model '"
              + path
              + "': input '"
              + name
              + "' is not a tensor ("
              + node.getInfo()
              + "); the ONNX adapter feeds tensors only");
    }
    if (info.type == OnnxJavaType.STRING) {
      addTextInput(name, shape(info));
      return;
    }
    ElementType type =
        switch (info.type) {
          case FLOAT, DOUBLE, FLOAT16, BFLOAT16, UINT8 -> ElementType.FLOAT32;
          case INT64, INT32, BOOL -> ElementType.INT64;
          default ->
              throw new ModelException(
                  "model '"
                      + path
                      + "': input '"
                      + name
                      + "' has element type "
                      + info.onnxType
                      + "; the ONNX adapter feeds FLOAT, DOUBLE, FLOAT16, BFLOAT16, UINT8, INT64,"
                      + " INT32, BOOL and STRING inputs only");
        };
    if (info.type != OnnxJavaType.FLOAT && info.type != OnnxJavaType.INT64) {
      converted.put(name, info.type);
      modelTypes.put(name, info.type.name());
    }
    long[] shape = shape(info);
    if (shape.length == 0) {
      throw new ModelException(
          "model '"
              + path
              + "': input '"
              + name
              + "' is a scalar; the ONNX adapter needs the batch dimension first");
    }
    if (shape[0] > 0) {
      checkFixedBatch(new TensorSpec(name, type, shape));
    }
    inputs.put(name, new TensorSpec(name, type, shape));
  }

  /**
   * A STRING input of one text per row ([batch] or [batch, 1]: a scikit-learn text pipeline): DIME
   * fills it as INT64 [batch, -1] holding each row's text as {@link TextCodes} packs it (the text
   * modality's encoder {@code string}), and the rows are unpacked into strings when fed.
   */
  private void addTextInput(String name, long[] shape) {
    boolean oneText = shape.length == 1 || (shape.length == 2 && (shape[1] == 1 || shape[1] == -1));
    if (!oneText) {
      throw new ModelException(
          "model '"
              + path
              + "': input '"
              + name
              + "' is a STRING tensor of shape "
              + TensorSpec.shapeText(shape)
              + "; the ONNX adapter feeds one text per row ([batch] or [batch, 1])");
    }
    if (shape[0] > 0) {
      checkFixedBatch(new TensorSpec(name, ElementType.INT64, shape));
    }
    converted.put(name, OnnxJavaType.STRING);
    modelTypes.put(name, TextCodes.STRING);
    textRanks.put(name, shape.length);
    inputs.put(name, new TensorSpec(name, ElementType.INT64, new long[] {shape[0], -1}));
  }

  /**
   * Keeps the fixed batch size of an input whose first dimension is fixed; two inputs that fix it
   * at different sizes are a model without a batch dimension ({@link #noBatch}).
   */
  private void checkFixedBatch(TensorSpec input) {
    long batch = input.shape()[0];
    if (fixedBatch > 0 && fixedBatch != batch) {
      throw noBatch(
          fixedBy,
          "input '"
              + input.name()
              + "' "
              + TensorSpec.shapeText(input.shape())
              + " fixes it at "
              + batch);
    }
    if (fixedBy == null) {
      fixedBy = input;
    }
    fixedBatch = Math.toIntExact(batch);
  }

  /** A tensor output this adapter returns, or a note on why it does not. */
  private void addOutput(NodeInfo node) {
    String name = node.getName();
    if (node.getInfo() instanceof SequenceInfo seq && seq.isSequenceOfMaps()) {
      addMapsOutput(name, seq.mapInfo);
      return;
    }
    if (!(node.getInfo() instanceof TensorInfo info)) {
      unsupportedOutputs.put(name, "is not a tensor (" + node.getInfo() + ")");
      return;
    }
    ElementType type =
        switch (info.type) {
          case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> ElementType.FLOAT32;
          case INT64, INT32 -> ElementType.INT64;
          default -> null;
        };
    if (type == null) {
      unsupportedOutputs.put(name, "has element type " + info.onnxType);
    } else {
      outputs.put(name, new TensorSpec(name, type, shape(info)));
      if (info.type != OnnxJavaType.FLOAT && info.type != OnnxJavaType.INT64) {
        modelTypes.put(name, info.type.name());
      }
    }
  }

  /**
   * A sequence of maps from class label to score, one map a row (a scikit-learn classifier's
   * ZipMap): returned as FLOAT32 [batch, classes], the classes in the order of the ZipMap node's
   * labels, which {@link #labels} keeps. Without the labels (no ZipMap node makes the output) it is
   * not returned.
   */
  private void addMapsOutput(String name, MapInfo map) {
    if (zipMaps == null) {
      zipMaps = ZipMapLabels.read(path);
    }
    List<Object> keys = zipMaps.get(name);
    String type = "SEQUENCE(MAP(" + map.keyType + "," + map.valueType + "))";
    boolean numbers = map.valueType == OnnxJavaType.FLOAT || map.valueType == OnnxJavaType.DOUBLE;
    if (keys == null || !numbers) {
      unsupportedOutputs.put(
          name,
          "is a "
              + type
              + (numbers ? " that no ZipMap node with class labels makes" : "")
              + " (export a scikit-learn classifier with options={'zipmap': False} to get a"
              + " tensor)");
      return;
    }
    outputs.put(name, new TensorSpec(name, ElementType.FLOAT32, new long[] {-1, keys.size()}));
    modelTypes.put(name, type);
    labels.put(name, keys);
  }

  /** The shape with -1 for every dynamic or symbolic dimension. */
  private static long[] shape(TensorInfo info) {
    long[] shape = info.getShape();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        shape[i] = -1;
      }
    }
    return shape;
  }

  /** The signature as the SPI reports it. */
  ModelSignature toModelSignature() {
    return new ModelSignature(new ArrayList<>(inputs.values()), new ArrayList<>(outputs.values()));
  }

  /** Checks names, types and shapes; returns the batch size shared by all inputs. */
  int checkInputs(Map<String, Tensor> given) {
    for (String name : given.keySet()) {
      if (!inputs.containsKey(name)) {
        throw new ModelException("unknown input '" + name + "'; model inputs: " + inputs.keySet());
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : inputs.keySet()) {
      if (!given.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelException(
          (missing.size() == 1
                  ? "missing input '" + missing.get(0) + "'"
                  : "missing inputs " + missing)
              + "; model inputs: "
              + inputs.keySet());
    }
    long rows = -1;
    String first = null;
    for (TensorSpec spec : inputs.values()) {
      String name = spec.name();
      Tensor t = given.get(name);
      if (t == null) {
        throw new ModelException("input '" + name + "' is null");
      }
      if (t.type() != spec.type()) {
        throw new ModelException(
            "input '" + name + "': expected element type " + spec.type() + ", found " + t.type());
      }
      long[] expected = spec.shape();
      long[] shape = t.shape();
      boolean ok = shape.length == expected.length;
      for (int i = 1; ok && i < expected.length; i++) {
        ok = expected[i] < 0 || expected[i] == shape[i];
      }
      if (!ok) {
        expected[0] = -1; // any number of rows is accepted
        throw new ModelException(
            "input '"
                + name
                + "': expected shape "
                + TensorSpec.shapeText(expected)
                + " (? = any size), found "
                + TensorSpec.shapeText(shape));
      }
      if (first == null) {
        rows = shape[0];
        first = name;
      } else if (shape[0] != rows) {
        throw new ModelException(
            "inputs disagree on the batch size: '"
                + first
                + "' has "
                + rows
                + " rows, '"
                + name
                + "' has "
                + shape[0]);
      }
    }
    return (int) rows;
  }

  List<String> checkOutputs(List<String> names) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : names) {
      if (name == null) {
        throw new ModelException("output name is null; model outputs: " + outputs.keySet());
      }
      if (!outputs.containsKey(name)) {
        String why = unsupportedOutputs.get(name);
        if (why != null) {
          throw new ModelException(
              "output '"
                  + name
                  + "' of model '"
                  + path
                  + "' "
                  + why
                  + "; the ONNX adapter returns FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT32 and INT64"
                  + " tensors and a ZipMap's"
                  + " maps; supported"
                  + " outputs: "
                  + outputs.keySet());
        }
        throw new ModelException(
            "unknown output '" + name + "'; model outputs: " + outputs.keySet());
      }
      wanted.add(name);
    }
    return List.copyOf(wanted);
  }
}
