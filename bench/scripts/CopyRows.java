import java.util.Random;

/**
 * A throwaway-sized harness for one question of issue 18 (BENCHMARKS.md, fifth pass): what copying
 * short rows drawn by index from a pool costs, as the engine's encoding does (1,024 rows a call,
 * one {@code float[]} row of LEN floats each). Not JMH: each variant runs many calls in rounds,
 * the first two discarded, and prints nanoseconds per row. Run it with the single-file launcher:
 *
 * <pre>
 * java -Dpool=10000 -Dlen=10 -Dsweep=1048576 bench/scripts/CopyRows.java
 * </pre>
 *
 * <p>{@code sweep}: bytes written between calls (the model's use of the caches), 0 for none.
 */
public final class CopyRows {
  static final int N = 1024;

  public static void main(String[] args) {
    int poolRows = Integer.getInteger("pool", 10_000);
    int len = Integer.getInteger("len", 10);
    byte[] sweep = new byte[Integer.getInteger("sweep", 1 << 20)];
    Random r = new Random(1);
    int[][] codes = new int[64][N];
    for (int[] c : codes) {
      for (int i = 0; i < N; i++) {
        c[i] = r.nextInt(poolRows);
      }
    }
    String[] names = {"arraycopy", "arraycopy, 64-byte stride", "plain loop", "chunks of 8"};
    float[][] pools = {
      filled(r, poolRows * len), filled(r, poolRows * Math.max(len, 16)), null, null
    };
    pools[2] = pools[0];
    pools[3] = pools[0];
    float[] dst = new float[N * len];
    double[] sum = new double[names.length];
    float sink = 0;
    for (int round = 0; round < 6; round++) {
      for (int v = 0; v < names.length; v++) {
        int stride = v == 1 ? Math.max(len, 16) : len;
        long t = 0;
        int reps = 3000;
        for (int k = 0; k < reps; k++) {
          for (int i = 0; i < sweep.length; i += 64) {
            sweep[i]++;
          }
          long t0 = System.nanoTime();
          copy(v, pools[v], stride, len, dst, codes[k & 63]);
          t += System.nanoTime() - t0;
          sink += dst[k % dst.length];
        }
        if (round >= 2) {
          sum[v] += t / (double) reps / N;
        }
      }
    }
    for (int v = 0; v < names.length; v++) {
      System.out.printf("%-28s %.2f ns per row%n", names[v], sum[v] / 4);
    }
    System.out.println("(checksum " + sink + ")");
  }

  static float[] filled(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat();
    }
    return a;
  }

  static void copy(int variant, float[] pool, int stride, int len, float[] dst, int[] codes) {
    for (int i = 0, at = 0; i < N; i++, at += len) {
      int from = codes[i] * stride;
      if (variant <= 1) {
        System.arraycopy(pool, from, dst, at, len);
      } else if (variant == 2) {
        for (int e = 0; e < len; e++) {
          dst[at + e] = pool[from + e];
        }
      } else {
        int e = 0;
        for (; e + 8 <= len; e += 8) {
          System.arraycopy(pool, from + e, dst, at + e, 8);
        }
        for (; e < len; e++) {
          dst[at + e] = pool[from + e];
        }
      }
    }
  }
}
