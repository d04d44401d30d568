package io.dime.core.random;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from (seed, datapoint id, modality, purpose, index), so the
 * same seed gives the same explanation whatever the thread count or the order of datapoints.
 */
public final class Seeds {
  /** Purpose tags, so streams for different uses never coincide. */
  public static final long DESIGN = 1;

  public static final long REFERENCES = 2;
  public static final long POINT = 3;
  public static final long FEATURIZE = 4;
  public static final long POOL = 5;

  /** The held-out masks of the faithfulness measures (drawn by the surrogate). */
  public static final long HELD_OUT_DESIGN = 6;

  /** The reference draws of the held-out samples (index: the held-out sample). */
  public static final long HELD_OUT = 7;

  /**
   * The reference draws of the deletion and insertion curves (index: a hash of the mask, so one
   * mask gets the same draws whichever fit or class asks for it).
   */
  public static final long CURVE = 8;

  private Seeds() {}

  /** A stream for the given coordinates. */
  public static SplittableRandom stream(
      long seed, String id, int modality, long purpose, long index) {
    return stream(seed, fnv(id), modality, purpose, index);
  }

  /**
   * The same stream as {@link #stream(long, String, int, long, long)} for the id whose {@link #fnv}
   * hash is {@code idHash} (for callers that draw many streams for one id).
   */
  public static SplittableRandom stream(
      long seed, long idHash, int modality, long purpose, long index) {
    long h = mix(seed ^ 0x6A09E667F3BCC909L);
    h = mix(h ^ idHash);
    h = mix(h ^ (modality + 0x3C6EF372FE94F82BL));
    h = mix(h ^ (purpose * 0x9E3779B97F4A7C15L));
    h = mix(h ^ index);
    return new SplittableRandom(h);
  }

  /** 64-bit FNV-1a of the UTF-8 bytes: stable across JVMs (unlike String.hashCode mixing). */
  public static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The SplitMix64 finaliser. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
