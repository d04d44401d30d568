package io.dime.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The arithmetic of the pointing and swap checks, exactly. */
class VqaExperimentTest {
  @Test
  void wilsonLowerBoundMatchesTheClosedForm() {
    assertEquals(0.4901624715366418, VqaExperiment.wilsonLower(8, 10), 1e-12);
    assertEquals(0.8505941875672827, VqaExperiment.wilsonLower(180, 200), 1e-12);
    assertEquals(0.0, VqaExperiment.wilsonLower(0, 5), 1e-12);
    assertEquals(0.5655175352168252, VqaExperiment.wilsonLower(5, 5), 1e-12);
    assertEquals(0.0, VqaExperiment.wilsonLower(0, 0), 0);
  }

  @Test
  void cosineDistanceQuadrantsAndTopFeature() {
    assertEquals(
        0.0, VqaExperiment.cosineDistance(new double[] {1, 2}, new double[] {2, 4}), 1e-12);
    assertEquals(
        1.0, VqaExperiment.cosineDistance(new double[] {1, 0}, new double[] {0, 3}), 1e-12);
    assertEquals(
        2.0, VqaExperiment.cosineDistance(new double[] {1, -1}, new double[] {-2, 2}), 1e-12);
    assertEquals(1.0, VqaExperiment.cosineDistance(new double[] {0, 0}, new double[] {1, 1}), 0);

    assertArrayEquals(new int[] {0, 0}, VqaExperiment.quadrant("top left"));
    assertArrayEquals(new int[] {1, 1}, VqaExperiment.quadrant(" Bottom Right "));
    assertNull(VqaExperiment.quadrant("middle"));
    // 56 x 56: columns 0..27 are left, 28..55 right
    assertTrue(VqaExperiment.inQuadrant(27.9, 3, 56, 56, new int[] {0, 0}));
    assertTrue(VqaExperiment.inQuadrant(28, 40, 56, 56, new int[] {1, 1}));
    assertTrue(!VqaExperiment.inQuadrant(28, 3, 56, 56, new int[] {0, 0}));

    assertEquals(2, VqaExperiment.topPositive(new double[] {-5, 1, 3, 3}));
    assertEquals(-1, VqaExperiment.topPositive(new double[] {-5, 0, -1}));
  }
}
