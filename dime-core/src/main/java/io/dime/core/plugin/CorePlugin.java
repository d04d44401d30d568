package io.dime.core.plugin;

import io.dime.core.modality.TableModalityFactory;
import io.dime.core.modality.VectorModalityFactory;
import io.dime.core.surrogate.KernelShap;
import io.dime.core.surrogate.Lime;
import io.dime.spi.DimePlugin;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;
import io.dime.spi.Surrogate;
import io.dime.spi.SurrogateFactory;
import java.util.List;

/**
 * The plugin built into core: the {@code vector} and {@code table} modalities and the {@code lime}
 * and {@code kernel_shap} surrogates.
 */
public final class CorePlugin implements DimePlugin {
  @Override
  public String name() {
    return "core";
  }

  @Override
  public List<ModalityFactory> modalities() {
    return List.of(new VectorModalityFactory(), new TableModalityFactory());
  }

  @Override
  public List<SurrogateFactory> surrogates() {
    return List.of(
        new SurrogateFactory() {
          @Override
          public String name() {
            return "lime";
          }

          @Override
          public Surrogate create(PluginConfig config) {
            return Lime.fromConfig(config);
          }
        },
        new SurrogateFactory() {
          @Override
          public String name() {
            return "kernel_shap";
          }

          @Override
          public Surrogate create(PluginConfig config) {
            return KernelShap.fromConfig(config);
          }
        });
  }
}
