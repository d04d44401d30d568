package io.dime.examples.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.ColumnFit;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.ReadContext;
import io.dime.spi.SampleDesign;
import io.dime.spi.Surrogate;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The plugin as core sees it: found by core's registry next to the built-in plugin, and explained
 * by core's KernelSHAP through the SPI alone.
 */
class TabularThroughCoreTest {
  private static final Path HERE = Path.of(".");

  @Test
  void coreFindsThePluginNextToItsOwn() {
    PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
    assertEquals("tabular", registry.pluginOf(registry.modality("tabular")).name());
    assertTrue(
        registry.modalities().containsKey("vector"), registry.modalities().keySet().toString());
    assertTrue(registry.describe().contains("tabular"), registry.describe());
  }

  /**
   * For a model linear in the encoding, the Shapley value of each field is its weight times the
   * change in its encoding between the hidden and the shown value; KernelSHAP over all 16 masks
   * recovers it exactly.
   */
  @Test
  void kernelShapRecoversTheContributionOfEachField() {
    PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
    TabularModalityContractTest kit = new TabularModalityContractTest();
    @SuppressWarnings("unchecked")
    Modality<Record> m = (Modality<Record>) registry.modality("tabular").create("m", kit.config());
    Record x = m.read(TabularModalityContractTest.sample(), new ReadContext(HERE, "r1"));
    FeatureSet<Record> fs = m.featurize(x, kit.pool(), new SplittableRandom(7));

    // age, income, color one-hot [red, green, blue], plan one-hot [basic, plus, pro]
    float[] coef = {0.5f, 0.001f, 2, 0, 0, 0, 0, -1};
    Surrogate shap =
        registry
            .surrogate("kernel_shap")
            .create(PluginConfig.of("kernel_shap", "mode", "enumerate", "alpha", 0));
    SampleDesign design = shap.design(fs.size(), 64, m.samplingHints(), new SplittableRandom(7));
    assertEquals(16, design.samples());
    double[][] y = new double[design.samples()][1];
    for (int s = 0; s < y.length; s++) {
      float[] row = m.encoder().encode(fs.apply(design.masks()[s])).get(0).floats();
      for (int j = 0; j < row.length; j++) {
        y[s][0] += coef[j] * row[j];
      }
    }
    ColumnFit fit = shap.fit(design, y).get(0);
    // Hidden: age 40, income 2000, color green, plan basic; shown: 61.5, 4200, red, pro.
    assertArrayEquals(new double[] {0.5 * 21.5, 0.001f * 2200, 2, -1}, fit.weights(), 1e-4);
  }
}
