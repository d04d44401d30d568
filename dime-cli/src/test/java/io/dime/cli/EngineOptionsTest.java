package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The size of the estimator a run gets: the preset's for the preset's own estimator, else the
 * estimator's own default (paper-faithful and exact keep the paper's N = 100 when the default
 * preset's R is 50), and always an explicit --references.
 */
class EngineOptionsTest {
  private static EngineOptions options(String preset, String estimator, Integer references) {
    EngineOptions o = new EngineOptions();
    o.preset = preset;
    o.estimatorOption = estimator;
    o.referencesOption = references;
    return o;
  }

  @Test
  void referencesFollowTheEstimatorRun() {
    assertEquals(50, options("default", null, null).references());
    assertEquals(50, options("default", "sampled", null).references());
    assertEquals(100, options("default", "paper-faithful", null).references());
    assertEquals(100, options("default", "paper_faithful", null).references());
    assertEquals(100, options("default", "exact", null).references());
    assertEquals(5, options("default", "anchored", null).references());
    assertEquals(5, options("fast", null, null).references());
    assertEquals(5, options("fast", "Anchored", null).references());
    assertEquals(50, options("fast", "sampled", null).references());
    assertEquals(100, options("fast", "paper-faithful", null).references());
    assertEquals(30, options("default", "paper-faithful", 30).references());
    assertEquals(30, options("fast", null, 30).references());
    // what the dry run lists for the estimators not chosen
    assertEquals(100, options("default", null, null).referencesFor("paper_faithful"));
    assertEquals(100, options("default", null, null).referencesFor("exact"));
    assertEquals(5, options("default", null, null).referencesFor("anchored"));
    assertEquals(50, options("fast", null, null).referencesFor("sampled"));
    assertEquals(30, options("default", null, 30).referencesFor("exact"));
  }

  /** --scores reads its words in any case, as --estimator does (RAW was refused). */
  @Test
  void scoresAreReadInAnyCase() {
    EngineOptions o = new EngineOptions();
    for (String raw : new String[] {"raw", "RAW", "Raw"}) {
      o.scores = raw;
      assertEquals(false, o.centeredScores(), raw);
    }
    for (String centred : new String[] {"centered", "Centred", "CENTERED"}) {
      o.scores = centred;
      assertEquals(true, o.centeredScores(), centred);
    }
  }
}
