package io.dime.modality.image;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A partition of an image's pixels into {@code count} segments: one label per pixel, row by row,
 * labels 0 to count - 1 numbered in the order their first pixel appears (top row first, left to
 * right), so the numbering does not depend on how the segmenter numbered them. Also holds what the
 * feature set needs again and again: pixel counts, centroids and the runs of equal labels.
 */
final class Segmentation {
  final int width;
  final int height;
  final int count;

  /** One label per pixel, row by row; never changed after construction. */
  final int[] labels;

  final int[] pixelCounts;
  final double[] centroidX;
  final double[] centroidY;

  /**
   * Maximal runs of one label in row-major pixel order (a run may continue onto the next row):
   * first pixel index, length and label of each run.
   */
  final int[] runStart;

  final int[] runLength;
  final int[] runLabel;

  private Segmentation(int width, int height, int count, int[] labels) {
    this.width = width;
    this.height = height;
    this.count = count;
    this.labels = labels;
    this.pixelCounts = new int[count];
    long[] sumX = new long[count];
    long[] sumY = new long[count];
    int runs = 0;
    for (int y = 0, p = 0; y < height; y++) {
      for (int x = 0; x < width; x++, p++) {
        int l = labels[p];
        pixelCounts[l]++;
        sumX[l] += x;
        sumY[l] += y;
        if (p == 0 || labels[p - 1] != l) {
          runs++;
        }
      }
    }
    this.centroidX = new double[count];
    this.centroidY = new double[count];
    for (int s = 0; s < count; s++) {
      centroidX[s] = (double) sumX[s] / pixelCounts[s];
      centroidY[s] = (double) sumY[s] / pixelCounts[s];
    }
    this.runStart = new int[runs];
    this.runLength = new int[runs];
    this.runLabel = new int[runs];
    int r = -1;
    for (int y = 0, p = 0; y < height; y++) {
      for (int x = 0; x < width; x++, p++) {
        if (p == 0 || labels[p - 1] != labels[p]) {
          r++;
          runStart[r] = p;
          runLabel[r] = labels[p];
        }
        runLength[r]++;
      }
    }
  }

  /**
   * Renumbers any labelling (arbitrary ints, one per pixel) into contiguous labels in order of
   * first appearance.
   */
  static Segmentation of(int width, int height, int[] raw) {
    if (raw.length != width * height) {
      throw new IllegalStateException(
          "segmenter gave " + raw.length + " labels for " + width + "x" + height + " pixels");
    }
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int l : raw) {
      min = Math.min(min, l);
      max = Math.max(max, l);
    }
    int[] labels = new int[raw.length];
    int next = 0;
    if ((long) max - min < 4L * raw.length + 1024) {
      int[] map = new int[max - min + 1];
      Arrays.fill(map, -1);
      for (int p = 0; p < raw.length; p++) {
        int k = raw[p] - min;
        if (map[k] < 0) {
          map[k] = next++;
        }
        labels[p] = map[k];
      }
    } else {
      Map<Integer, Integer> map = new HashMap<>();
      for (int p = 0; p < raw.length; p++) {
        Integer l = map.get(raw[p]);
        if (l == null) {
          l = next++;
          map.put(raw[p], l);
        }
        labels[p] = l;
      }
    }
    return new Segmentation(width, height, next, labels);
  }

  /**
   * A regular grid of {@code rows x cols} cells; cell edges at {@code floor(i * width / cols)} and
   * {@code floor(j * height / rows)}, so cells are equal when the sizes divide evenly and differ by
   * at most one pixel per side otherwise.
   */
  static Segmentation grid(int width, int height, int rows, int cols) {
    int[] labels = new int[width * height];
    int[] colOf = new int[width];
    for (int x = 0; x < width; x++) {
      colOf[x] = (int) ((long) x * cols / width);
    }
    for (int y = 0, p = 0; y < height; y++) {
      int row = (int) ((long) y * rows / height);
      for (int x = 0; x < width; x++, p++) {
        labels[p] = row * cols + colOf[x];
      }
    }
    return of(width, height, labels);
  }

  /** Whether the pixel differs in label from its right or lower neighbour (a 1-pixel line). */
  boolean isBoundary(int p) {
    int x = p % width;
    int l = labels[p];
    return x + 1 < width && labels[p + 1] != l
        || p + width < labels.length && labels[p + width] != l;
  }
}
