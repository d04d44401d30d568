package io.dime.core;

import io.dime.api.Datapoint;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.infer.PluginErrors;
import io.dime.spi.Modality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that every reference-pool datapoint encodes into tensors of the shapes the rest of the
 * pool has. Pool values are stacked into the same batches as every explained record's rows, so one
 * pool image of another size would otherwise fail every record at the model, without saying which
 * pool datapoint is at fault.
 */
public final class PoolEncodings {
  private PoolEncodings() {}

  /**
   * The problem of each pool datapoint, in pool order (null where there is none): a value its
   * modality cannot check or encode (also when the modality's code fails with an exception that
   * names no problem, such as a NullPointerException: it is named with the frame that threw it),
   * tensors other than the ones the modality's encoder declares, or a tensor whose shape differs
   * from the one most of the pool has (ties go to the shape seen first).
   */
  public static List<String> problems(List<Modality<?>> modalities, List<Datapoint> pool) {
    Tally t = new Tally(modalities);
    pool.forEach(t::add);
    return t.problems();
  }

  /**
   * {@link #problems} for datapoints given one at a time, so that a pool chosen from a manifest's
   * records need not hold every record's values while they are checked: each datapoint is checked
   * and encoded as it is added, and only its problem or its tensors' shapes are kept.
   */
  public static final class Tally {
    private final List<Modality<?>> modalities;
    private final List<String> out = new ArrayList<>();
    private final List<String[]> keys = new ArrayList<>();
    private final Map<String, String> shared = new java.util.HashMap<>();

    /** A tally for a pipeline's modalities. */
    public Tally(List<Modality<?>> modalities) {
      this.modalities = List.copyOf(modalities);
    }

    /** Checks and encodes the next datapoint. */
    public void add(Datapoint p) {
      String problem = null;
      String[] k = new String[modalities.size()];
      for (int j = 0; j < modalities.size() && problem == null; j++) {
        Modality<?> m = modalities.get(j);
        try {
          Object v = m.check(p.value(m.name()), p.id());
          List<Tensor> ts = encode(m, v);
          String unlike = unlikeDeclared(m, ts);
          if (unlike != null) {
            problem = unlike;
          } else {
            String key = shapes(ts);
            k[j] = shared.computeIfAbsent(key, x -> x);
          }
        } catch (InputException | IllegalArgumentException e) {
          String msg = message(e, p.id());
          problem =
              msg.contains("modality '" + m.name() + "'")
                  ? msg
                  : "modality '" + m.name() + "': " + msg;
        } catch (RuntimeException e) {
          problem =
              "checking and encoding it with modality '"
                  + m.name()
                  + "' (plugin "
                  + m.kind()
                  + ") failed: "
                  + PluginErrors.describe(e);
        }
      }
      out.add(problem);
      keys.add(problem == null ? k : null);
    }

    /**
     * The problem of each datapoint added, in order (null where there is none), as {@link
     * #problems} gives it.
     */
    public List<String> problems() {
      int n = out.size();
      String[] result = out.toArray(new String[0]);
      for (int j = 0; j < modalities.size(); j++) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          if (result[i] == null && keys.get(i) != null && keys.get(i)[j] != null) {
            counts.merge(keys.get(i)[j], 1, Integer::sum);
          }
        }
        if (counts.size() < 2) {
          continue;
        }
        String mode = null;
        int best = -1;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
          if (e.getValue() > best) {
            best = e.getValue();
            mode = e.getKey();
          }
        }
        for (int i = 0; i < n; i++) {
          String key = result[i] == null && keys.get(i) != null ? keys.get(i)[j] : null;
          if (key != null && !key.equals(mode)) {
            result[i] =
                "modality '"
                    + modalities.get(j).name()
                    + "' encodes it as "
                    + key
                    + " where "
                    + best
                    + " of the "
                    + n
                    + " pool datapoints encode as "
                    + mode
                    + " (one batch cannot hold both)";
          }
        }
      }
      return Arrays.asList(result);
    }
  }

  /**
   * Throws an {@link InputException} naming the first pool datapoint with a problem, if any.
   *
   * @throws InputException naming the pool datapoint and the problem
   */
  static void check(List<Modality<?>> modalities, List<Datapoint> pool) {
    List<String> p = problems(modalities, pool);
    int first = -1;
    int count = 0;
    for (int i = 0; i < p.size(); i++) {
      if (p.get(i) != null) {
        first = first < 0 ? i : first;
        count++;
      }
    }
    if (first >= 0) {
      throw new InputException(
          pool.get(first).id(),
          "reference pool datapoint: "
              + p.get(first)
              + (count > 1 ? " (" + (count - 1) + " more pool datapoints too)" : ""));
    }
  }

  /**
   * How an encoding differs from what the modality's encoder declares (the tensors' count, element
   * types, ranks and fixed dimensions), or null: a plugin's encoder that makes other tensors than
   * it declares would otherwise reach the model unchecked, where a lenient adapter reads the
   * numbers with the declared row length and a strict one blames the model input, not the modality.
   */
  private static String unlikeDeclared(Modality<?> m, List<Tensor> ts) {
    List<TensorSpec> specs = m.encoder().outputs();
    String who = "modality '" + m.name() + "' (plugin " + m.kind() + ")";
    if (ts == null || ts.size() != specs.size()) {
      return who
          + " encodes "
          + (ts == null ? "null" : ts.size() + " tensors")
          + " where its encoder declares "
          + specs.size()
          + " "
          + specs.stream().map(TensorSpec::name).toList()
          + " (a fault of the plugin)";
    }
    for (int t = 0; t < specs.size(); t++) {
      TensorSpec spec = specs.get(t);
      Tensor tensor = ts.get(t);
      long[] want = spec.shape();
      long[] got = tensor.shape();
      boolean ok = tensor.type() == spec.type() && want.length == got.length;
      for (int d = 0; ok && d < want.length; d++) {
        ok = want[d] < 0 || want[d] == got[d];
      }
      if (!ok) {
        return who
            + " encodes '"
            + spec.name()
            + "' as "
            + tensor.type()
            + " "
            + Arrays.toString(got)
            + " where its encoder declares "
            + spec.type()
            + " "
            + TensorSpec.shapeText(want)
            + " (a fault of the plugin)";
      }
    }
    return null;
  }

  private static String shapes(List<Tensor> ts) {
    StringBuilder sb = new StringBuilder();
    for (Tensor t : ts) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append('\'').append(t.name()).append("' ").append(Arrays.toString(t.shape()));
    }
    return sb.toString();
  }

  private static String message(RuntimeException e, String id) {
    String msg = String.valueOf(e.getMessage());
    String prefix = "record '" + id + "': ";
    return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
  }

  @SuppressWarnings("unchecked")
  private static <V> List<Tensor> encode(Modality<V> m, Object value) {
    return m.encoder().encode((V) value);
  }
}
