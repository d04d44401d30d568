package io.dime.core.infer;

import static java.util.Objects.requireNonNull;

import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Models written directly as Java functions of one row. */
public final class JavaModels {
  private JavaModels() {}

  /**
   * A model from a function of one row (one value per modality) to the output vector.
   *
   * @param description shown in provenance
   * @param outputs the number of outputs
   * @param kind what the outputs are
   * @param f the function; must be thread-safe
   */
  public static MultimodalModel of(
      String description, int outputs, OutputKind kind, Function<Object[], double[]> f) {
    requireNonNull(f, "f is null");
    return new MultimodalModel() {
      @Override
      public double[][] predict(List<Object[]> rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
          out[i] = f.apply(rows.get(i));
        }
        return out;
      }

      @Override
      public int outputCount() {
        return outputs;
      }

      @Override
      public OutputKind outputKind() {
        return kind;
      }

      @Override
      public Map<String, Object> provenance() {
        return Map.of("model", "java", "description", description);
      }
    };
  }
}
