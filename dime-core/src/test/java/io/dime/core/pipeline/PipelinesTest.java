package io.dime.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import io.dime.core.plugin.CorePlugin;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.DimePlugin;
import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party plugin whose factory fails to make its component is named: before, `dime explain`
 * printed only the exception's message ("dime: Cannot invoke "String.length()" because "s" is
 * null", "dime: For input string: "x17"") and nothing said which modality, model or plugin failed.
 */
class PipelinesTest {
  /** A plugin whose modality "acme" and model adapter "acme" make what {@code make} gives. */
  private static DimePlugin plugin(Supplier<Object> make) {
    return new DimePlugin() {
      @Override
      public String name() {
        return "acme";
      }

      @Override
      public List<ModalityFactory> modalities() {
        return List.of(
            new ModalityFactory() {
              @Override
              public String name() {
                return "acme";
              }

              @Override
              public Modality<?> create(String name, PluginConfig config) {
                return (Modality<?>) make.get();
              }
            });
      }

      @Override
      public List<ModelAdapterFactory> modelAdapters() {
        return List.of(
            new ModelAdapterFactory() {
              @Override
              public String name() {
                return "acme";
              }

              @Override
              public ModelAdapter open(String location, PluginConfig config) {
                return (ModelAdapter) make.get();
              }
            });
      }
    };
  }

  private static PluginRegistry registry(Supplier<Object> make) {
    return PluginRegistry.of(List.of(new CorePlugin(), plugin(make)));
  }

  private static Path pipeline(Path dir, String aPlugin) throws Exception {
    Path p = dir.resolve("pipeline.yaml");
    Files.writeString(
        p,
        "modalities:\n"
            + "  - name: a\n"
            + "    plugin: "
            + aPlugin
            + "\n"
            + "  - name: b\n"
            + "    plugin: vector\n"
            + "    settings: {length: 2, input: b}\n"
            + "output: y\n");
    return p;
  }

  private static IllegalArgumentException modalitiesFail(Path dir, Supplier<Object> make)
      throws Exception {
    Path p = pipeline(dir, "acme");
    return assertThrows(
        IllegalArgumentException.class,
        () -> Pipelines.modalities(registry(make), PipelineFile.read(p), p));
  }

  private static RuntimeException modelFails(Path dir, Supplier<Object> make) throws Exception {
    Path p = pipeline(dir, "vector");
    PipelineFile pipe = PipelineFile.read(p);
    PluginRegistry r = registry(make);
    List<Modality<?>> mods = Pipelines.modalities(r, pipe, p);
    return assertThrows(RuntimeException.class, () -> Pipelines.model(r, "acme:m.bin", pipe, mods));
  }

  @Test
  void aModalityFactoryThatThrowsIsNamedWithTheModalityThePluginAndTheFrame(@TempDir Path dir)
      throws Exception {
    IllegalArgumentException e =
        modalitiesFail(
            dir,
            () -> {
              throw new NullPointerException("s is null");
            });
    assertTrue(
        e.getMessage()
            .startsWith(
                "modality 'a' (plugin acme): creating it failed: java.lang.NullPointerException: s"
                    + " is null (at io.dime.core.pipeline.PipelinesTest"),
        e.getMessage());
  }

  @Test
  void aFactoryThatMakesNothingIsNamed(@TempDir Path dir) throws Exception {
    assertEquals(
        "modality 'a' (plugin acme): the plugin's factory made no modality (null)",
        modalitiesFail(dir, () -> null).getMessage());
    assertEquals(
        "model acme:m.bin (model adapter acme): the plugin's factory opened no model (null)",
        modelFails(dir, () -> null).getMessage());
  }

  @Test
  void aBadSettingThatDoesNotNameItsComponentGetsTheComponentFirst(@TempDir Path dir)
      throws Exception {
    assertEquals(
        "modality 'a' (plugin acme): For input string: \"x17\"",
        modalitiesFail(
                dir,
                () -> {
                  throw new NumberFormatException("For input string: \"x17\"");
                })
            .getMessage());
    assertEquals(
        "model acme:m.bin (model adapter acme): For input string: \"x17\"",
        modelFails(
                dir,
                () -> {
                  throw new NumberFormatException("For input string: \"x17\"");
                })
            .getMessage());
    // a message that names its component, as PluginConfig's own do, is left alone
    IllegalArgumentException named = new IllegalArgumentException("modality a: unknown 'x'");
    assertSame(
        named,
        modalitiesFail(
            dir,
            () -> {
              throw named;
            }));
  }

  @Test
  void aModelAdapterThatThrowsWhileOpeningIsNamedAndAModelExceptionKeepsItsWords(@TempDir Path dir)
      throws Exception {
    RuntimeException e =
        modelFails(
            dir,
            () -> {
              throw new IllegalStateException();
            });
    assertTrue(
        e.getMessage()
            .startsWith(
                "model acme:m.bin (model adapter acme): opening it failed:"
                    + " java.lang.IllegalStateException (at io.dime.core.pipeline.PipelinesTest"),
        e.getMessage());
    ModelException own = new ModelException("cannot open m.bin: no such file");
    assertSame(
        own,
        modelFails(
            dir,
            () -> {
              throw own;
            }));
  }
}
