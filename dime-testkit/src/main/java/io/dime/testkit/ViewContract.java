package io.dime.testkit;

import static io.dime.testkit.Checks.assertPlainData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract tests of a modality's views, {@link Modality#view}. Part of {@link ModalityContract},
 * which a plugin's test extends.
 *
 * <ul>
 *   <li>For zero, positive and mixed weights, with the default options and with palette {@code
 *       green_red} and top 1, the view has a non-blank kind and non-empty data that is plain data
 *       (strings, numbers, booleans, arrays, lists, maps with string keys) and holds no markup:
 *       views are never HTML, the report escapes text.
 *   <li>Drawing a view does not change the weights.
 *   <li>A weight count other than the feature count (one more, one fewer) fails with an {@link
 *       IllegalArgumentException}, as {@link Modality#view} says ({@link
 *       io.dime.spi.ViewKit#checkWeights} does it), rather than drawing some features without
 *       weights or weights without features.
 * </ul>
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface ViewContract<V> {
  /** The modality, its sample and the plugin's hooks. */
  ModalityFixture<V> fixture();

  @ParameterizedTest(name = "{0} weights")
  @ValueSource(strings = {"zero", "positive", "mixed"})
  default void viewsArePlainDataWithoutMarkup(String weightKind) {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    double[] weights = weights(weightKind, fs.size());
    List<ViewOptions> options =
        List.of(
            ViewOptions.defaults("contract view"),
            new ViewOptions("green_red", 1, "contract view, top 1"));
    for (ViewOptions o : options) {
      String what = "view for " + weightKind + " weights and " + o;
      View view = f.modality().view(fs, weights, o);
      assertNotNull(view, what + " is null");
      assertFalse(view.kind().isBlank(), what + " has a blank kind");
      assertFalse(view.data().isEmpty(), what + " has no data");
      assertPlainData(view.data(), "view(" + weightKind + ").data", true);
      assertArrayEquals(weights(weightKind, fs.size()), weights, what + ": view changed weights");
    }
  }

  @Test
  default void viewRejectsAWeightCountOtherThanTheFeatureCount() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    int d = fs.size();
    for (int count : d > 1 ? new int[] {d + 1, d - 1} : new int[] {d + 1}) {
      double[] weights = weights("mixed", count);
      assertThrows(
          IllegalArgumentException.class,
          () -> f.modality().view(fs, weights, ViewOptions.defaults("contract view")),
          "view(features, "
              + count
              + " weights) for "
              + d
              + " features must fail with IllegalArgumentException (ViewKit.checkWeights does it)");
    }
  }

  private static double[] weights(String kind, int d) {
    double[] w = new double[d];
    for (int i = 0; i < d; i++) {
      double magnitude = 0.1 * (1 + i % 7);
      w[i] =
          switch (kind) {
            case "zero" -> 0;
            case "positive" -> magnitude;
            default -> i % 2 == 0 ? magnitude : -magnitude;
          };
    }
    return w;
  }
}
