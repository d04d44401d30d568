package io.dime.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks of lists in which each name must pick out one thing (a pipeline's class names, a model's
 * output names): the first entry that is null or repeats an earlier one.
 *
 * @since 0.3
 */
public final class NameLists {
  private NameLists() {}

  /**
   * The first entry of {@code names} that cannot name one thing, or null when every entry can.
   *
   * @return {@code {i, -1}} when entry i is null, {@code {i, j}} when entry i repeats entry j
   */
  public static int[] firstUnfit(List<String> names) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null) {
        return new int[] {i, -1};
      }
      Integer before = seen.putIfAbsent(name, i);
      if (before != null) {
        return new int[] {i, before};
      }
    }
    return null;
  }
}
