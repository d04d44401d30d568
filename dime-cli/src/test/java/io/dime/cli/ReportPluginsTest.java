package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime report} runs plugin code only from the folders given on its own command line: the
 * plugin folders a run's {@code job.json} names are data (a run folder may come from someone else),
 * named in a warning when not given, and never loaded by themselves.
 */
class ReportPluginsTest {
  @Test
  void pluginFoldersOfJobJsonAreLoadedOnlyWhenGiven(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    Path plugins = Files.createDirectories(out.resolve(".p"));
    try (OutputStream os = Files.newOutputStream(plugins.resolve("poc.jar"));
        JarOutputStream jar = new JarOutputStream(os)) {
      jar.putNextEntry(new JarEntry("META-INF/services/io.dime.spi.DimePlugin"));
      jar.write(JobJsonPlugin.class.getName().getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    Path jobFile = out.resolve(JobFile.NAME);
    ObjectNode job = (ObjectNode) Json.mapper().readTree(jobFile.toFile());
    job.putArray("plugins").add(plugins.toString());
    Files.writeString(jobFile, job.toString());
    JobJsonPlugin.MADE.set(0);

    String[] r = InspectModelCommandTest.run("report", out.toString());
    assertEquals(0, JobJsonPlugin.MADE.get(), "no code of job.json's plugin folder ran");
    assertEquals("1", r[0], r[2]);
    assertTrue(
        r[2].contains("job.json names plugin folders not given with --plugins, so not loaded"),
        r[2]);
    assertTrue(r[2].contains(plugins.toString()), r[2]);
    assertTrue(Files.exists(out.resolve(ExplainCommand.REPORT)), "drawn without them");

    // given on the command line (another spelling of the same folder), they are loaded
    Path spelled = out.resolve("x").resolve("..").resolve(".p");
    Files.createDirectories(out.resolve("x"));
    r = InspectModelCommandTest.run("report", out.toString(), "--plugins", spelled.toString());
    assertEquals("0", r[0], r[2]);
    assertFalse(r[2].contains("not loaded"), r[2]);
    assertTrue(JobJsonPlugin.MADE.get() > 0, "the plugin given with --plugins is loaded");

    String help = InspectModelCommandTest.run("report", "--help")[1].replaceAll("\\s+", " ");
    assertTrue(help.contains("never from the plugin folders job.json names"), help);
  }
}
