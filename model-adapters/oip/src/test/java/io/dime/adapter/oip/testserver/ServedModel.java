package io.dime.adapter.oip.testserver;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One ONNX model behind the test server: its metadata and its runs. */
final class ServedModel {
  /** A tensor's name, protocol datatype and shape (-1 for a variable dimension). */
  record Meta(String name, String datatype, long[] shape) {}

  /**
   * A tensor in or out of a run: FP32, FP16 and BF16 data in floats (a half as the float it holds),
   * FP64 in doubles, integers in longs, BYTES (an ONNX STRING input: one text each) in texts.
   */
  record Data(
      String name,
      String datatype,
      long[] shape,
      float[] floats,
      double[] doubles,
      long[] longs,
      String[] texts) {
    Data(
        String name,
        String datatype,
        long[] shape,
        float[] floats,
        double[] doubles,
        long[] longs) {
      this(name, datatype, shape, floats, doubles, longs, null);
    }
  }

  final String name;
  final List<Meta> inputs = new ArrayList<>();
  final List<Meta> outputs = new ArrayList<>();
  private final OrtEnvironment env;
  private final OrtSession session;

  ServedModel(String name, Path file, int threads) throws OrtException {
    this.name = name;
    this.env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      this.session = env.createSession(file.toString(), o);
    }
    for (NodeInfo n : session.getInputInfo().values()) {
      inputs.add(meta(n));
    }
    for (NodeInfo n : session.getOutputInfo().values()) {
      outputs.add(meta(n));
    }
  }

  private static Meta meta(NodeInfo n) {
    TensorInfo info = (TensorInfo) n.getInfo();
    long[] shape = info.getShape().clone();
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shape[i] < 0 ? -1 : shape[i];
    }
    return new Meta(n.getName(), datatype(info.type), shape);
  }

  static String datatype(OnnxJavaType t) {
    return switch (t) {
      case FLOAT -> "FP32";
      case DOUBLE -> "FP64";
      case INT64 -> "INT64";
      case INT32 -> "INT32";
      case BOOL -> "BOOL";
      case UINT8 -> "UINT8";
      case INT8 -> "INT8";
      case INT16 -> "INT16";
      case FLOAT16 -> "FP16";
      case BFLOAT16 -> "BF16";
      default -> "BYTES";
    };
  }

  /**
   * Runs the model.
   *
   * @throws IllegalArgumentException for inputs that do not match the model, with the message a 400
   *     answer carries
   */
  List<Data> run(Map<String, Data> given, List<String> wanted) throws OrtException {
    for (String n : given.keySet()) {
      if (inputs.stream().noneMatch(m -> m.name().equals(n))) {
        throw new IllegalArgumentException(
            "unexpected inference input '" + n + "' for model '" + name + "'");
      }
    }
    Set<String> known = new java.util.HashSet<>();
    outputs.forEach(m -> known.add(m.name()));
    for (String n : wanted) {
      if (!known.contains(n)) {
        throw new IllegalArgumentException(
            "unexpected inference output '" + n + "' for model '" + name + "'");
      }
    }
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try {
      for (Meta m : inputs) {
        Data d = given.get(m.name());
        if (d == null) {
          throw new IllegalArgumentException(
              "expected input '" + m.name() + "' for model '" + name + "'");
        }
        feed.put(m.name(), tensor(m, d));
      }
      List<Data> out = new ArrayList<>();
      try (OrtSession.Result r = session.run(feed, Set.copyOf(wanted))) {
        for (String n : wanted) {
          out.add(read(n, (OnnxTensor) r.get(n).orElseThrow()));
        }
      }
      return out;
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor tensor(Meta m, Data d) throws OrtException {
    if (!m.datatype().equals(d.datatype())) {
      throw new IllegalArgumentException(
          "input '"
              + m.name()
              + "' of model '"
              + name
              + "' has datatype "
              + m.datatype()
              + ", found "
              + d.datatype());
    }
    long[] want = m.shape();
    long[] got = d.shape();
    boolean ok = want.length == got.length;
    for (int i = 0; ok && i < want.length; i++) {
      ok = want[i] < 0 || want[i] == got[i];
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "input '"
              + m.name()
              + "' of model '"
              + name
              + "' has shape "
              + java.util.Arrays.toString(want)
              + ", found "
              + java.util.Arrays.toString(got));
    }
    if (d.texts() != null) {
      return OnnxTensor.createTensor(env, ortTexts(d.texts()), got);
    }
    if (m.datatype().equals("FP16") || m.datatype().equals("BF16")) {
      ByteBuffer bits =
          ByteBuffer.allocateDirect(2 * d.floats().length).order(ByteOrder.nativeOrder());
      for (float v : d.floats()) {
        bits.putShort(ServerCodec.half(m.datatype(), v));
      }
      OnnxJavaType type =
          m.datatype().equals("FP16") ? OnnxJavaType.FLOAT16 : OnnxJavaType.BFLOAT16;
      return OnnxTensor.createTensor(env, bits.rewind(), got, type);
    }
    if (d.floats() != null) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(d.floats()), got);
    }
    if (d.doubles() != null) {
      return OnnxTensor.createTensor(env, java.nio.DoubleBuffer.wrap(d.doubles()), got);
    }
    if (m.datatype().equals("INT32")) {
      int[] ints = new int[d.longs().length];
      for (int i = 0; i < ints.length; i++) {
        ints[i] = Math.toIntExact(d.longs()[i]);
      }
      return OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(ints), got);
    }
    if (m.datatype().equals("UINT8") || m.datatype().equals("BOOL")) {
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocateDirect(d.longs().length);
      for (long v : d.longs()) {
        bytes.put((byte) v);
      }
      return OnnxTensor.createTensor(
          env,
          bytes.rewind(),
          got,
          m.datatype().equals("BOOL") ? OnnxJavaType.BOOL : OnnxJavaType.UINT8);
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(d.longs()), got);
  }

  /**
   * The texts with every surrogate (a character outside the basic plane: one U+FFFD for the pair)
   * and U+0000 replaced by U+FFFD: ONNX Runtime's Java API passes strings in modified UTF-8, which
   * writes those as byte sequences that are not UTF-8 (its string operators would then fail). This
   * is the server's business; what the adapter sent was real UTF-8 (OipTextInputTest checks it).
   */
  private static String[] ortTexts(String[] texts) {
    String[] out = new String[texts.length];
    for (int i = 0; i < texts.length; i++) {
      StringBuilder sb = new StringBuilder(texts[i].length());
      texts[i]
          .codePoints()
          .forEach(
              c ->
                  sb.append(
                      c == 0 || c > 0xFFFF || Character.isSurrogate((char) c)
                          ? '\uFFFD'
                          : (char) c));
      out[i] = sb.toString();
    }
    return out;
  }

  private static Data read(String name, OnnxTensor t) {
    TensorInfo info = t.getInfo();
    long[] shape = info.getShape();
    String dt = datatype(info.type);
    switch (info.type) {
      case FLOAT -> {
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return new Data(name, dt, shape, v, null, null);
      }
      case DOUBLE -> {
        return new Data(name, dt, shape, null, readDoubles(t), null);
      }
      case FLOAT16, BFLOAT16 -> {
        ShortBuffer b = t.getShortBuffer();
        float[] v = new float[b.remaining()];
        for (int i = 0; i < v.length; i++) {
          v[i] = ServerCodec.fromHalf(dt, b.get(i));
        }
        return new Data(name, dt, shape, v, null, null);
      }
      case INT64 -> {
        LongBuffer b = t.getLongBuffer();
        long[] v = new long[b.remaining()];
        b.get(v);
        return new Data(name, dt, shape, null, null, v);
      }
      case INT32 -> {
        var b = t.getIntBuffer();
        long[] v = new long[b.remaining()];
        for (int i = 0; i < v.length; i++) {
          v[i] = b.get(i);
        }
        return new Data(name, dt, shape, null, null, v);
      }
      default -> throw new IllegalArgumentException("output '" + name + "' has type " + dt);
    }
  }

  private static double[] readDoubles(OnnxTensor t) {
    var b = t.getDoubleBuffer();
    double[] v = new double[b.remaining()];
    b.get(v);
    return v;
  }

  /** The ONNX Runtime version, for the server's metadata. */
  String runtimeVersion() {
    return env.getVersion();
  }
}
