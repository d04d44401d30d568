package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dry run's global analysis time: the analysis timed on a grid of at most {@link
 * DryRunGlobal#MEASURED_CELLS} cells and scaled by the cells. Before, it was the explanations' time
 * per row times the cells: 0 s for a six-modality job whose analysis took 12 s.
 */
class DryRunGlobalTest {
  @Test
  void theTimedGridIsTheLargestWithinTheCellsAndTheRunsGrid() {
    assertEquals(100, DryRunGlobal.measuredReferences(100, 2), "10,000 cells: the run's own grid");
    assertEquals(141, DryRunGlobal.measuredReferences(400, 2), "141^2 = 19,881 cells");
    assertEquals(11, DryRunGlobal.measuredReferences(17, 4), "11^4 = 14,641, 12^4 = 20,736");
    assertEquals(5, DryRunGlobal.measuredReferences(10, 6), "5^6 = 15,625");
    assertEquals(2, DryRunGlobal.measuredReferences(3, 20), "at least 2");
    assertEquals(2, DryRunGlobal.measuredReferences(1, 2), "at least 2");
    assertEquals(3, DryRunGlobal.measuredReferences(5, 6, 15_625 / 4), "the smaller: 3^6 = 729");
  }

  @Test
  void theRunsTimeScalesWithTheCells() {
    Map<String, Object> m = Map.of("globalReferences", 5, "globalSeconds", 0.25);
    assertEquals(0.25 * 64, DryRunGlobal.estimate(m, 10, 6), 1e-12, "(10 / 5)^6 = 64");
    assertEquals(0.25, DryRunGlobal.estimate(m, 5, 3), 1e-12, "the run's own grid");
    assertNull(DryRunGlobal.estimate(Map.of("globalError", "no pool"), 10, 6));
    // two grids: 0.1 s fixed + 10 microseconds a cell through 15,625 and 4,096 cells
    Map<String, Object> two =
        Map.of(
            "globalReferences",
            5,
            "globalSeconds",
            0.1 + 1e-5 * 15_625,
            "globalReferencesSmall",
            4,
            "globalSecondsSmall",
            0.1 + 1e-5 * 4_096);
    assertEquals(0.1 + 1e-5 * 1e6, DryRunGlobal.estimate(two, 10, 6), 1e-9);
    // noise that makes the smaller grid slower: one grid's ratio
    Map<String, Object> noisy =
        Map.of(
            "globalReferences",
            5,
            "globalSeconds",
            0.2,
            "globalReferencesSmall",
            4,
            "globalSecondsSmall",
            0.3);
    assertEquals(0.2 * 64, DryRunGlobal.estimate(noisy, 10, 6), 1e-9);
  }
}
