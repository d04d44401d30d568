package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.OutputKind;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.modality.VectorModality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Rows that name their pool values by pinned position must encode, run and deliver exactly like the
 * same rows matched by identity, whatever the positions say, with and without a model thread, and
 * whether or not the batch arrays are reused.
 */
class EncodedModelTest {
  /** Two vector inputs a [n,3] and b [n,2]; outputs per row: (sum a * 1 + sum b * 10, a0 * b1). */
  static final class Adapter implements ModelAdapter {
    long rows;
    boolean copies; // true: copies its inputs, so the engine may reuse their arrays

    @Override
    public boolean keepsInputs() {
      return !copies;
    }

    @Override
    public ModelSignature signature() {
      return new ModelSignature(
          List.of(
              new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 3}),
              new TensorSpec("b", ElementType.FLOAT32, new long[] {-1, 2})),
          List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 2})));
    }

    @Override
    public synchronized Map<String, Tensor> run(
        Map<String, Tensor> inputs, List<String> outputNames) {
      float[] a = inputs.get("a").floats();
      float[] b = inputs.get("b").floats();
      int n = a.length / 3;
      rows += n;
      float[] y = new float[2 * n];
      for (int i = 0; i < n; i++) {
        y[2 * i] = a[3 * i] + a[3 * i + 1] + a[3 * i + 2] + 10 * (b[2 * i] + b[2 * i + 1]);
        y[2 * i + 1] = a[3 * i] * b[2 * i + 1];
      }
      return Map.of("y", Tensor.ofFloats("y", new long[] {n, 2}, y));
    }

    @Override
    public Map<String, Object> provenance() {
      return Map.of();
    }

    @Override
    public void close() {}
  }

  private static EncodedModel model(Adapter adapter) {
    return new EncodedModel(
        List.of(VectorModality.of("a", 3), VectorModality.of("b", 2)),
        adapter,
        null,
        OutputKind.LOGITS,
        null);
  }

  /** Two pools of n values, 3- and 2-dimensional, drawn alternately from rng. */
  private static List<List<Object>> pools(SplittableRandom rng, int n) {
    List<Object> a = new ArrayList<>();
    List<Object> b = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      a.add(vec(rng, 3));
      b.add(vec(rng, 2));
    }
    return List.of(a, b);
  }

  private static double[] vec(SplittableRandom rng, int d) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = Math.round(rng.nextDouble() * 100) / 4.0; // exact in float
    }
    return v;
  }

  private static double[] expected(double[] a, double[] b) {
    return new double[] {a[0] + a[1] + a[2] + 10 * (b[0] + b[1]), (float) (a[0] * b[1])};
  }

  @Test
  void namedPositionsGiveTheSameOutputsAsIdentityLookupEvenWhenWrong() {
    for (boolean reuse : new boolean[] {false, true}) {
      SplittableRandom rng = new SplittableRandom(7);
      List<List<Object>> pools = pools(rng, 20);
      List<Object> poolA = pools.get(0);
      List<Object> poolB = pools.get(1);
      Adapter adapter = new Adapter();
      adapter.copies = reuse;
      EncodedModel m = model(adapter);
      m.pin(0, List.of(vec(rng, 3))); // something pinned before: the pool starts at position 1
      assertEquals(1, m.pin(0, poolA));
      assertEquals(0, m.pin(1, poolB));
      int[] base = {1, 0};
      OutputTransform t = new OutputTransform(false, false, 2);
      BatchRunner plain = new BatchRunner(m, 16, t);
      BatchRunner right = new BatchRunner(m, 16, t).poolPins(base);
      BatchRunner wrong = new BatchRunner(m, 16, t).poolPins(base);
      int n = 50;
      Object[][] rows = new Object[n][];
      double[][] got = new double[3][2 * n];
      Object fresh = null;
      for (int i = 0; i < n; i++) {
        int pa = rng.nextInt(20);
        int pb = rng.nextInt(20);
        if (i % 5 == 0) {
          fresh = vec(rng, 3); // a value that is not pinned, on this row and the next
        }
        boolean own = i % 5 <= 1;
        rows[i] = new Object[] {own ? fresh : poolA.get(pa), poolB.get(pb)};
        int at = 2 * i;
        plain.add(rows[i], y -> System.arraycopy(y, 0, got[0], at, 2));
        right.add(
            rows[i], new int[] {own ? -1 : pa, pb}, y -> System.arraycopy(y, 0, got[1], at, 2));
        // another pinned value, a position past the pool, or none at all
        int[] misnamed = {(pa + 3) % 20, i % 7 == 0 ? 999 : (pb + 1) % 20};
        wrong.add(rows[i], misnamed, y -> System.arraycopy(y, 0, got[2], at, 2));
      }
      plain.flush();
      right.flush();
      wrong.flush();
      for (int i = 0; i < n; i++) {
        double[] e = expected((double[]) rows[i][0], (double[]) rows[i][1]);
        assertEquals(e[0], got[0][2 * i], 1e-4, "row " + i);
        assertEquals(e[1], got[0][2 * i + 1], 1e-3, "row " + i);
      }
      assertArrayEquals(got[0], got[1]);
      assertArrayEquals(got[0], got[2]);
      double[] direct = m.runFlat(m.encode(List.of(rows)));
      assertArrayEquals(got[0], direct);
      double[][] perRow = m.run(m.encode(List.of(rows)));
      for (int i = 0; i < n; i++) {
        assertArrayEquals(new double[] {got[0][2 * i], got[0][2 * i + 1]}, perRow[i]);
      }
    }
  }

  @Test
  void aBatchWhoseArraysAreReusedRunsOnce() {
    Adapter adapter = new Adapter();
    adapter.copies = true;
    EncodedModel m = model(adapter);
    SplittableRandom rng = new SplittableRandom(3);
    Object encoded = m.encode(List.<Object[]>of(new Object[] {vec(rng, 3), vec(rng, 2)}));
    m.runFlat(encoded);
    assertThrows(IllegalStateException.class, () -> m.runFlat(encoded));
    Adapter keeps = new Adapter();
    EncodedModel k = model(keeps);
    Object again = k.encode(List.<Object[]>of(new Object[] {vec(rng, 3), vec(rng, 2)}));
    assertArrayEquals(k.runFlat(again), k.runFlat(again)); // nothing reused: may run twice
  }

  @Test
  void runnerDeliversTheSameOutputsForPoolRowsAndPlainRowsAndCopiesReusedArrays() throws Exception {
    SplittableRandom rng = new SplittableRandom(11);
    List<List<Object>> pools = pools(rng, 30);
    List<Object> poolA = pools.get(0);
    List<Object> poolB = pools.get(1);
    double[] point = vec(rng, 3);
    int n = 1000; // several batches of 64 and a partial one
    int[] draws = new int[n];
    for (int i = 0; i < n; i++) {
      draws[i] = rng.nextInt(30);
    }
    ExecutorService exec = Executors.newFixedThreadPool(2);
    try {
      for (int variant = 0; variant < 4; variant++) {
        boolean threaded = variant % 2 == 1;
        Adapter adapter = new Adapter();
        adapter.copies = variant >= 2;
        EncodedModel m = model(adapter);
        int baseA = m.pin(0, poolA);
        int baseB = m.pin(1, poolB);
        OutputTransform t = new OutputTransform(false, 2);
        BatchRunner plain = new BatchRunner(m, 64, t, threaded ? exec : null);
        BatchRunner named =
            new BatchRunner(m, 64, t, threaded ? exec : null).poolPins(new int[] {baseA, baseB});
        double[][] got = new double[2][2 * n];
        Object[] row = new Object[2];
        int[] poolRow = new int[2];
        for (int i = 0; i < n; i++) {
          final int at = 2 * i;
          plain.add(
              new Object[] {point, poolB.get(draws[i])},
              y -> System.arraycopy(y, 0, got[0], at, 2));
          row[0] = point; // one array for every row: the runner must copy it
          row[1] = poolB.get(draws[i]);
          poolRow[0] = -1;
          poolRow[1] = draws[i];
          named.add(row, poolRow, y -> System.arraycopy(y, 0, got[1], at, 2));
        }
        plain.flush();
        named.flush();
        for (int i = 0; i < n; i++) {
          double[] e = expected(point, (double[]) poolB.get(draws[i]));
          assertEquals(e[0], got[1][2 * i], 1e-4, "row " + i);
          assertEquals(e[1], got[1][2 * i + 1], 1e-3, "row " + i);
        }
        assertArrayEquals(got[0], got[1]);
        assertEquals(n, plain.rowCount());
        assertEquals(n, named.rowCount());
        assertEquals(2L * n, adapter.rows);
      }
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void valuesOfDifferentSizesAreNotPackedAndCannotBeNamed() {
    EncodedModel m =
        new EncodedModel(
            List.of(VectorModality.of("a", 0), VectorModality.of("b", 2)),
            new Adapter(),
            null,
            OutputKind.LOGITS,
            null);
    assertEquals(-1, m.pin(0, List.of(new double[] {1, 2, 3}, new double[] {1, 2})));
  }

  /**
   * A row's encoded bytes, which cap a batch's rows, come from the pinned pool's row lengths: here
   * 3 and 2 floats; unknown (0) until every modality has values pinned.
   */
  @Test
  void aRowsBytesAreItsTensorsShares() {
    SplittableRandom rng = new SplittableRandom(3);
    List<List<Object>> pools = pools(rng, 4);
    EncodedModel m = model(new Adapter());
    Object[] row = {pools.get(0).get(0), pools.get(1).get(0)};
    assertEquals(0, m.rowBytes(row), "nothing pinned");
    m.pin(0, pools.get(0));
    assertEquals(0, m.rowBytes(row), "one modality pinned");
    m.pin(1, pools.get(1));
    assertEquals((3 + 2) * Float.BYTES, m.rowBytes(row));
  }

  /**
   * The pool's pinned encodings and its values as read stay in memory for the whole run, so what
   * they would take is checked before the encodings are made: here 10 rows of 3 floats (120 bytes)
   * and 10 arrays of 3 doubles (400 bytes: {@code VectorModality#valueBytes}) against budgets of
   * 519 and 520 bytes, then the second modality's 10 rows of 2 floats (80 bytes) and arrays of 2
   * doubles (320 bytes) against what the first left. Before the values were counted, 120 bytes
   * pinned the first modality.
   */
  @Test
  void pinnedEncodingsOverTheirShareOfTheHeapAreRefusedSayingHowManyFit() {
    SplittableRandom rng = new SplittableRandom(5);
    List<List<Object>> pools = pools(rng, 10);
    EncodedModel m = model(new Adapter());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.pin(0, pools.get(0), null, 519));
    String said = e.getMessage();
    assertTrue(said.contains("values and encodings of modality 'a'"), said);
    assertTrue(said.contains("10 datapoints of 1 KB encoded and 1 KB as read"), said);
    assertTrue(said.contains("at most 9 fit"), said);
    assertTrue(said.contains("--pool-size 9"), said);
    assertTrue(said.contains("DIME_JAVA_OPTS"), said);
    assertThrows(IllegalArgumentException.class, () -> m.pin(0, pools.get(0), null, 120));
    assertEquals(0, m.pin(0, pools.get(0), null, 520));
    IllegalArgumentException b =
        assertThrows(IllegalArgumentException.class, () -> m.pin(1, pools.get(1), null, 919));
    assertTrue(b.getMessage().contains("at most 9 fit"), b.getMessage());
    assertEquals(0, m.pin(1, pools.get(1), null, 920));
    assertEquals(
        (3 + 2) * Float.BYTES, m.rowBytes(new Object[] {pools.get(0).get(4), pools.get(1).get(4)}));
  }
}
