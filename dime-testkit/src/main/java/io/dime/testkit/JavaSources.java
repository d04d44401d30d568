package io.dime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;

/**
 * Compiles Java source in a test, against the test's own class path: for tests that run the code
 * examples of a README or of Javadoc as a user would copy them, so that an example that no longer
 * compiles against the API fails its test.
 */
public final class JavaSources {
  private JavaSources() {}

  /**
   * Compiles class {@code name} from {@code source} under {@code dir} (its {@code src} and {@code
   * classes} folders); fails the test with the compiler's errors and the source when it does not
   * compile.
   *
   * @param what what the source is, for the failure ("the README example")
   * @return the folder of the compiled classes, for a class loader
   */
  public static Path compile(Path dir, String name, String source, String what) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path file = src.resolve(name + ".java");
    Files.writeString(file, source);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, errors, "-cp", cp, "-d", classes.toString(), file.toString());
    assertEquals(0, rc, what + " compiles:\n" + errors + "\n" + source);
    return classes;
  }
}
