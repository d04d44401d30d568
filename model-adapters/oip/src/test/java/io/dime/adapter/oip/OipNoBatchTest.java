package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dime.api.ModelException;
import org.junit.jupiter.api.Test;

/**
 * A served model without a batch dimension, as a model exported for one example is (inputs a [3]
 * and b [2]; or ab [5] -> y [2]), is refused when its metadata is read, saying that it has no batch
 * dimension in the ONNX adapter's words (OnnxNoBatchTest), rather than that its inputs have
 * different fixed batch sizes, or taken as a fixed batch of 5 scalars.
 */
class OipNoBatchTest {
  private static final String P = "model 'http://127.0.0.1:1/v2/models/m': ";

  private static JsonNode metadata(String inputs, String outputs) throws Exception {
    return new ObjectMapper()
        .readTree(
            "{\"name\": \"m\", \"inputs\": [" + inputs + "], \"outputs\": [" + outputs + "]}");
  }

  private static String tensor(String name, String shape) {
    return "{\"name\": \"" + name + "\", \"datatype\": \"FP32\", \"shape\": " + shape + "}";
  }

  @Test
  void inputsOfDifferentFixedFirstDimensionsSayTheModelHasNoBatchDimension() throws Exception {
    JsonNode m = metadata(tensor("a", "[3]") + ", " + tensor("b", "[2]"), tensor("y", "[2]"));
    ModelException e = assertThrows(ModelException.class, () -> OipSignature.read(m, P));
    assertEquals(
        P
            + "the model has no batch dimension: DIME feeds rows along the first dimension of"
            + " every input and output, and input 'a' [3] fixes it at 3 where input 'b' [2] fixes"
            + " it at 2. Export the model with a batch dimension first in every input and output"
            + " (and on Triton, give it a max_batch_size of 1 or more)",
        e.getMessage());
  }

  @Test
  void anOutputWhoseFirstDimensionIsNotTheInputsSaysTheModelHasNoBatchDimension() throws Exception {
    JsonNode m = metadata(tensor("ab", "[5]"), tensor("y", "[2]"));
    ModelException e = assertThrows(ModelException.class, () -> OipSignature.read(m, P));
    assertEquals(
        P
            + "the model has no batch dimension: DIME feeds rows along the first dimension of"
            + " every input and output, and input 'ab' [5] fixes it at 5 where output 'y' [2]"
            + " fixes it at 2. Export the model with a batch dimension first in every input and"
            + " output (and on Triton, give it a max_batch_size of 1 or more)",
        e.getMessage());
  }

  @Test
  void inputsThatShareAFixedBatchStillRead() throws Exception {
    JsonNode m =
        metadata(tensor("a", "[4, 3]") + ", " + tensor("b", "[4, 2]"), tensor("y", "[4, 2]"));
    assertEquals(4, OipSignature.read(m, P).fixedBatch);
    JsonNode dynamicOutput = metadata(tensor("a", "[4, 3]"), tensor("y", "[-1, 2]"));
    assertEquals(4, OipSignature.read(dynamicOutput, P).fixedBatch);
  }
}
