package io.dime.adapter.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The class labels of the {@code ZipMap} nodes of a model's main graph, by the node's output name.
 * A scikit-learn classifier exported to ONNX ends, unless told otherwise, in a ZipMap that turns
 * the probability matrix into a sequence of maps, one a row, from class label to probability; ONNX
 * Runtime reports such an output's key type but not its keys, which are the node's {@code
 * classlabels_int64s} or {@code classlabels_strings} attribute. ONNX Runtime's Java API does not
 * expose a model's nodes, so this reads the few fields of the model file it needs with {@link
 * ProtoReader} (ModelProto.graph, GraphProto.node, NodeProto.output, op_type and attribute,
 * AttributeProto.name, ints and strings), skipping everything else.
 */
final class ZipMapLabels {
  private final ProtoReader r;

  private ZipMapLabels(byte[] b) {
    this.r = new ProtoReader(b);
  }

  /**
   * Reads the labels of every ZipMap node; labels are Long or String, in the node's order.
   *
   * @return empty when the file has none, or cannot be read as a model
   */
  static Map<String, List<Object>> read(Path path) {
    try {
      if (Files.size(path) > Integer.MAX_VALUE - 16) {
        return Map.of();
      }
      return read(Files.readAllBytes(path));
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  static Map<String, List<Object>> read(byte[] model) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    ZipMapLabels z = new ZipMapLabels(model);
    ProtoReader r = z.r;
    r.fields(
        model.length,
        (field, end) -> {
          if (field == 7 && end >= 0) { // ModelProto.graph
            r.fields(
                end,
                (gf, gend) -> {
                  if (gf == 1 && gend >= 0) { // GraphProto.node
                    z.node(gend, out);
                  }
                });
          }
        });
    return out;
  }

  /** One NodeProto ending at {@code end}: its labels when it is a ZipMap. */
  private void node(int end, Map<String, List<Object>> out) {
    List<String> outputs = new ArrayList<>();
    String[] opType = {null};
    List<Object> labels = new ArrayList<>();
    r.fields(
        end,
        (field, fend) -> {
          if (fend < 0) {
            return; // a varint field: skipped by fields()
          }
          switch (field) {
            case 2 -> outputs.add(r.string(fend));
            case 4 -> opType[0] = r.string(fend);
            case 5 -> attribute(fend, labels);
            default -> {} // skipped by fields()
          }
        });
    if ("ZipMap".equals(opType[0]) && outputs.size() == 1 && !labels.isEmpty()) {
      out.put(outputs.get(0), List.copyOf(labels));
    }
  }

  /** One AttributeProto: adds the values of {@code classlabels_int64s} or {@code _strings}. */
  private void attribute(int end, List<Object> labels) {
    String[] name = {null};
    List<Long> ints = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    // the name may come after the values: read them all, then keep them by name
    r.fields(
        end,
        (field, fend) -> {
          if (fend < 0 && field != 8) {
            return; // a varint field other than ints: skipped by fields()
          }
          switch (field) {
            case 1 -> name[0] = r.string(fend);
            case 8 -> {
              if (fend < 0) { // one varint
                ints.add(r.varint());
              } else { // packed
                while (r.before(fend)) {
                  ints.add(r.varint());
                }
              }
            }
            case 9 -> strings.add(r.string(fend));
            default -> {} // skipped by fields()
          }
        });
    if ("classlabels_int64s".equals(name[0])) {
      labels.addAll(ints);
    } else if ("classlabels_strings".equals(name[0])) {
      labels.addAll(strings);
    }
  }
}
