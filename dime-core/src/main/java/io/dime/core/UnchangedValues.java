package io.dime.core;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The encodings of a record's values when their features were made, to check at the end that no
 * plugin changed a value while it was explained. A feature set whose {@link FeatureSet#apply} hides
 * features in the value it was given, rather than in a copy, changes the explained point itself:
 * every later row then sees the point with features already hidden, and the results are wrong
 * without any error (the hidden-feature check even blamed the perturber for hiding nothing the
 * model reads). The encodings are the values' fingerprints that the engine can take for any value
 * type; they are copied, since an encoder may share the value's arrays.
 */
final class UnchangedValues {
  private final List<Modality<?>> modalities;
  private final List<String> names;
  private final List<List<Tensor>> before = new ArrayList<>();

  UnchangedValues(List<Modality<?>> modalities, List<String> names, List<FeatureSet<?>> features) {
    this.modalities = modalities;
    this.names = names;
    for (int m = 0; m < features.size(); m++) {
      List<Tensor> t;
      try {
        t = encode(m, features.get(m));
      } catch (RuntimeException e) {
        t = null; // the encoder's own failure is reported where the rows are encoded
      }
      before.add(t);
    }
  }

  /**
   * Fails the record at stage {@code perturb} when a value's encoding is not what it was.
   *
   * @throws StageFailure naming the modality and its plugin
   */
  void check(List<FeatureSet<?>> features) {
    for (int m = 0; m < features.size(); m++) {
      if (before.get(m) != null && !same(before.get(m), encode(m, features.get(m)))) {
        throw new StageFailure(
            "perturb",
            "modality '"
                + names.get(m)
                + "' (plugin "
                + modalities.get(m).kind()
                + "): the value being explained changed while its features were hidden: its"
                + " feature set's apply (or its encoder) changed the value it was given instead of"
                + " making a new one, so this record's results would be wrong (a fault of the"
                + " plugin)");
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Tensor> encode(int m, FeatureSet<?> fs) {
    Modality raw = modalities.get(m);
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : (List<Tensor>) raw.encoder().encode(fs.value())) {
      out.add(
          t.type() == ElementType.FLOAT32
              ? Tensor.ofFloats(t.name(), t.shape().clone(), t.floats().clone())
              : Tensor.ofLongs(t.name(), t.shape().clone(), t.longs().clone()));
    }
    return out;
  }

  private static boolean same(List<Tensor> a, List<Tensor> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Tensor x = a.get(i);
      Tensor y = b.get(i);
      if (x.type() != y.type()
          || !Arrays.equals(x.shape(), y.shape())
          || !Arrays.equals(x.floats(), y.floats())
          || !Arrays.equals(x.longs(), y.longs())) {
        return false;
      }
    }
    return true;
  }
}
