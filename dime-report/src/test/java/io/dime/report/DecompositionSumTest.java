package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Term;
import io.dime.api.TermValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decomposition whose terms do not sum to the output (an outside tester's tampered record: a term
 * of 1e309, read as infinity, was left out of the sum and the page said nothing; terms summing to
 * 104.8 for an output of 4.772 likewise) is marked on its card. DIME's own always add up.
 */
class DecompositionSumTest {
  private static List<TermValue> terms(double... values) {
    List<TermValue> out = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(new TermValue(new Term(i), "g" + i, "t" + i, values[i], 0.1, Double.NaN));
    }
    return out;
  }

  @Test
  void termsThatDoNotSumToTheOutputAreMarked() {
    assertTrue(DecompositionChart.addsUp(terms(1, 2.5, -0.75), 2.75));
    assertTrue(DecompositionChart.addsUp(terms(1e9, 1), 1e9 + 1 + 1e-3)); // 1e-6 of the scale
    assertTrue(DecompositionChart.addsUp(List.of(), 3));
    assertFalse(DecompositionChart.addsUp(terms(1, 2), 3.01));
    assertFalse(DecompositionChart.addsUp(terms(1, Double.POSITIVE_INFINITY), 3));
    assertFalse(DecompositionChart.addsUp(terms(1, Double.NaN), 1));
    assertFalse(DecompositionChart.addsUp(terms(1, 2), Double.NaN));

    StringBuilder good = new StringBuilder();
    DecompositionChart.render(good, terms(1, 2), 3, io.dime.spi.Palette.DIVERGING, List.of("a"));
    assertFalse(good.toString().contains("do not add up"), good.toString());
    StringBuilder bad = new StringBuilder();
    DecompositionChart.render(
        bad, terms(1, 100), 4.772, io.dime.spi.Palette.DIVERGING, List.of("a"));
    assertTrue(
        bad.toString()
            .contains(
                "the output is 4.772 <span class=\"bad\">\u2014 they do not add up, as DIME's"
                    + " terms always do: this record was altered or damaged</span>."),
        bad.toString());
  }
}
