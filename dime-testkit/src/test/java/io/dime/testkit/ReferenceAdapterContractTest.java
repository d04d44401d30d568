package io.dime.testkit;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/** Runs the contract on a pure-Java adapter, so the kit is checked without a native runtime. */
class ReferenceAdapterContractTest extends ModelAdapterContract {
  @Override
  protected ModelAdapterFactory factory() {
    return new ReferencePlugin.LinearFactory();
  }

  @Override
  protected String modelLocation() {
    try {
      return Path.of(getClass().getResource("/linear.txt").toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected Map<String, Tensor> sampleInputs(int batch) {
    SplittableRandom random = new SplittableRandom(batch);
    float[] x = new float[batch * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return Map.of("x", Tensor.ofFloats("x", new long[] {batch, 3}, x));
  }

  @Override
  protected String expectedOutputName() {
    return "y";
  }
}
