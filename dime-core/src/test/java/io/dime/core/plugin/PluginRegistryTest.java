package io.dime.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.modality.VectorModalityFactory;
import io.dime.spi.DimePlugin;
import io.dime.spi.ModalityFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {
  @Test
  void serviceLoaderFindsTheCorePlugin() {
    PluginRegistry r = PluginRegistry.load(getClass().getClassLoader());
    assertTrue(r.modalities().containsKey("vector"), r.describe());
    assertTrue(r.surrogates().containsKey("lime"), r.describe());
    assertEquals("core", r.pluginOf(r.modality("vector")).name());
  }

  @Test
  void unknownNameListsTheAvailableOnes() {
    PluginRegistry r = PluginRegistry.of(List.of(new CorePlugin()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.modality("vectr"));
    assertEquals("no modality 'vectr'; available: [table, vector]", e.getMessage());
  }

  @Test
  void duplicateFactoryNamesFailNamingBothPlugins() {
    DimePlugin other =
        new DimePlugin() {
          @Override
          public String name() {
            return "other";
          }

          @Override
          public List<ModalityFactory> modalities() {
            return List.of(new VectorModalityFactory());
          }
        };
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> PluginRegistry.of(List.of(new CorePlugin(), other)));
    assertTrue(e.getMessage().contains("modality 'vector'"), e.getMessage());
    assertTrue(e.getMessage().contains("'core'"), e.getMessage());
    assertTrue(e.getMessage().contains("'other'"), e.getMessage());
  }

  @Test
  void badPluginNamesAreRejected() {
    DimePlugin bad = () -> "Bad-Name";
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> PluginRegistry.of(List.of(bad)));
    assertTrue(e.getMessage().contains("lower_snake_case"), e.getMessage());
  }
}
