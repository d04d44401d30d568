package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The versions that provenance records. Found by an outside tester: Guice's was always "unknown"
 * (its manifest has a Bundle-Version, no Implementation-Version), and DIME's own and its plugins'
 * were "dev" in the distribution (its jars had no Implementation-Version; they have now).
 */
class VersionsTest {
  @Test
  void guicesVersionComesFromItsBundleVersion() {
    String v = Versions.libraries().get("guice");
    assertTrue(v.matches("\\d+\\.\\d+\\.\\d+.*"), v);
    assertEquals(v, Versions.bundleVersion(com.google.inject.Guice.class));
    // a class from a folder, not a jar (this test's own): no version, and no failure
    assertNull(Versions.bundleVersion(VersionsTest.class));
  }
}
