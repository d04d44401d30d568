package io.dime.modality.text;

import static io.dime.modality.text.TextEngineTest.argMaxAbs;
import static io.dime.modality.text.TextEngineTest.point;
import static io.dime.modality.text.TextModalityContractTest.QUESTION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.ModalityExplanation;
import io.dime.api.OutputKind;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.core.modality.VectorModality;
import io.dime.spi.ModelSignature;
import io.dime.testkit.FunctionAdapter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code tokenizer-json} encoder inside the engine: a model that reads token ids (BERT's
 * WordPiece ids from all-MiniLM-L6-v2's tokenizer.json) and a vector. The word whose id acts alone
 * carries the unimodal contribution, the word whose id acts with the vector the interaction.
 */
class TokenizerJsonEngineTest {
  /** BERT uncased ids of "man" and "head". */
  static final long MAN = 2158;

  static final long HEAD = 2132;

  /** logit = 2 [input_ids hold "man"] + v [input_ids hold "head"], over the attended tokens. */
  private static FunctionAdapter idsAdapter() {
    return FunctionAdapter.of(
        new ModelSignature(
            List.of(
                new TensorSpec("input_ids", ElementType.INT64, new long[] {-1, 32}),
                new TensorSpec("attention_mask", ElementType.INT64, new long[] {-1, 32}),
                new TensorSpec("v", ElementType.FLOAT32, new long[] {-1, 1})),
            List.of(new TensorSpec("logits", ElementType.FLOAT32, new long[] {-1, 1}))),
        Map.of("adapter", "ids"),
        TokenizerJsonEngineTest::idsAdapterOutputs);
  }

  /** The outputs of idsAdapter() for one batch. */
  private static Map<String, Tensor> idsAdapterOutputs(Map<String, Tensor> inputs) {
    long[] ids = inputs.get("input_ids").longs();
    long[] mask = inputs.get("attention_mask").longs();
    float[] v = inputs.get("v").floats();
    int n = v.length;
    float[] out = new float[n];
    for (int r = 0; r < n; r++) {
      boolean man = false;
      boolean head = false;
      for (int i = r * 32; i < (r + 1) * 32; i++) {
        man |= mask[i] == 1 && ids[i] == MAN;
        head |= mask[i] == 1 && ids[i] == HEAD;
      }
      out[r] = (man ? 2 : 0) + (head ? v[r] : 0);
    }
    return Map.of("logits", Tensor.ofFloats("logits", new long[] {n, 1}, out));
  }

  @Test
  void wordsCarryTheirUnimodalAndInteractionWeightsThroughTokenIds() {
    TextModality text = TokenizerJsonEncoderTest.modality("bert-minilm", "maxLength", 32);
    assertEquals(
        List.of(101L, 2054L, 2003L, 1996L, MAN, 4147L, 2006L, 2010L, HEAD, 1029L, 102L),
        Arrays.stream(text.encoder().encode(QUESTION).get(0).longs()).limit(11).boxed().toList());
    List<Datapoint> pool =
        List.of(
            point("p0", "Is it raining?", 0),
            point("p1", "What colour is the car?", 1),
            point("p2", "Where is the head of the table?", -1),
            point("p3", "Is the man smiling?", 0));
    VectorModality v = VectorModality.of("v", 1);
    try (EncodedModel model =
            new EncodedModel(List.of(text, v), idsAdapter(), "logits", OutputKind.LOGITS, null);
        Dime dime =
            Dime.builder()
                .modality(text)
                .modality(v)
                .model(model)
                .referencePool(pool)
                .estimator(Estimators.exact(4))
                .samples(300)
                .seed(7)
                .build()) {
      ClassExplanation c = dime.explain(point("x", QUESTION, 3), Targets.classes("0")).forClass(0);
      ModalityExplanation q = c.modality("q");
      assertEquals("man@12", q.featureNames().get(3));
      assertEquals("head@31", q.featureNames().get(7));
      double[] uc = q.fit("UC").orElseThrow().weights();
      double[] mi = q.fit("MI").orElseThrow().weights();
      assertEquals(3, argMaxAbs(uc), "UC: 'man' acts alone; weights " + Arrays.toString(uc));
      assertEquals(7, argMaxAbs(mi), "MI: 'head' acts with v; weights " + Arrays.toString(mi));
    }
  }
}
