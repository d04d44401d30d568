package io.dime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Provenance read back from its JSON form: the round trip keeps every component, and a mistyped
 * value, at the top or inside {@code modalities} or {@code libraries}, is an
 * IllegalArgumentException naming the entry and what was found.
 */
class ProvenanceTest {
  private static Provenance provenance() {
    return new Provenance(
        "0.1",
        Map.of("Java", "17"),
        7L,
        100,
        32,
        2,
        1,
        Map.of("steps", 10),
        Map.of("estimator", "monteCarlo"),
        Map.of("kind", "ridge"),
        Map.of("image", Map.of("kind", "image", "sampling", "uniform")),
        Map.of("adapter", "onnx"),
        "logits",
        "centered",
        new Provenance.PoolIdentity(4, "abc"),
        Map.of(),
        Map.of("manifestSha256", "def"),
        List.of("h1"),
        Optional.of("d1"));
  }

  private static Map<String, Object> mapWith(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(provenance().toMap());
    m.put(key, value);
    return m;
  }

  @Test
  void theJsonFormReadsBackToTheSameProvenance() {
    assertEquals(provenance(), Provenance.fromMap(provenance().toMap()));
  }

  private static String refused(Map<String, Object> m) {
    return assertThrows(IllegalArgumentException.class, () -> Provenance.fromMap(m)).getMessage();
  }

  /**
   * A modality whose settings are not an object, or a library whose version is not text, is named
   * with what was found. Before, the first gave a ClassCastException (String cannot be cast to Map)
   * and the second was read, to fail wherever a version was later used as text.
   */
  @Test
  void aMistypedValueInsideModalitiesOrLibrariesIsNamed() {
    assertEquals(
        "provenance: 'modalities.image' must be map, found String",
        refused(mapWith("modalities", Map.of("image", "uniform"))));
    Map<String, Object> none = new LinkedHashMap<>();
    none.put("image", null);
    assertEquals(
        "provenance: 'modalities.image' must be map, found nothing",
        refused(mapWith("modalities", none)));
    assertEquals(
        "provenance: 'libraries.Java' must be string, found Integer",
        refused(mapWith("libraries", Map.of("Java", 17))));
    assertEquals(
        "provenance: 'modalities' must be map, found ArrayList",
        refused(mapWith("modalities", new java.util.ArrayList<>(List.of(1)))));
  }

  /**
   * A count that is not a whole number, or does not fit its field, is refused with its name.
   * Before, {@code intValue()} read 3.7 as 3 and 1e12 as 2147483647, silently; a whole 3.0 still
   * reads as 3.
   */
  @Test
  void aCountThatIsNotAWholeNumberInRangeIsNamed() {
    assertEquals("provenance: 'samples' must be int, found 3.7", refused(mapWith("samples", 3.7)));
    assertEquals(
        "provenance: 'replicates' must be int, found 1000000000000",
        refused(mapWith("replicates", 1_000_000_000_000L)));
    assertEquals(
        "provenance: 'batchSize' must be int, found 1.0E12", refused(mapWith("batchSize", 1e12)));
    assertEquals(
        "provenance: 'maxInteractionOrder' must be int, found NaN",
        refused(mapWith("maxInteractionOrder", Double.NaN)));
    assertEquals("provenance: 'seed' must be long, found 1.0E30", refused(mapWith("seed", 1e30)));
    assertEquals(
        "provenance: 'seed' must be long, found 18446744073709551616",
        refused(mapWith("seed", java.math.BigInteger.ONE.shiftLeft(64))));
    assertEquals(
        "provenance: 'pool.size' must be int, found 4.5",
        refused(mapWith("pool", Map.of("size", 4.5, "idsSha256", "abc"))));
    assertEquals(
        "provenance: 'samples' must be number, found String", refused(mapWith("samples", "100")));
    assertEquals(provenance(), Provenance.fromMap(mapWith("samples", 100.0)));
    assertEquals(
        provenance(), Provenance.fromMap(mapWith("seed", java.math.BigInteger.valueOf(7))));
  }
}
