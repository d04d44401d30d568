package io.dime.modality.text;

import static io.dime.modality.text.TextModalityContractTest.QUESTION;
import static io.dime.modality.text.TextModalityContractTest.VOCAB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ModalityExplanation;
import io.dime.api.OutputKind;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import io.dime.spi.PluginConfig;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The text modality inside the DIME engine with a vector modality and a Java model: the word that
 * acts alone carries the unimodal contribution, the word that acts with the vector the interaction.
 */
class TextEngineTest {
  /** logit = 2 [text has "man"] + v [text has "head"]. */
  static double[] model(Object[] row) {
    List<String> words = Arrays.asList(((String) row[0]).replace("?", " ?").split("\\s+"));
    double v = ((double[]) row[1])[0];
    double out = (words.contains("man") ? 2 : 0) + (words.contains("head") ? v : 0);
    return new double[] {out};
  }

  static Datapoint point(String id, String text, double v) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("q", text);
    values.put("v", new double[] {v});
    return Datapoint.of(id, values);
  }

  @Test
  void wordsCarryTheirUnimodalAndInteractionWeights() {
    TextModality text =
        new TextModality("q", PluginConfig.of("modality 'q' (plugin text)", "vocab", VOCAB));
    List<Datapoint> pool =
        List.of(
            point("p0", "Is it raining?", 0),
            point("p1", "What colour is the car?", 1),
            point("p2", "Where is the head of the table?", -1),
            point("p3", "Is the man smiling?", 0));
    Dime dime =
        Dime.builder()
            .modality(text)
            .modality(VectorModality.of("v", 1))
            .model(JavaModels.of("test", 1, OutputKind.LOGITS, TextEngineTest::model))
            .referencePool(pool)
            .estimator(Estimators.exact(4))
            .samples(300)
            .seed(7)
            .build();
    ClassExplanation c = dime.explain(point("x", QUESTION, 3), Targets.classes("0")).forClass(0);
    ModalityExplanation q = c.modality("q");
    assertEquals(
        List.of(
            "What@0",
            "is@5",
            "the@8",
            "man@12",
            "wearing@16",
            "on@24",
            "his@27",
            "head@31",
            "?@35"),
        q.featureNames());
    double[] uc = q.fit("UC").orElseThrow().weights();
    double[] mi = q.fit("MI").orElseThrow().weights();
    assertEquals(3, argMaxAbs(uc), "UC: 'man' acts alone; weights " + Arrays.toString(uc));
    assertEquals(7, argMaxAbs(mi), "MI: 'head' acts with v; weights " + Arrays.toString(mi));
    View view =
        text.view(
            text.featurize(
                QUESTION, io.dime.spi.PoolStatistics.empty(), new java.util.SplittableRandom(1)),
            uc,
            ViewOptions.defaults("UC q"));
    List<?> top = (List<?>) view.data().get("top");
    assertTrue(((Map<?, ?>) top.get(0)).get("name").equals("man@12"), view.data().toString());
  }

  static int argMaxAbs(double[] w) {
    int best = 0;
    for (int i = 1; i < w.length; i++) {
      if (Math.abs(w[i]) > Math.abs(w[best])) {
        best = i;
      }
    }
    return best;
  }
}
