package io.dime.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.DimePlugin;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDirectoryTest {
  @Test
  void jarsInAPluginDirectoryAreFound(@TempDir Path dir) throws Exception {
    try (OutputStream out = Files.newOutputStream(dir.resolve("dir-only.jar"));
        JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new JarEntry("META-INF/services/io.dime.spi.DimePlugin"));
      jar.write(DirOnlyPlugin.class.getName().getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    // a jar is loaded only from a directory the user names (no folder is scanned by default)
    assertFalse(names(PluginRegistry.load(List.of())).contains("dir_only"));
    PluginRegistry r = PluginRegistry.load(List.of(dir));
    assertTrue(names(r).contains("dir_only"), r.describe());
    assertTrue(names(r).contains("core"), r.describe());
  }

  @Test
  void missingPluginDirectoryIsAClearError(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PluginRegistry.load(List.of(dir.resolve("nope"))));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("does not exist"));
  }

  /**
   * A missing folder in DIME_PLUGIN_PATH was refused as "plugin directory nope does not exist",
   * which a user who gave no --plugins could not place, and a file given as a plugin directory was
   * said not to exist.
   */
  @Test
  void aBadPluginDirectorySaysWhereItWasNamedAndWhatItIs(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope");
    IllegalArgumentException env =
        assertThrows(
            IllegalArgumentException.class,
            () -> PluginRegistry.load(List.of(), dir + java.io.File.pathSeparator + missing));
    assertEquals(
        "plugin directory "
            + missing
            + " (named in DIME_PLUGIN_PATH="
            + dir
            + java.io.File.pathSeparator
            + missing
            + ") does not exist",
        env.getMessage());
    Path file = Files.writeString(dir.resolve("plugin.jar"), "x");
    IllegalArgumentException given =
        assertThrows(IllegalArgumentException.class, () -> PluginRegistry.load(List.of(file)));
    assertEquals(
        "plugin directory " + file + " is a file; give the folder that holds the plugin jars",
        given.getMessage());
  }

  private static List<String> names(PluginRegistry r) {
    return r.plugins().stream().map(DimePlugin::name).toList();
  }
}
