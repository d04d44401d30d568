package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Explanation;
import io.dime.api.RecordError;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bounded heap of the worst fits, and the bounded list of failures. */
class WorstFitsTest {
  private static Explanation point(String id, long seed) {
    return Fixtures.explanation(
        id,
        List.of("a", "b"),
        List.of(List.of("x", "y"), List.of("z")),
        new double[] {1.0, 0.0},
        null,
        List.of(new Fixtures.ClassSpec(0, "yes", List.of("predicted"))),
        seed);
  }

  @Test
  void anExplanationIsRankedByItsLowestUcFit() {
    Explanation e = PagedReportTest.withUc(point("p", 1), 0.8);
    // a UC fit of modality b at 0.25; MI and LIME fits lower still are not counted
    e =
        Fixtures.withClass(
            e,
            0,
            c -> {
              var out = c;
              for (int i = 0; i < c.modalities().get(1).fits().size(); i++) {
                var f = c.modalities().get(1).fits().get(i);
                double score = f.key().equals("UC") ? 0.25 : -5.0;
                out =
                    Fixtures.withFit(
                        out,
                        1,
                        i,
                        g ->
                            new io.dime.api.SurrogateFit(
                                g.key(),
                                g.kind(),
                                g.term(),
                                g.weights(),
                                g.standardErrors(),
                                g.intercept(),
                                score,
                                g.localPrediction(),
                                g.replicateErrors(),
                                g.faithfulness()));
              }
              return out;
            });
    assertEquals(Optional.of(new WorstFits.Fit(0.25, "yes", "b")), WorstFits.of(e));
    assertEquals(Optional.empty(), WorstFits.of(PagedReportTest.withUc(point("q", 2), Double.NaN)));
  }

  @Test
  void theHeapKeepsTheLowestFitsEarlierFirstOnTies() {
    WorstFits w = new WorstFits(3);
    double[] r2 = {0.5, 0.9, 0.2, 0.7, 0.2, 0.1, 0.95, 0.3};
    for (int i = 0; i < r2.length; i++) {
      w.offer(i, "p" + i, new WorstFits.Fit(r2[i], "c", "m"), "<card " + i + ">");
    }
    assertEquals(List.of("p5", "p2", "p4"), w.entries().stream().map(WorstFits.Entry::id).toList());
    assertFalse(w.wouldKeep(8, new WorstFits.Fit(0.2, "c", "m")), "a tie after the kept ones");
    assertTrue(w.wouldKeep(8, new WorstFits.Fit(0.15, "c", "m")));
    // what is held is the three kept entries' strings only
    long held = 0;
    for (WorstFits.Entry e : w.entries()) {
      held += e.id().length() + 2 + e.card().length();
    }
    assertEquals(held, w.heldChars());
    assertTrue(new WorstFits(0).entries().isEmpty());
    assertFalse(new WorstFits(0).wouldKeep(0, new WorstFits.Fit(0, "c", "m")));
  }

  @Test
  void theFailureListCountsAllAndKeepsTheFirstWithCutMessages() {
    FailureList f = new FailureList(2);
    String longMessage = "x".repeat(FailureList.MAX_MESSAGE - 1) + "\ud83d\ude00tail";
    f.add(new RecordError(Optional.of("a"), 1, "read", longMessage), "#card-0");
    f.add(new RecordError(Optional.empty(), 7, "model", "NaN"), null);
    for (int i = 0; i < 1000; i++) {
      f.add(new RecordError(Optional.of("r" + i), i, "read", "m".repeat(10_000)), null);
    }
    assertEquals(1002, f.total());
    assertEquals(2, f.entries().size());
    // cut before the emoji's second half, never inside it
    assertEquals("x".repeat(FailureList.MAX_MESSAGE - 1) + "\u2026", f.entries().get(0).message());
    assertEquals(
        new FailureList.Entry(null, "record at line 7", "model", "NaN"), f.entries().get(1));
    assertTrue(f.heldChars() < 2 * FailureList.MAX_MESSAGE + 100, "held " + f.heldChars());
  }
}
