package io.dime.examples.poly;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.testkit.ModelAdapterContract;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The poly adapter against {@code dime-testkit}'s model adapter contract, which checks discovery,
 * the signature, batches, row independence, thread safety, input and output validation, closing,
 * opening a missing file, an unknown setting and provenance. The model is {@code
 * src/test/resources/model.properties}: inputs {@code a} [batch, 3] and {@code b} [batch, 2].
 * {@link PolyModelAdapterConcurrencyContractTest} runs it all again with the one setting given.
 */
class PolyModelAdapterContractTest extends ModelAdapterContract {
  @Override
  protected ModelAdapterFactory factory() {
    return new PolyModelAdapterFactory();
  }

  @Override
  protected String modelLocation() {
    return Path.of("src/test/resources/model.properties").toAbsolutePath().toString();
  }

  @Override
  protected Map<String, Tensor> sampleInputs(int batch) {
    float[] a = new float[3 * batch];
    float[] b = new float[2 * batch];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) Math.sin(i + 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) Math.cos(i);
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put("a", Tensor.ofFloats("a", new long[] {batch, 3}, a));
    inputs.put("b", Tensor.ofFloats("b", new long[] {batch, 2}, b));
    return inputs;
  }

  @Override
  protected String expectedOutputName() {
    return "logits";
  }

  /**
   * The runtime version is the JVM's, under {@code java}. Named here because the contract's
   * fallback (any entry that looks like {@code 1.2.3}) would miss a release such as Java {@code
   * 21}, whose {@code java.version} has no dot.
   */
  @Override
  protected Optional<String> runtimeVersionKey() {
    return Optional.of("java");
  }
}
