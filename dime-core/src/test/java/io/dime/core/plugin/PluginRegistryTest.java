package io.dime.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.modality.VectorModalityFactory;
import io.dime.spi.DimePlugin;
import io.dime.spi.ModalityFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /** A jar in {@code dir} holding only a services file that names {@code provider}. */
  private static Path servicesJar(Path dir, String name, String provider) throws Exception {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/io.dime.spi.DimePlugin"));
      out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /**
   * A plugin jar that ServiceLoader cannot load (a class name misspelt in its services file, a
   * constructor that fails) is named with the jar, the class and the reason; it was a
   * ServiceConfigurationError, an Error that passed every handler, so that `dime plugins` and `dime
   * explain` ended with a stack trace naming no jar (and exit 1, the code of failed records).
   */
  @Test
  void aPluginJarThatCannotBeLoadedIsNamed(@TempDir Path dir) throws Exception {
    Path jar = servicesJar(dir, "acme-typo.jar", "org.acme.AudoPlugin");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> PluginRegistry.load(List.of(dir)));
    assertTrue(
        e.getMessage().startsWith("a plugin cannot be loaded from " + jar.toUri().getPath()),
        e.getMessage());
    assertTrue(e.getMessage().contains("Provider org.acme.AudoPlugin not found"), e.getMessage());
    assertTrue(e.getMessage().contains("must name a public DimePlugin class"), e.getMessage());

    Files.delete(jar);
    Path throwing = servicesJar(dir, "acme-throws.jar", ThrowingPlugin.class.getName());
    e = assertThrows(IllegalStateException.class, () -> PluginRegistry.load(List.of(dir)));
    assertTrue(
        e.getMessage().startsWith("a plugin cannot be loaded from " + throwing.toUri().getPath()),
        e.getMessage());
    assertTrue(e.getMessage().contains("vocabulary.txt is missing from the jar"), e.getMessage());
  }
}
