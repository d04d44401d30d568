package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The table of each mask's first sample: the same answers as a map of the masks' strings. */
class FirstIndexTest {
  @Test
  void findsEachMasksFirstSampleLikeAMap() {
    for (int features : new int[] {1, 3, 10, 64, 65, 200}) {
      SplittableRandom rng = new SplittableRandom(features);
      int n = 3000;
      SampleRunner.FirstIndex table = new SampleRunner.FirstIndex(n);
      Map<String, Integer> map = new HashMap<>();
      for (int s = 0; s < n; s++) {
        boolean[] mask = new boolean[features];
        for (int f = 0; f < features; f++) {
          mask[f] = rng.nextInt(8) == 0 || (features > 3 && f < features - 3); // many repeats
        }
        Integer expected = map.putIfAbsent(SampleRunner.maskKey(mask), s);
        assertEquals(
            expected == null ? -1 : expected,
            table.putIfAbsent(mask, s),
            features + " features, sample " + s);
      }
    }
  }
}
