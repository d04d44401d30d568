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
}
