package io.dime.core;

import io.dime.api.InputException;
import io.dime.api.LimitException;
import io.dime.api.Term;
import io.dime.core.estimate.Estimator;
import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.PluginErrors;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one modality's masks through an estimator session: each mask is applied by the modality's
 * hider and the estimator queues the rows of its slots; a mask seen before reuses the rows of the
 * slots that do not depend on the reference draws (they count as cached).
 */
final class SampleRunner {
  private final EngineConfig c;

  SampleRunner(EngineConfig c) {
    this.c = c;
  }

  /**
   * Runs the masks; returns the rows answered from the duplicate-mask cache.
   *
   * @param stream the reference-draw stream ({@link io.dime.core.random.Seeds#REFERENCES} for the
   *     fitted samples)
   * @param indices each mask's index in that stream; null for the mask's position
   * @param v filled in: per mask, the slot values ({@code slots.size() * classes}), followed, when
   *     the rows are that long, by the estimator's leave-group-out blocks of the same layout
   *     ({@link Estimator#jackknife})
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  long run(
      PointContext p,
      int m,
      FeatureSet fs,
      boolean[][] masks,
      long stream,
      long[] indices,
      List<Term> slots,
      double[][] v) {
    Estimator.Session session = p.session();
    BatchRunner runner = p.runner();
    int n = masks.length;
    boolean[] det = new boolean[slots.size()];
    List<Term> detSlots = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      det[i] = c.estimator.deterministic(slots.get(i), c.k);
      if (det[i]) {
        detSlots.add(slots.get(i));
      }
    }
    long detRows = detSlots.isEmpty() ? 0 : c.estimator.rowsPerSample(c.k, detSlots);
    boolean allDet = detSlots.size() == slots.size();
    FirstIndex firstByMask = new FirstIndex(n);
    int[] source = new int[n];
    long cached = 0;
    // One flush for all masks: the runner keeps at most a batch queued and two in flight, so
    // nothing piles up, and the model never waits for this thread between groups of masks.
    for (int s = 0; s < n; s++) {
      boolean[] mask = masks[s];
      int first = firstByMask.putIfAbsent(mask, s);
      source[s] = first;
      boolean[] skip = first < 0 ? null : det;
      if (first >= 0) {
        cached += detRows;
        if (allDet) {
          continue; // every slot is copied from the first occurrence: nothing to perturb or run
        }
      }
      if ((s & 15) == 0 && System.nanoTime() > p.deadline()) {
        throw new LimitException(
            p.id(),
            "the explanation took longer than "
                + c.limits.maxSecondsPerPoint()
                + " s (limit maxSecondsPerPoint): --max-seconds-per-point raises it (0: none)");
      }
      Object z = apply(m, fs, mask);
      session.sample(m, stream, indices == null ? s : indices[s], z, slots, skip, v[s]);
    }
    runner.flush();
    session.completeSamples();
    copyRepeated(v, source, det, slots.size(), p.classes());
    return cached;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object apply(int m, FeatureSet fs, boolean[] mask) {
    try {
      return fs.apply(mask);
    } catch (InputException e) {
      throw e;
    } catch (RuntimeException e) {
      if (StageFailure.named(e)) { // a bad argument: the value, in the plugin's own words
        throw new InputException(
            null, "perturbing modality '" + c.names.get(m) + "' failed: " + e.getMessage(), e);
      }
      throw new StageFailure(
          "perturb",
          "perturbing modality '"
              + c.names.get(m)
              + "' (plugin "
              + c.modalities.get(m).kind()
              + ") failed: "
              + PluginErrors.describe(e),
          e);
    }
  }

  /**
   * Copies the deterministic slots of each repeated mask from its first occurrence, in every block
   * (the values, and the leave-group-out values where the rows hold them).
   */
  private static void copyRepeated(double[][] v, int[] source, boolean[] det, int slots, int cls) {
    int stride = slots * cls;
    for (int s = 0; s < v.length; s++) {
      if (source[s] >= 0) {
        for (int b = 0; b < v[s].length; b += stride) {
          for (int i = 0; i < slots; i++) {
            if (det[i]) {
              System.arraycopy(v[source[s]], b + i * cls, v[s], b + i * cls, cls);
            }
          }
        }
      }
    }
  }

  /**
   * The first occurrence of each mask among a modality's samples: masks of at most 64 features (all
   * of one modality's have the same length) by their bits in an open-addressing table, longer ones
   * by {@link #maskKey} in a map.
   */
  static final class FirstIndex {
    private final long[] keys;
    private final int[] firsts; // sample index + 1; 0: an empty slot
    private final Map<Object, Integer> longMasks = new HashMap<>();

    FirstIndex(int n) {
      int cap = Integer.highestOneBit(Math.max(4, 2 * n) - 1) << 1;
      keys = new long[cap];
      firsts = new int[cap];
    }

    /** The first sample with this mask, or -1 after recording {@code s} as its first. */
    int putIfAbsent(boolean[] mask, int s) {
      if (mask.length > 64) {
        Integer first = longMasks.putIfAbsent(maskKey(mask), s);
        return first == null ? -1 : first;
      }
      long bits = bits(mask);
      int at = (int) (io.dime.core.random.Seeds.mix(bits) & (keys.length - 1));
      while (firsts[at] != 0) {
        if (keys[at] == bits) {
          return firsts[at] - 1;
        }
        at = (at + 1) & (keys.length - 1);
      }
      keys[at] = bits;
      firsts[at] = s + 1;
      return -1;
    }
  }

  /** The bits of a mask of at most 64 features. */
  static long bits(boolean[] mask) {
    long bits = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        bits |= 1L << i;
      }
    }
    return bits;
  }

  /** A mask as a string of 0s and 1s, for lookups. */
  static String maskKey(boolean[] mask) {
    char[] ch = new char[mask.length];
    for (int i = 0; i < mask.length; i++) {
      ch[i] = mask[i] ? '1' : '0';
    }
    return new String(ch);
  }
}
