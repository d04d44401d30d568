package io.dime.core.infer.targets;

import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The similarity of two outputs, row by row: cosine or dot product of their per-row vectors (a
 * two-tower model's image and text embeddings, shape {@code [batch, dim]} each, or any two outputs
 * of the same row size).
 */
public final class Similarity extends OutputTarget {
  /** Cosine similarity or dot product. */
  public enum Kind {
    COSINE,
    DOT
  }

  private final String a;
  private final String b;
  private final Kind kind;

  /**
   * @param outputs the two outputs
   * @param kind cosine or dot (null: cosine)
   */
  public Similarity(String name, List<String> outputs, String kind) {
    super(name);
    if (outputs == null || outputs.size() != 2 || outputs.stream().anyMatch(o -> o == null)) {
      throw new IllegalArgumentException(
          "target '" + name + "': a similarity needs two outputs, found " + outputs);
    }
    this.a = outputs.get(0);
    this.b = outputs.get(1);
    try {
      this.kind =
          kind == null || kind.isBlank()
              ? Kind.COSINE
              : Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "target '" + name + "': similarity is '" + kind + "'; allowed: cosine, dot");
    }
  }

  @Override
  public List<String> outputs() {
    return List.of(a, b);
  }

  @Override
  public void check(ModelSignature signature) {
    TensorSpec sa = spec(signature, a);
    TensorSpec sb = spec(signature, b);
    long ra = rowSize(sa);
    long rb = rowSize(sb);
    if (ra > 0 && rb > 0 && ra != rb) {
      throw new IllegalArgumentException(
          "target '"
              + name()
              + "': outputs "
              + shapeOf(sa)
              + " and "
              + shapeOf(sb)
              + " have rows of different sizes ("
              + ra
              + " and "
              + rb
              + ")");
    }
  }

  /** Elements per row, or -1 when open; an error when the output has no batch axis. */
  private long rowSize(TensorSpec s) {
    if (s.shape().length < 2) {
      throw new IllegalArgumentException(
          "target '"
              + name()
              + "': output "
              + shapeOf(s)
              + " is not a batch of vectors ([batch, dim] or more axes)");
    }
    long n = 1;
    for (int i = 1; i < s.shape().length; i++) {
      if (s.shape()[i] < 0) {
        return -1;
      }
      n *= s.shape()[i];
    }
    return n;
  }

  @Override
  public void score(
      Map<String, Tensor> outputs, int n, Object binding, double[] out, int col, int stride) {
    Tensor ya = tensor(outputs, a, n);
    Tensor yb = tensor(outputs, b, n);
    int len = ya.size() / Math.max(n, 1);
    if (yb.size() != ya.size()) {
      throw new io.dime.api.ModelException(
          "target '"
              + name()
              + "': outputs '"
              + a
              + "' "
              + Arrays.toString(ya.shape())
              + " and '"
              + b
              + "' "
              + Arrays.toString(yb.shape())
              + " have rows of different sizes");
    }
    double[] u = new double[len];
    double[] v = new double[len];
    for (int i = 0; i < n; i++) {
      copy(ya, i * len, u, len);
      copy(yb, i * len, v, len);
      double dot = 0;
      double nu = 0;
      double nv = 0;
      for (int j = 0; j < len; j++) {
        dot += u[j] * v[j];
        nu += u[j] * u[j];
        nv += v[j] * v[j];
      }
      double s = dot;
      if (kind == Kind.COSINE) {
        double norm = Math.sqrt(nu) * Math.sqrt(nv);
        s = norm == 0 ? 0 : dot / norm;
      }
      out[i * stride + col] = s;
    }
  }

  @Override
  public String describe() {
    return name() + " = " + kind.name().toLowerCase(Locale.ROOT) + "(" + a + ", " + b + ")";
  }
}
