package io.dime.core.surrogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** LIME's feature-selection modes, applied to one target column. */
final class FeatureSelection {
  private FeatureSelection() {}

  static int[] select(String mode, double[][] z, double[] w, double[][] y, int k) {
    return switch (mode) {
      case "highest_weights" -> highestWeights(z, w, y, k);
      case "forward_selection" -> forward(z, w, y, k);
      case "lasso_path" -> lassoPath(z, w, y, k);
      default -> throw new IllegalArgumentException("no feature selection '" + mode + "'");
    };
  }

  /** Ridge (alpha 0.01) on all features, keep the k largest |weights|. */
  static int[] highestWeights(double[][] z, double[] w, double[][] y, int k) {
    double[] b = WeightedRidge.fit(z, w, y, 0.01, null).get(0).weights();
    Integer[] idx = new Integer[b.length];
    for (int j = 0; j < b.length; j++) {
      idx[j] = j;
    }
    Arrays.sort(idx, (p, q) -> Double.compare(Math.abs(b[q]), Math.abs(b[p])));
    int[] out = new int[Math.min(k, b.length)];
    for (int j = 0; j < out.length; j++) {
      out[j] = idx[j];
    }
    Arrays.sort(out);
    return out;
  }

  /** Greedy forward selection on the weighted R^2 of least squares. */
  static int[] forward(double[][] z, double[] w, double[][] y, int k) {
    int d = z[0].length;
    List<Integer> chosen = new ArrayList<>();
    for (int step = 0; step < Math.min(k, d); step++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < d; j++) {
        if (chosen.contains(j)) {
          continue;
        }
        int[] cols = new int[chosen.size() + 1];
        for (int i = 0; i < chosen.size(); i++) {
          cols[i] = chosen.get(i);
        }
        cols[chosen.size()] = j;
        double score = WeightedRidge.fit(z, w, y, 0, cols).get(0).score();
        if (score > bestScore) {
          bestScore = score;
          best = j;
        }
      }
      chosen.add(best);
    }
    return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /**
   * Divides the residuals by a power of two near their largest magnitude (the same numbers in other
   * units), so that the lasso's convergence test, a move below 1e-9, is relative: a target of order
   * 1e-30 moved less than that from the first sweep on, and the path kept other features.
   */
  private static void inUnitsOfItsSize(double[] r) {
    double largest = 0;
    for (double ri : r) {
      largest = Math.max(largest, Math.abs(ri));
    }
    if (largest > 0 && Double.isFinite(largest)) {
      double unit = Math.scalb(1.0, Math.getExponent(largest));
      for (int i = 0; i < r.length; i++) {
        r[i] /= unit;
      }
    }
  }

  /** The smallest penalty at which every lasso weight is 0: the largest |x_j . r|. */
  private static double lambdaMax(double[][] x, double[] r) {
    double lambdaMax = 0;
    for (int j = 0; j < x[0].length; j++) {
      double dot = 0;
      for (int i = 0; i < r.length; i++) {
        dot += x[i][j] * r[i];
      }
      lambdaMax = Math.max(lambdaMax, Math.abs(dot));
    }
    return lambdaMax;
  }

  /**
   * The lasso path on the weighted, centred data (coordinate descent over a decreasing grid of
   * penalties, warm-started): the features active at the last penalty with at most k of them.
   */
  static int[] lassoPath(double[][] z, double[] w, double[][] y, int k) {
    int s = z.length;
    int d = z[0].length;
    double sw = 0;
    for (double wi : w) {
      sw += wi;
    }
    double[] zbar = new double[d];
    double ybar = 0;
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < d; j++) {
        zbar[j] += w[i] * z[i][j] / sw;
      }
      ybar += w[i] * y[i][0] / sw;
    }
    double[][] x = new double[s][d];
    double[] r = new double[s];
    double[] norm = new double[d];
    for (int i = 0; i < s; i++) {
      double sq = Math.sqrt(w[i]);
      for (int j = 0; j < d; j++) {
        x[i][j] = (z[i][j] - zbar[j]) * sq;
        norm[j] += x[i][j] * x[i][j];
      }
      r[i] = (y[i][0] - ybar) * sq;
    }
    inUnitsOfItsSize(r);
    double lambdaMax = lambdaMax(x, r);
    double[] beta = new double[d];
    int[] best = new int[0];
    for (int step = 0; step < 100 && lambdaMax > 0; step++) {
      double lambda = lambdaMax * Math.pow(1e-4, step / 99.0);
      for (int iter = 0; iter < 200; iter++) {
        double change = 0;
        for (int j = 0; j < d; j++) {
          if (norm[j] == 0) {
            continue;
          }
          double rho = 0;
          for (int i = 0; i < s; i++) {
            rho += x[i][j] * (r[i] + x[i][j] * beta[j]);
          }
          double nb = Math.signum(rho) * Math.max(0, Math.abs(rho) - lambda) / norm[j];
          double delta = nb - beta[j];
          if (delta != 0) {
            for (int i = 0; i < s; i++) {
              r[i] -= x[i][j] * delta;
            }
            beta[j] = nb;
            change = Math.max(change, Math.abs(delta));
          }
        }
        if (change < 1e-9) {
          break;
        }
      }
      int nonzero = 0;
      for (double bj : beta) {
        nonzero += bj != 0 ? 1 : 0;
      }
      if (nonzero > k) {
        break;
      }
      int[] active = new int[nonzero];
      int a = 0;
      for (int j = 0; j < d; j++) {
        if (beta[j] != 0) {
          active[a++] = j;
        }
      }
      best = active;
    }
    return best.length == 0 ? highestWeights(z, w, y, k) : best;
  }
}
