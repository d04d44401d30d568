package io.dime.adapter.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files in which a model keeps tensors outside the model file: ONNX's external data, as {@code
 * onnx.save} writes it for {@code save_as_external_data} and PyTorch's exporter for a model over 2
 * GB (and, in recent versions, by default). Each tensor stored so names its file by a {@code
 * location} relative to the model's folder; ONNX Runtime reads them there. The model's identity in
 * the provenance covers them, or a resumed job would take explanations of other weights as its own.
 *
 * <p>Read with {@link ProtoReader} from the file mapped into memory, weights skipped by length:
 * ModelProto.graph and .functions; GraphProto.node, .initializer and .sparse_initializer;
 * NodeProto.attribute; AttributeProto.t, .g, .tensors, .graphs, .sparse_tensor and .sparse_tensors
 * (subgraphs of If, Loop and Scan included); TensorProto.external_data.
 */
final class ExternalData {
  /** Deeper nesting of subgraphs than this is not read (protobuf's own parsers stop at 100). */
  private static final int MAX_DEPTH = 100;

  private final ProtoReader r;
  private final Set<String> locations = new LinkedHashSet<>();

  private ExternalData(ProtoReader r) {
    this.r = r;
  }

  /**
   * The locations the model names, each once, in the order it names them.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalStateException when it is not a model (ONNX Runtime, which loaded it, disagrees)
   */
  static List<String> locations(Path model) throws IOException {
    try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new IllegalStateException("a model file over 2 GB"); // protobuf's own limit
      }
      return locations(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
    }
  }

  static List<String> locations(ByteBuffer model) {
    ExternalData x = new ExternalData(new ProtoReader(model));
    try {
      x.r.fields(
          model.limit(),
          (field, end) -> {
            if (field == 7 && end >= 0) { // ModelProto.graph
              x.graph(end, 0);
            } else if (field == 25 && end >= 0) { // ModelProto.functions
              x.r.fields(end, (ff, fend) -> x.nodeIf(ff == 7, fend, 0)); // FunctionProto.node
            }
          });
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalStateException("truncated model", e);
    }
    return new ArrayList<>(x.locations);
  }

  private void graph(int end, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("subgraphs nested over " + MAX_DEPTH + " deep");
    }
    r.fields(
        end,
        (field, fend) -> {
          if (fend < 0) {
            return;
          }
          switch (field) {
            case 1 -> node(fend, depth);
            case 5 -> tensor(fend);
            case 15 -> sparse(fend);
            default -> {} // skipped
          }
        });
  }

  private void nodeIf(boolean isNode, int end, int depth) {
    if (isNode && end >= 0) {
      node(end, depth);
    }
  }

  /** NodeProto.attribute: tensors and subgraphs. */
  private void node(int end, int depth) {
    r.fields(
        end,
        (field, fend) -> {
          if (field == 5 && fend >= 0) {
            r.fields(
                fend,
                (af, aend) -> {
                  if (aend < 0) {
                    return;
                  }
                  switch (af) {
                    case 5, 10 -> tensor(aend);
                    case 6, 11 -> graph(aend, depth + 1);
                    case 22, 23 -> sparse(aend);
                    default -> {} // skipped
                  }
                });
          }
        });
  }

  /** SparseTensorProto.values and .indices. */
  private void sparse(int end) {
    r.fields(
        end,
        (field, fend) -> {
          if ((field == 1 || field == 2) && fend >= 0) {
            tensor(fend);
          }
        });
  }

  /** TensorProto.external_data: its entry {@code location}. */
  private void tensor(int end) {
    r.fields(
        end,
        (field, fend) -> {
          if (field == 13 && fend >= 0) {
            String[] kv = new String[2];
            r.fields(
                fend,
                (ef, eend) -> {
                  if ((ef == 1 || ef == 2) && eend >= 0) {
                    kv[ef - 1] = r.string(eend);
                  }
                });
            if ("location".equals(kv[0]) && kv[1] != null) {
              locations.add(kv[1]);
            }
          }
        });
  }
}
