package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Term;
import io.dime.api.TermValue;
import io.dime.core.decompose.Moebius;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code exact(N)} with k = 4 and 5 modalities of very unequal sizes (1 to 50 features), a model
 * with thresholds, max and min, products of two and three modalities and a modality it ignores, and
 * two outputs, against v_x(T) and g_S computed here by brute force over the references the
 * estimator reports it used: every term of the value decomposition, the residual above a cap, and
 * the zeros of every term that holds the ignored modality; and every standard error against the
 * delete-one jackknife over those references (3 of them: 3 groups), each term recomputed here by
 * brute force with one reference left out.
 */
class ExactBruteForceTest {
  private static final int[] SIZES = {1, 50, 2, 3, 1};

  static double[] model(double[][] p) {
    double big = 0;
    for (double v : p[1]) {
      big += v;
    }
    big /= 7;
    double three = Math.max(p[3][0], Math.max(p[3][1], p[3][2]));
    double y =
        Math.sin(p[0][0])
            + big * (p[2][0] - p[2][1])
            + (three > 0.3 ? 1 : 0) * p[0][0] * p[2][1]
            + 0.5 * Math.min(big, three);
    return new double[] {y, -0.5 * y + big * big}; // the last modality (if any) is ignored
  }

  private static List<Datapoint> points(String prefix, int n, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int j = 0; j < k; j++) {
        double[] v = new double[SIZES[j]];
        for (int e = 0; e < v.length; e++) {
          v[e] = Fixtures.gaussian(rng);
        }
        values.put("m" + (j + 1), v);
      }
      out.add(Datapoint.of(prefix + i, values));
    }
    return out;
  }

  /** v_x(T): the mean over every combination of the references on the modalities outside T. */
  static double v(double[][] x, Term t, List<Datapoint> refs, int cls) {
    int k = x.length;
    int n = refs.size();
    int[] idx = new int[k];
    double sum = 0;
    int count = 0;
    while (true) {
      double[][] p = new double[k][];
      boolean first = true;
      for (int j = 0; j < k; j++) {
        if (t.contains(j)) {
          first &= idx[j] == 0;
          p[j] = x[j];
        } else {
          p[j] = (double[]) refs.get(idx[j]).value("m" + (j + 1));
        }
      }
      if (first) { // each combination of the modalities outside T once
        sum += model(p)[cls];
        count++;
      }
      int j = 0;
      while (j < k && ++idx[j] == n) {
        idx[j] = 0;
        j++;
      }
      if (j == k) {
        return sum / count;
      }
    }
  }

  static double g(double[][] x, Term s, List<Datapoint> refs, int cls) {
    double out = 0;
    for (Term t : Moebius.subsets(s)) {
      out += Moebius.sign(s, t) * v(x, t, refs, cls);
    }
    return out;
  }

  /**
   * The delete-one jackknife's standard error of {@code estimate} over the references: sqrt((n - 1)
   * / n * sum_i (t_-i - mean)^2), t_-i the estimate without reference i.
   */
  static <T> double jackknife(List<T> refs, java.util.function.ToDoubleFunction<List<T>> estimate) {
    int n = refs.size();
    double[] t = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      List<T> without = new ArrayList<>(refs);
      without.remove(i);
      t[i] = estimate.applyAsDouble(without);
      mean += t[i] / n;
    }
    double ss = 0;
    for (double ti : t) {
      ss += (ti - mean) * (ti - mean);
    }
    return Math.sqrt((n - 1.0) / n * ss);
  }

  @ParameterizedTest
  @CsvSource({"4, 0", "4, 2", "5, 0", "5, 1", "5, 3"})
  void everyTermIsTheBruteForceOneOverTheReferencesUsed(int k, int cap) {
    List<Datapoint> pool = points("r", 12, k, 31);
    DimeBuilder b = Dime.builder();
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), SIZES[j]));
    }
    if (cap > 0) {
      b.maxInteractionOrder(cap);
    }
    Dime dime =
        b.model(Fixtures.model(2, ExactBruteForceTest::model))
            .centeredScores(false)
            .referencePool(pool)
            .estimator(Estimators.exact(3, ReferenceSelection.of("random")))
            .samples(4)
            .noFaithfulness()
            .seed(2)
            .build();
    int[] used = (int[]) ((Map<?, ?>) dime.provenance().estimator()).get("referenceIndices");
    List<Datapoint> refs = java.util.Arrays.stream(used).mapToObj(pool::get).toList();
    Datapoint dp = points("x", 1, k, 32).get(0);
    double[][] x = new double[k][];
    for (int j = 0; j < k; j++) {
      x[j] = (double[]) dp.value("m" + (j + 1));
    }
    for (int cls = 0; cls < 2; cls++) {
      ClassExplanation c = dime.explain(dp, Targets.all()).forClass(cls);
      int klass = cls;
      double residual = 0;
      double sum = 0;
      for (Term s : Term.all(k)) {
        double want = g(x, s, refs, cls);
        if (s.order() > (cap == 0 ? k : cap)) {
          residual += want;
          continue;
        }
        TermValue got =
            c.decomposition().stream()
                .filter(t -> t.term().equals(s) && !t.key().equals("residual"))
                .findFirst()
                .orElseThrow();
        assertEquals(want, got.value(), 1e-9, s + " of class " + cls);
        assertEquals(
            jackknife(refs, r -> g(x, s, r, klass)), got.standardError(), 1e-9, s + " error");
        if (k == 5 && s.contains(4) && s.order() > 0) {
          assertEquals(0, got.value(), 1e-12, s + " holds the ignored modality");
        }
        sum += got.value();
      }
      if (cap > 0) {
        TermValue r = c.decomposition().get(c.decomposition().size() - 1);
        assertEquals("residual", r.key());
        assertEquals(residual, r.value(), 1e-9, "residual of class " + cls);
        int q = cap;
        assertEquals(
            jackknife(
                refs,
                rs ->
                    Term.all(k).stream()
                        .filter(s -> s.order() > q)
                        .mapToDouble(s -> g(x, s, rs, klass))
                        .sum()),
            r.standardError(),
            1e-9,
            "residual's error");
        sum += r.value();
      }
      assertEquals(c.output(), sum, 1e-12, "terms sum to the output of class " + cls);
      assertEquals(model(x)[cls], c.output(), 1e-12);
    }
  }
}
