package io.dime.adapter.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.dime.api.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * ONNX Runtime's start: its environment, or one message saying why it could not start. ONNX Runtime
 * unpacks its native library into the temporary folder ({@code java.io.tmpdir}) and loads it from
 * there, so a temporary folder that is missing, full or mounted {@code noexec} stops it. It then
 * logged a stack trace of its own on standard error, and the error that reached the user named
 * neither the folder nor the cause ("java.lang.ExceptionInInitializerError", "no onnxruntime in
 * java.library.path"): its log is taken into the message instead.
 */
final class OnnxStart {
  private OnnxStart() {}

  /** The environment. */
  static OrtEnvironment environment() {
    Logger log = Logger.getLogger("ai.onnxruntime");
    List<String> logged = new ArrayList<>();
    Handler keep =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
              String m = new SimpleFormatter().formatMessage(r);
              logged.add(r.getThrown() == null ? m : m + ": " + reason(r.getThrown()));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    boolean parents = log.getUseParentHandlers();
    log.addHandler(keep);
    log.setUseParentHandlers(false);
    try {
      return OrtEnvironment.getEnvironment();
    } catch (RuntimeException | LinkageError e) {
      throw new ModelException(failure(e, logged), e);
    } finally {
      log.removeHandler(keep);
      log.setUseParentHandlers(parents);
    }
  }

  /**
   * The message of a start that failed with {@code e}, after ONNX Runtime logged {@code logged}.
   */
  static String failure(Throwable e, List<String> logged) {
    List<String> why = new ArrayList<>(logged);
    why.add(reason(e));
    return "ONNX Runtime could not start: its native library failed to load on "
        + System.getProperty("os.name")
        + "/"
        + System.getProperty("os.arch")
        + " ("
        + String.join("; ", why)
        + "). ONNX Runtime unpacks that library into the temporary folder "
        + System.getProperty("java.io.tmpdir")
        + " (java.io.tmpdir) and loads it from there: if that folder is missing, full or mounted"
        + " noexec, give another with -Djava.io.tmpdir=DIR in DIME_JAVA_OPTS";
  }

  /** The innermost cause's message, with its kind when it has none or only a path. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    if (root instanceof java.nio.file.NoSuchFileException) {
      return m + ": no such file or directory";
    }
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }
}
