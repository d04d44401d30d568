package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.Explanation;
import io.dime.api.SurrogateFit;
import io.dime.api.run.JobResult;
import io.dime.spi.FeatureSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit whose target does not vary beyond the model's rounding (its score NaN) has weights that are
 * rounding, 1e-30 where the real ones are near 1. A view colours each weight against the largest
 * one, so the report painted such rounding in full colour and listed it among the top features (the
 * words of a text whose hiding changed nothing, dark blue in UC and dark orange in MI). The report
 * draws such a fit with every weight 0; the weight table keeps the numbers.
 */
class FlatFitViewTest {
  @Test
  void aFitWithoutScoreIsDrawnWithZeroWeights(@TempDir Path dir) throws Exception {
    Explanation e =
        Fixtures.explanation(
            "x",
            List.of("t"),
            List.of(List.of("a@0", "b@2")),
            new double[] {1.5, -1.5},
            null,
            List.of(new Fixtures.ClassSpec(0, "c0", List.of("predicted"))),
            3);
    // fits of one modality: g1, UC, MI, LIME; UC's target is flat
    Explanation flat =
        Fixtures.withClass(
            e,
            0,
            c ->
                Fixtures.withFit(
                    c,
                    0,
                    1,
                    f ->
                        new SurrogateFit(
                            f.key(),
                            f.kind(),
                            f.term(),
                            new double[] {8.0e-30, -4.6e-30},
                            f.standardErrors(),
                            0.5,
                            Double.NaN,
                            0.5,
                            new double[0],
                            Optional.empty())));
    StubModality m = new StubModality("t", null);
    FeatureSet<?> fs = m.features("a b");
    try (HtmlReportSink sink =
        HtmlReportSink.builder(dir.resolve("report.html"), List.of(m)).build()) {
      sink.accept(
          new JobResult(JobResult.Status.EXPLAINED, 1, flat, Optional.empty(), Map.of("t", fs)));
      sink.finish(null);
    }
    assertEquals(List.of("input", "g1 t, c0", "UC t, c0", "MI t, c0", "LIME t, c0"), m.captions);
    assertArrayEquals(new double[2], m.drawn.get(2), "UC's rounding is drawn as 0");
    double[] mi = Fixtures.weights(flat, 0, "t", "MI");
    assertArrayEquals(mi, m.drawn.get(3), "MI has a score: drawn as it is");
  }
}
