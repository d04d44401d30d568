package io.dime.core.estimate;

import io.dime.core.random.Seeds;
import java.util.SplittableRandom;

/** Chooses a fixed set of reference indices from a pool, reproducibly from the seed. */
final class FixedReferences {
  private FixedReferences() {}

  /** The whole pool in order when it has at most n entries, else n indices without replacement. */
  static int[] choose(int poolSize, int n, long seed) {
    if (poolSize <= n) {
      int[] all = new int[poolSize];
      for (int i = 0; i < poolSize; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] perm = new int[poolSize];
    for (int i = 0; i < poolSize; i++) {
      perm[i] = i;
    }
    SplittableRandom rng = Seeds.stream(seed, "", -1, Seeds.POOL, 0);
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(poolSize - i);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    int[] out = new int[n];
    System.arraycopy(perm, 0, out, 0, n);
    java.util.Arrays.sort(out);
    return out;
  }
}
