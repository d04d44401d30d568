package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bound on what the dry run spends measuring ({@link DryRunBudget}): a dry run of three records
 * on the demo's model explained 24 datapoints, eight at the run's S = 1000, in about 2 minutes to
 * estimate a 48-second job.
 */
class DryRunBudgetTest {
  private static DryRunRound round(int points, double seconds) {
    DryRunRound r = new DryRunRound();
    r.rounds = 1;
    r.explained = points;
    r.seconds = seconds;
    return r;
  }

  @Test
  void aRoundExplainsFourDatapointsPerThreadAndNeverMoreThanTheManifestHolds() {
    assertEquals(8, DryRunBudget.roundPoints(2, 200));
    assertEquals(3, DryRunBudget.roundPoints(2, 3), "the reviewer's three records");
    assertEquals(1, DryRunBudget.roundPoints(1, 1));
    assertEquals(1, DryRunBudget.roundPoints(2, 0), "at least one");
  }

  /**
   * Three records at S = 1000, 100 passes per sample: 3 datapoints at S1 = 81 took 12 s, so one
   * takes 4 s there and 4 x 100,000 / 8,100 s at S = 1000; the job's three, 148.1 s.
   */
  @Test
  void theRoundAtTheRunsSIsLeftOutWhenItWouldTakeTheDryRunPastTheJob() {
    DryRunBudget b = new DryRunBudget(3, 1000, 0, 100);
    DryRunRound one = round(3, 12);
    assertEquals(4 * 100_000 / 8_100.0, b.perPoint(one, 81, 1000), 1e-12);
    assertEquals(3 * 4 * 100_000 / 8_100.0, b.job(one, 81), 1e-12);
    assertEquals(b.job(one, 81), b.bound(one, 81), 0);
    b.spend(13); // the warm-up round
    b.spend(12); // the first measured round
    // 25 s + 148.1 s > 148.1 s: not S = 1000, but the largest S whose round fits in the 123.1 s
    // left: 3 x 4 s x S / 81 <= 123.1 s, S = 831
    assertFalse(b.allows(one, 81, 1000, 3));
    assertTrue(b.allows(one, 81, 831, 3));
    assertFalse(b.allows(one, 81, 832, 3));
    assertEquals(831, b.secondCount(one, 81, 1000, 3));
    // 125 s spent: 23.1 s left, S = 156 at most, less than twice the first: no second count
    b.spend(100);
    assertTrue(b.allows(one, 81, 156, 3));
    assertFalse(b.allows(one, 81, 157, 3));
    assertEquals(81, b.secondCount(one, 81, 1000, 3));
  }

  /**
   * With the faithfulness curves' 19,000 passes per datapoint at every S (and 115 per sample), the
   * largest S that fits must need twice the first's passes: S = 179 needs 1.4 times S = 81's, a
   * reach that fitted the noise (an estimate of 22 s for a 48-second job).
   */
  @Test
  void aSecondCountNeedsTwiceThePasses() {
    DryRunBudget b = new DryRunBudget(3, 1000, 19_000, 115);
    DryRunRound one = round(3, 12); // 4 s a datapoint at 28,315 passes
    assertEquals(12 * 134_000 / 28_315.0, b.bound(one, 81), 1e-12);
    b.spend(25);
    assertTrue(b.allows(one, 81, 487, 3));
    assertFalse(b.allows(one, 81, 488, 3));
    assertEquals(487, b.secondCount(one, 81, 1000, 3), "75,005 passes, 2.6 times");
    b.spend(15);
    assertTrue(b.allows(one, 81, 179, 3));
    assertFalse(b.allows(one, 81, 180, 3));
    assertEquals(81, b.secondCount(one, 81, 1000, 3), "39,585 passes: no second count");
  }

  @Test
  void aJobOfManyDatapointsMeasuresAtItsOwnS() {
    DryRunBudget b = new DryRunBudget(300, 1000, 0, 100);
    DryRunRound one = round(8, 32);
    b.spend(64);
    // 64 s + 8 x 49.4 s = 459 s, within the job's 300 x 49.4 s
    assertEquals(1000, b.secondCount(one, 81, 1000, 8));
    // the planned count is twice the first (the run's S is too large a datapoint): kept
    assertEquals(162, b.secondCount(one, 81, 162, 8));
  }

  /** A fast model's rounds take their usual seconds whatever the job: at least 10 s. */
  @Test
  void measuringMayAlwaysTakeTheFloor() {
    DryRunBudget b = new DryRunBudget(5, 50, 20, 40);
    DryRunRound one = round(5, 0.01); // 2 ms a datapoint; the job: 5 x 2 ms
    assertEquals(DryRunBudget.FLOOR_SECONDS, b.bound(one, 50), 0);
    b.spend(9.98);
    assertTrue(b.allows(one, 50, 50, 5), "9.98 + 0.01 s");
    b.spend(0.02);
    assertFalse(b.allows(one, 50, 50, 5), "10 + 0.01 s");
  }

  @Test
  void roundsAtTheRunsSThatExplainedTheJobAreItsMeasuredTime() {
    Map<String, Object> m = new LinkedHashMap<>();
    DryRunBudget.measuredJob(m, round(6, 3.0), 6, 5);
    assertEquals(6, m.get("measuredJobDatapoints"));
    assertEquals(2.5, (Double) m.get("measuredJobSeconds"), 1e-12, "0.5 s a datapoint x 5");
    Map<String, Object> fewer = new LinkedHashMap<>();
    DryRunBudget.measuredJob(fewer, round(4, 3.0), 4, 5);
    assertTrue(fewer.isEmpty(), "4 of the job's 5: not the job");
  }
}
