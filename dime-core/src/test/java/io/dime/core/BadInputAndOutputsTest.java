package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BadInputAndOutputsTest {
  private static DimeBuilder base(io.dime.api.MultimodalModel model) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(model)
        .referencePool(Fixtures.gaussianPoints("p", 10, 2, 3, 41))
        .estimator(Estimators.sampled(4))
        .samples(20);
  }

  @Test
  void badRecordsBecomeErrorsNamingTheRecordAndTheJobGoesOn() {
    Dime dime = base(Fixtures.model(2, p -> new double[] {p[0][0] * p[1][0], p[0][1]})).build();
    List<Datapoint> points = new ArrayList<>(Fixtures.gaussianPoints("ok", 3, 2, 3, 42));
    points.add(1, Fixtures.point("nan", new double[] {1, Double.NaN, 0}, new double[] {1, 2, 3}));
    points.add(2, Datapoint.of("missing", Map.of("m1", new double[] {1, 2, 3})));
    points.add(3, Fixtures.point("short", new double[] {1, 2}, new double[] {1, 2, 3}));
    List<ExplainResult> results = new ArrayList<>();
    int failed =
        io.dime.core.job.ExplanationJob.explainAll(
            dime, points, Targets.predicted(), 2, results::add);
    assertEquals(3, failed);
    assertEquals(6, results.size(), "every record gets a result, in input order");
    assertInstanceOf(Explanation.class, results.get(0));
    RecordError nan = assertInstanceOf(RecordError.class, results.get(1));
    assertEquals(Optional.of("nan"), nan.id());
    assertTrue(nan.message().contains("'nan'") && nan.message().contains("entry 1"), nan.message());
    RecordError missing = assertInstanceOf(RecordError.class, results.get(2));
    assertTrue(missing.message().contains("missing modality 'm2'"), missing.message());
    RecordError shortOne = assertInstanceOf(RecordError.class, results.get(3));
    assertTrue(shortOne.message().contains("expected 3"), shortOne.message());
    assertInstanceOf(Explanation.class, results.get(5));
  }

  /**
   * An input problem met where the engine does not know the record (an encoder's shapes, a model
   * call's input check) is named with the record like every other: the message once began "modality
   * 'image' encodes values of different shapes" with no record.
   */
  @Test
  void anInputProblemMetDeepInTheEngineNamesTheRecord() {
    Dime dime =
        base(Fixtures.model(
                1,
                p -> {
                  if (p[0][0] > 5) {
                    throw new io.dime.api.InputException(null, "a value the model cannot take");
                  }
                  return new double[] {p[0][0]};
                }))
            .build();
    Datapoint bad = Fixtures.point("deep", new double[] {9, 0, 0}, new double[] {0, 0, 0});
    RecordError e =
        assertInstanceOf(RecordError.class, dime.explainOrError(bad, Targets.predicted()));
    assertEquals("input", e.stage());
    assertEquals("record 'deep': a value the model cannot take", e.message());
  }

  @Test
  void modelReturningNanIsAnErrorForThatRecord() {
    Dime dime =
        base(Fixtures.model(1, p -> new double[] {p[0][0] > 5 ? Double.NaN : p[0][0]})).build();
    Datapoint bad = Fixtures.point("bad", new double[] {9, 0, 0}, new double[] {0, 0, 0});
    ExplainResult r = dime.explainOrError(bad, Targets.predicted());
    RecordError e = assertInstanceOf(RecordError.class, r);
    assertEquals("model", e.stage());
    assertTrue(e.message().contains("NaN"), e.message());
    assertTrue(!e.message().contains("perturbed row"), e.message()); // its own output is NaN

    // finite on the record, NaN once its first entry is hidden (zero baseline): a perturbed row
    Dime hides =
        base(Fixtures.model(1, p -> new double[] {p[0][0] == 0 ? Double.NaN : p[0][0]})).build();
    Datapoint fine = Fixtures.point("fine", new double[] {1, 0, 0}, new double[] {0, 0, 0});
    RecordError onRows =
        assertInstanceOf(RecordError.class, hides.explainOrError(fine, Targets.predicted()));
    assertEquals("model", onRows.stage());
    assertTrue(
        onRows
            .message()
            .contains(
                "model returned NaN for output 0 on a perturbed row (the record's own output was"
                    + " finite)"),
        onRows.message());
  }

  /** {@code scores} with these class labels and output kind. */
  private static io.dime.api.MultimodalModel labelled(
      io.dime.api.MultimodalModel scores, OutputKind kind, List<String> labels) {
    return new io.dime.api.MultimodalModel() {
      @Override
      public double[][] predict(List<Object[]> rows) {
        return scores.predict(rows);
      }

      @Override
      public int outputCount() {
        return labels.size();
      }

      @Override
      public List<String> outputNames() {
        return labels;
      }

      @Override
      public OutputKind outputKind() {
        return kind;
      }
    };
  }

  /**
   * A model with class labels: its NaN is named by the class's index and label; a label that reads
   * "NaN" on a negative probability is not taken for a NaN output of a perturbed row.
   */
  @Test
  void modelReturningNanNamesTheClassByItsLabel() {
    io.dime.api.MultimodalModel nan =
        labelled(
            Fixtures.model(2, p -> new double[] {p[0][0], p[0][0] > 5 ? Double.NaN : 1}),
            OutputKind.LOGITS,
            List.of("dog", "cat"));
    Datapoint bad = Fixtures.point("bad", new double[] {9, 0, 0}, new double[] {0, 0, 0});
    RecordError e =
        assertInstanceOf(
            RecordError.class, base(nan).build().explainOrError(bad, Targets.predicted()));
    assertEquals("model", e.stage());
    assertTrue(e.message().contains("model returned NaN for output 1 ('cat')"), e.message());

    // a probability below 0 once the record's first entry is hidden (zero baseline)
    io.dime.api.MultimodalModel negative =
        labelled(
            Fixtures.model(
                2, p -> p[0][0] == 0 ? new double[] {-0.25, 1.25} : new double[] {0.5, 0.5}),
            OutputKind.PROBABILITIES,
            List.of("NaN", "ok"));
    Datapoint fine = Fixtures.point("fine", new double[] {1, 0, 0}, new double[] {0, 0, 0});
    RecordError onRows =
        assertInstanceOf(
            RecordError.class, base(negative).build().explainOrError(fine, Targets.predicted()));
    assertTrue(
        onRows.message().contains("model returned -0.25 for output 0 ('NaN'), which is"),
        onRows.message());
    assertTrue(!onRows.message().contains("perturbed row"), onRows.message());
  }

  @Test
  void modelReturningTheWrongWidthIsAnError() {
    Dime dime = base(Fixtures.model(2, p -> new double[] {1, 2, 3})).build();
    ExplainResult r =
        dime.explainOrError(Fixtures.gaussianPoints("x", 1, 2, 3, 5).get(0), Targets.predicted());
    RecordError e = assertInstanceOf(RecordError.class, r);
    assertTrue(
        e.message().contains("3 outputs") && e.message().contains("expected 2"), e.message());
  }

  @Test
  void unknownLabelClassIsAnErrorNamingTheOutputs() {
    Dime dime = base(Fixtures.model(2, p -> new double[] {1, 2})).build();
    Datapoint dp =
        new Datapoint(
            "lbl",
            Map.of("m1", new double[] {1, 2, 3}, "m2", new double[] {1, 2, 3}),
            java.util.Optional.of("cat"));
    RecordError e = assertInstanceOf(RecordError.class, dime.explainOrError(dp, Targets.label()));
    assertTrue(e.message().contains("'cat'") && e.message().contains("[0, 1]"), e.message());
  }

  @Test
  void probabilitiesAreExplainedAsLogProbabilitiesWithAWarning() {
    io.dime.api.MultimodalModel probs =
        JavaModels.of(
            "softmax",
            2,
            OutputKind.AUTO,
            row -> {
              double a = ((double[]) row[0])[0] * ((double[]) row[1])[1];
              double e0 = Math.exp(a);
              return new double[] {e0 / (e0 + 1), 1 / (e0 + 1)};
            });
    Dime dime = base(probs).estimator(Estimators.exact(10)).centeredScores(false).build();
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 3, 6).get(0);
    Explanation e = dime.explain(x, Targets.classes("0", "1"));
    assertEquals(1, e.warnings().size(), e.warnings().toString());
    assertTrue(e.warnings().get(0).contains("log-probabilities"));
    double a = ((double[]) x.value("m1"))[0] * ((double[]) x.value("m2"))[1];
    assertEquals(a - Math.log(Math.exp(a) + 1), e.outputs()[0], 1e-12);
    for (ClassExplanation c : e.classes()) {
      double sum = c.decomposition().stream().mapToDouble(TermValue::value).sum();
      assertEquals(c.output(), sum, 1e-9);
    }
    assertEquals("log-probabilities", e.provenance().outputs());

    // By default the log-probabilities are centred: log p0 - (log p0 + log p1) / 2 = a / 2.
    Explanation centred =
        base(probs).estimator(Estimators.exact(10)).build().explain(x, Targets.classes("0", "1"));
    assertEquals(a / 2, centred.outputs()[0], 1e-12);
    assertEquals(-a / 2, centred.outputs()[1], 1e-12);
    assertEquals("centered", centred.provenance().scores());
    for (ClassExplanation c : centred.classes()) {
      double sum = c.decomposition().stream().mapToDouble(TermValue::value).sum();
      assertEquals(c.output(), sum, 1e-9);
    }
  }

  /**
   * A softmax whose probability underflows to 0 when a feature is hidden: its logarithm is floored
   * at log(1.4e-45), and the record says how many values were floored.
   */
  @Test
  void aProbabilityOfZeroIsFlooredAndTheRecordWarns() {
    io.dime.api.MultimodalModel underflow =
        JavaModels.of(
            "underflowing softmax",
            2,
            OutputKind.AUTO,
            row -> {
              double a = ((double[]) row[0])[0];
              // p1 = 0 exactly whenever m1's first entry is hidden (0 under the zero baseline)
              return a == 0 ? new double[] {1, 0} : new double[] {0.75, 0.25};
            });
    Dime dime = base(underflow).estimator(Estimators.exact(10)).centeredScores(false).build();
    Datapoint x = Fixtures.point("x", new double[] {1, 2, 3}, new double[] {1, 2, 3});
    Explanation e = dime.explain(x, Targets.classes("1"));
    // the model reads m1's first entry alone: m2's targets and the interactions are constant
    assertEquals(4, e.warnings().size(), e.warnings().toString());
    assertTrue(
        e.warnings().get(0).startsWith("modality 'm1', class '1': g12, MI do not vary"),
        e.warnings().get(0));
    assertTrue(
        e.warnings().get(1).startsWith("modality 'm2', class '1': g2, g12, UC, MI, LIME do not"),
        e.warnings().get(1));
    String flooredWarning = e.warnings().get(3);
    assertTrue(flooredWarning.contains("floored at -103.28"), flooredWarning);
    long floored = Long.parseLong(flooredWarning.split(" ")[0]);
    assertTrue(floored > 0 && floored < e.passes().rows(), flooredWarning);
    // hiding m1's first feature moves log p1 from log 0.25 to the floor, and nothing else counts
    ClassExplanation c = e.classes().get(0);
    double[] w =
        c.modalities().get(0).fits().stream()
            .filter(f -> f.key().equals("LIME"))
            .findFirst()
            .orElseThrow()
            .weights();
    assertTrue(w[0] > 50 && w[0] < 110, java.util.Arrays.toString(w));

    Datapoint fine = Fixtures.point("fine", new double[] {5, 2, 3}, new double[] {1, 2, 3});
    io.dime.api.MultimodalModel smooth =
        JavaModels.of("smooth", 2, OutputKind.AUTO, row -> new double[] {0.75, 0.25});
    Explanation none =
        base(smooth).estimator(Estimators.exact(10)).build().explain(fine, Targets.classes("1"));
    // no floored values; a constant model has only targets that do not vary (two warnings)
    assertEquals(3, none.warnings().size(), none.warnings().toString());
    assertTrue(none.warnings().get(2).startsWith("model outputs are probabilities"));
    assertTrue(none.warnings().get(0).contains("g1, g12, UC, MI, LIME do not vary"));
  }

  @Test
  void explanationSerialisesWithSchemaVersionAndProvenance() throws Exception {
    Dime dime = base(Fixtures.model(2, p -> new double[] {p[0][0], p[1][2]})).build();
    Explanation e =
        dime.explain(Fixtures.gaussianPoints("x", 1, 2, 3, 7).get(0), Targets.predictedAndLabel());
    var node = Json.mapper().readTree(Json.line(e));
    assertEquals(1, node.get("schemaVersion").asInt());
    assertEquals("x0", node.get("id").asText());
    assertTrue(node.get("provenance").has("estimator"));
    assertTrue(node.get("provenance").has("referenceDrawHash"));
    assertTrue(node.get("provenance").get("surrogate").has("alpha"));
    assertEquals("g12", node.at("/classes/0/decomposition/3/key").asText());
    assertTrue(node.at("/classes/0/modalities/0/fits/0/weights").isArray());
    assertTrue(node.get("timings").has("totalSeconds"));
  }

  @Test
  void builderRejectsNonsense() {
    var model = Fixtures.model(1, p -> new double[] {0});
    assertThrows(IllegalArgumentException.class, () -> base(model).samples(1).build());
    assertThrows(IllegalArgumentException.class, () -> base(model).batchSize(0).build());
    assertThrows(
        IllegalArgumentException.class, () -> base(model).referencePool(List.of()).build());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                base(model)
                    .estimator(Estimators.paperFaithful(5))
                    .modality(VectorModality.of("m3", 3))
                    .referencePool(Fixtures.gaussianPoints("p", 5, 3, 3, 1))
                    .build()
                    .preparationRows());
    assertTrue(e.getMessage().contains("two-modality"), e.getMessage());
    IllegalArgumentException est =
        assertThrows(IllegalArgumentException.class, () -> Estimators.byName("exakt", 3));
    assertEquals(
        "no estimator 'exakt'; available: [sampled, anchored, exact, paper_faithful]",
        est.getMessage());
    assertMessage("the reference pool is null", () -> base(model).referencePool(null));
    List<Datapoint> withNull = new ArrayList<>(Fixtures.gaussianPoints("p", 3, 2, 3, 1));
    withNull.add(1, null);
    assertMessage("reference pool datapoint 1 is null", () -> base(model).referencePool(withNull));
    assertMessage(
        "the model declares 0 outputs; it needs at least 1",
        () -> base(JavaModels.of("none", 0, OutputKind.REGRESSION, r -> new double[0])).build());
    assertMessage(
        "modality 'v': length must be >= 0 (0 = any), found -1", () -> VectorModality.of("v", -1));
    Dime dime = base(model).build();
    assertMessage(
        "globalAnalysis needs at least 2 references, found 0", () -> dime.globalAnalysis(0));
    assertMessage("hiddenBaseline needs maxRecords >= 1, found 0", () -> dime.hiddenBaseline(0));
    assertMessage("class name 1 is null", () -> Targets.classes("0", null));
    assertMessage("targets spec is null: e.g. \"predicted\"", () -> Targets.parse(null));
    assertMessage(
        "exact(N): maxRowsPerPoint must be >= 0 (0: no limit), found -1",
        () -> Estimators.exact(3, -1L));
  }

  /** {@code call} throws a runtime exception with exactly {@code message}. */
  private static void assertMessage(String message, Runnable call) {
    RuntimeException e = assertThrows(RuntimeException.class, call::run);
    assertTrue(
        e instanceof IllegalArgumentException || e instanceof NullPointerException,
        e.getClass().getName());
    assertEquals(message, e.getMessage());
  }

  /** A null datapoint or targets is named, not an internal NullPointerException. */
  @Test
  void nullDatapointOrTargetsIsNamed() {
    Dime dime = base(Fixtures.model(1, p -> new double[] {p[0][0]})).build();
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 3, 5).get(0);
    assertEquals(
        "datapoint is null",
        assertThrows(NullPointerException.class, () -> dime.explain(null, Targets.predicted()))
            .getMessage());
    assertEquals(
        "datapoint is null",
        assertThrows(
                NullPointerException.class, () -> dime.explainOrError(null, Targets.predicted()))
            .getMessage());
    assertTrue(
        assertThrows(NullPointerException.class, () -> dime.explain(x, null))
            .getMessage()
            .startsWith("targets is null"));
  }
}
