package io.dime.core.infer.targets;

/**
 * One axis's selector: an index ({@code 3}, {@code -1} for the last) or a half-open slice ({@code
 * 2:10}, {@code :5}, {@code -3:}, {@code :}), negative positions counting from the end as in
 * Python.
 */
record Selector(Integer from, Integer to, boolean index) {
  static Selector parse(String target, String s) {
    String t = s == null ? "" : s.trim();
    try {
      int colon = t.indexOf(':');
      if (colon < 0) {
        return new Selector(Integer.parseInt(t), null, true);
      }
      if (t.indexOf(':', colon + 1) >= 0) {
        throw new NumberFormatException("steps are not supported");
      }
      String a = t.substring(0, colon).trim();
      String b = t.substring(colon + 1).trim();
      return new Selector(
          a.isEmpty() ? null : Integer.parseInt(a),
          b.isEmpty() ? null : Integer.parseInt(b),
          false);
    } catch (NumberFormatException e) {
      if (t.matches("[+-]?[0-9]+(:[+-]?[0-9]*)?|:?[+-]?[0-9]+")) {
        // it said "is neither an index (3, -1) nor a slice" of 2147483648, which is an index
        throw new IllegalArgumentException(
            "target '"
                + target
                + "': selector '"
                + s
                + "' goes past the integers a selector takes ("
                + Integer.MIN_VALUE
                + " to "
                + Integer.MAX_VALUE
                + ")");
      }
      throw new IllegalArgumentException(
          "target '"
              + target
              + "': selector '"
              + s
              + "' is neither an index (3, -1) nor a slice (2:10, :5, -3:, :)");
    }
  }

  /** The [from, to) positions it selects on an axis of size dim; null when that is nothing. */
  int[] resolve(int dim) {
    if (index) {
      int i = from < 0 ? dim + from : from;
      return i >= 0 && i < dim ? new int[] {i, i + 1} : null;
    }
    int a = from == null ? 0 : from < 0 ? Math.max(0, dim + from) : Math.min(from, dim);
    int b = to == null ? dim : to < 0 ? Math.max(0, dim + to) : Math.min(to, dim);
    return a < b ? new int[] {a, b} : null;
  }
}
