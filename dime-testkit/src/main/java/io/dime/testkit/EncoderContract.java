package io.dime.testkit;

import static io.dime.testkit.Checks.LOCALITY_MASKS;
import static io.dime.testkit.Checks.allOf;
import static io.dime.testkit.Checks.assertMatches;
import static io.dime.testkit.Checks.assertUnchanged;
import static io.dime.testkit.Checks.encode;
import static io.dime.testkit.Checks.maskString;
import static io.dime.testkit.Checks.randomMasks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Contract tests of a modality's {@link Encoder}: the tensors it declares and makes. Part of {@link
 * ModalityContract}, which a plugin's test extends.
 *
 * <ul>
 *   <li>The encoder declares at least one tensor, each with a distinct non-blank name and every
 *       dimension positive or -1 (dynamic, never 0).
 *   <li>It encodes the value and every perturbed value into tensors with exactly the declared
 *       names, element types, ranks and positive dimensions, all of one shape (the model input has
 *       a fixed size per row).
 * </ul>
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface EncoderContract<V> {
  /** The modality, its sample and the plugin's hooks. */
  ModalityFixture<V> fixture();

  @Test
  default void encoderDeclaresTheTensorsItProduces() {
    ModalityFixture<V> f = fixture();
    Encoder<V> encoder = f.modality().encoder();
    assertNotNull(encoder, "encoder() is null");
    List<TensorSpec> specs = encoder.outputs();
    assertNotNull(specs, "encoder().outputs() is null");
    assertFalse(specs.isEmpty(), "encoder().outputs() declares no tensor");
    assertEquals(specs, encoder.outputs(), "encoder().outputs() changed between calls");
    Set<String> seen = new HashSet<>();
    for (TensorSpec spec : specs) {
      assertFalse(spec.name().isBlank(), "encoder output with a blank name: " + spec);
      assertTrue(seen.add(spec.name()), "encoder output '" + spec.name() + "' is declared twice");
      for (long dim : spec.shape()) {
        assertTrue(
            dim == -1 || dim > 0,
            "encoder output '"
                + spec.name()
                + "' declares dimension "
                + dim
                + " in "
                + Arrays.toString(spec.shape())
                + "; expected a positive size, or -1 when it is not known before encoding");
      }
    }
    List<Tensor> tensors = encode(f, f.value());
    for (int k = 0; k < specs.size(); k++) {
      assertMatches(specs.get(k), tensors.get(k), "encoding of the value");
    }
  }

  @Test
  default void perturbedValuesEncodeToTheDeclaredShapes() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    List<TensorSpec> specs = f.modality().encoder().outputs();
    List<Tensor> reference = encode(f, fs.value());
    List<boolean[]> masks = new ArrayList<>();
    masks.add(allOf(fs.size(), false));
    masks.add(allOf(fs.size(), true));
    masks.addAll(randomMasks(fs.size()).subList(0, LOCALITY_MASKS));
    for (boolean[] mask : masks) {
      String what = "encoding of apply(" + maskString(mask) + ")";
      List<Tensor> tensors = encode(f, fs.apply(mask));
      for (int k = 0; k < specs.size(); k++) {
        Tensor t = tensors.get(k);
        assertMatches(specs.get(k), t, what);
        assertArrayEquals(
            reference.get(k).shape(),
            t.shape(),
            what
                + ": tensor '"
                + t.name()
                + "' must have the shape of the value's encoding (the model input has a fixed"
                + " size)");
      }
    }
    assertUnchanged(f, fs);
  }
}
