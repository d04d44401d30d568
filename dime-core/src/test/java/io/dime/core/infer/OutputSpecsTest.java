package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which output shapes are explained as they are: [batch], [batch, classes], and either with further
 * dimensions of size 1 (a Keras model's [batch, 1, classes]), whose values lie row by row in the
 * same order; anything else needs pipeline targets.
 */
class OutputSpecsTest {
  private static int count(long... shape) {
    return OutputSpecs.outputCount(new TensorSpec("out", ElementType.FLOAT32, shape), null);
  }

  @Test
  void classesAreTheOneDimensionAboveOne() {
    assertEquals(1, count(-1));
    assertEquals(1, count(-1, 1));
    assertEquals(3, count(-1, 3));
    assertEquals(3, count(-1, 1, 3));
    assertEquals(3, count(-1, 3, 1));
    assertEquals(1, count(-1, 1, 1));
    assertEquals(5, count(-1, 1, 5, 1, 1));
    assertEquals(4, count(8, 4), "a fixed batch is still the batch");
  }

  @Test
  void otherShapesNeedTargets() {
    for (long[] shape :
        new long[][] {{-1, 2, 3}, {-1, 4, -1}, {-1, -1, -1}, {-1, 4, 1, 2}, {-1, 3, 48, 48}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> count(shape));
      assertTrue(
          e.getMessage().contains("found " + TensorSpec.shapeText(shape) + " (select and reduce"),
          e.getMessage());
      assertTrue(e.getMessage().contains("other dimensions of size 1 aside"), e.getMessage());
      assertTrue(e.getMessage().contains("pipeline targets"), e.getMessage());
    }
  }

  /**
   * An unnamed class dimension ([batch, ?]) takes its count from the pipeline's class names;
   * without them the message says to list them.
   */
  @Test
  void anUnknownClassCountComesFromTheClassNames() {
    TensorSpec open = new TensorSpec("out", ElementType.FLOAT32, new long[] {-1, -1});
    assertEquals(3, OutputSpecs.outputCount(open, List.of("cat", "dog", "bird")));
    TensorSpec keras = new TensorSpec("out", ElementType.FLOAT32, new long[] {-1, 1, -1});
    assertEquals(2, OutputSpecs.outputCount(keras, List.of("no", "yes")));
    for (List<String> none : Arrays.asList(null, List.<String>of())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> OutputSpecs.outputCount(open, none));
      assertTrue(
          e.getMessage().contains("does not fix its class count, so list the classes"),
          e.getMessage());
    }
    TensorSpec two = new TensorSpec("out", ElementType.FLOAT32, new long[] {-1, 3, -1});
    assertThrows(IllegalArgumentException.class, () -> OutputSpecs.outputCount(two, List.of("a")));
  }

  /**
   * An integer output ([batch] INT64: a classifier's predicted label, as scikit-learn exports it
   * beside its probabilities) is not a score: explaining it as a number decomposes a class index.
   * It is refused naming the float outputs to explain instead, unless outputKind regression says
   * the integers are amounts.
   */
  @Test
  void anIntegerOutputIsRefusedUnlessDeclaredARegression() {
    TensorSpec label = new TensorSpec("label", ElementType.INT64, new long[] {-1});
    io.dime.spi.ModelSignature sig =
        new io.dime.spi.ModelSignature(
            List.of(new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 6})),
            List.of(
                label, new TensorSpec("probabilities", ElementType.FLOAT32, new long[] {-1, 3})));
    for (io.dime.api.OutputKind kind :
        Arrays.asList(null, io.dime.api.OutputKind.AUTO, io.dime.api.OutputKind.LOGITS)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> OutputSpecs.checkScores(sig, label, kind));
      assertEquals(
          "output 'label' (INT64 [?]) holds integers, as a classifier's predicted class does, and a"
              + " class index is not a score to decompose: explain the scores it is taken from"
              + " (the model's float outputs: 'probabilities' [?, 3]) with output: NAME, or set"
              + " outputKind: regression if the integers are amounts (a count)",
          e.getMessage());
    }
    OutputSpecs.checkScores(sig, label, io.dime.api.OutputKind.REGRESSION);
    OutputSpecs.checkScores(sig, sig.outputs().get(1), null);
  }

  /** More or fewer class names than classes: the message named neither classNames nor the fix. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "a,b,c|2|classNames lists 3 names, but output 'out' has 2 classes; give one name per"
            + " class, in the output's order",
        "a|2|classNames lists 1 name, but output 'out' has 2 classes",
        "a,b|1|classNames lists 2 names, but output 'out' has 1 class;"
      })
  void classNamesOfAnotherCountAreRefusedNamingTheSetting(
      String names, int classes, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OutputSpecs.outputNames(List.of(names.split(",")), classes, "out"));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
