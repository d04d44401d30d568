package io.dime.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes small ONNX models for tests, encoding the protobuf by hand (no protobuf library): graph
 * inputs and outputs with fixed, symbolic ({@code "batch"}) or unnamed dynamic ({@code "?"})
 * dimensions, and single-input nodes ({@code Identity}, {@code Softmax}; with integer or
 * integer-list attributes, {@code Cast}, {@code ReduceMean}). Inputs no node reads are allowed, so
 * a test can declare any signature.
 */
final class TinyOnnx {
  static final int FLOAT = 1;
  static final int UINT8 = 2;
  static final int INT64 = 7;

  /** A graph input or output: element type and dimensions (Long, a symbolic String, or "?"). */
  record Value(String name, int elemType, List<Object> dims) {}

  /** A node with one input and one output; attributes are Long (INT) or long[] (INTS). */
  record Node(String opType, String input, String output, Map<String, Object> attributes) {}

  private final List<Value> inputs = new ArrayList<>();
  private final List<Value> outputs = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  TinyOnnx input(String name, int elemType, Object... dims) {
    inputs.add(new Value(name, elemType, List.of(dims)));
    return this;
  }

  TinyOnnx output(String name, int elemType, Object... dims) {
    outputs.add(new Value(name, elemType, List.of(dims)));
    return this;
  }

  TinyOnnx node(String opType, String input, String output) {
    return node(opType, input, output, Map.of());
  }

  TinyOnnx node(String opType, String input, String output, Map<String, Object> attributes) {
    nodes.add(new Node(opType, input, output, new TreeMap<>(attributes)));
    return this;
  }

  /** Writes the model (IR version 7, opset 13) to {@code file}. */
  Path write(Path file) throws IOException {
    Proto graph = new Proto();
    int i = 0;
    for (Node n : nodes) {
      Proto node = new Proto();
      node.string(1, n.input());
      node.string(2, n.output());
      node.string(3, "n" + i++);
      node.string(4, n.opType());
      for (Map.Entry<String, Object> a : n.attributes().entrySet()) {
        Proto attribute = new Proto();
        attribute.string(1, a.getKey());
        if (a.getValue() instanceof long[] values) {
          for (long v : values) {
            attribute.varint(8, v);
          }
          attribute.varint(20, 7); // INTS
        } else {
          attribute.varint(3, ((Number) a.getValue()).longValue());
          attribute.varint(20, 2); // INT
        }
        node.message(5, attribute);
      }
      graph.message(1, node);
    }
    graph.string(2, "tiny");
    for (Value v : inputs) {
      graph.message(11, valueInfo(v));
    }
    for (Value v : outputs) {
      graph.message(12, valueInfo(v));
    }
    Proto opset = new Proto();
    opset.string(1, "");
    opset.varint(2, 13);
    Proto model = new Proto();
    model.varint(1, 7);
    model.string(2, "dime-tests");
    model.message(7, graph);
    model.message(8, opset);
    Files.write(file, model.bytes());
    return file;
  }

  private static Proto valueInfo(Value v) {
    Proto shape = new Proto();
    for (Object d : v.dims()) {
      Proto dim = new Proto();
      if (d instanceof Number n) {
        dim.varint(1, n.longValue());
      } else if (!"?".equals(d)) {
        dim.string(2, d.toString());
      }
      shape.message(1, dim);
    }
    Proto tensor = new Proto();
    tensor.varint(1, v.elemType());
    tensor.message(2, shape);
    Proto type = new Proto();
    type.message(1, tensor);
    Proto info = new Proto();
    info.string(1, v.name());
    info.message(2, type);
    return info;
  }

  /** A protobuf message being written: varint and length-delimited fields. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
    }

    void string(int field, String value) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void message(int field, Proto value) {
      bytes(field, value.bytes());
    }

    private void bytes(int field, byte[] b) {
      raw(((long) field << 3) | 2);
      raw(b.length);
      out.writeBytes(b);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
