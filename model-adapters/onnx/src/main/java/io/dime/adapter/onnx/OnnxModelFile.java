package io.dime.adapter.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.dime.api.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a model file: the ONNX Runtime session, with what ONNX Runtime needs to load every model it
 * can run, and what identifies the model in the provenance (the SHA-256 of the file and of each
 * file of its external data).
 */
final class OnnxModelFile {
  private static final String CONSTANT_FOLDING = "ConstantFolding";

  /** What ONNX Runtime says when it folds constants of external data from the wrong folder. */
  private static final String FOLDING_BUG = "loaded from bytes escapes working directory";

  private static final System.Logger LOG = System.getLogger(OnnxModelAdapter.class.getName());

  /**
   * A session and the provenance entries that identify the model: {@code sha256}, {@code
   * externalData} when it has any, {@code disabledOptimizers} when it needed that.
   */
  record Opened(OrtSession session, Map<String, Object> identity) {}

  private OnnxModelFile() {}

  /**
   * @param named the model as error messages name it
   * @throws ModelException when the model cannot be read or loaded, saying why
   */
  static Opened open(OrtEnvironment env, Path path, String named, int threads) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("sha256", sha256(path, named));
    OrtSession session;
    try {
      try {
        session = createSession(env, path, threads, true);
      } catch (OrtException e) {
        if (!String.valueOf(e.getMessage()).contains(FOLDING_BUG)) {
          throw e;
        }
        // ONNX Runtime 1.28 folds constants read from external data with a path relative to the
        // process's working directory, not the model's folder: without folding it reads them right
        LOG.log(
            System.Logger.Level.WARNING,
            "model {0}: ONNX Runtime cannot fold constants kept in external data (it looks for"
                + " them in the working directory, as its error above says); the model runs"
                + " without constant folding",
            named);
        session = createSession(env, path, threads, false);
        identity.put("disabledOptimizers", List.of(CONSTANT_FOLDING));
      }
    } catch (OrtException e) {
      throw new ModelException(
          "ONNX Runtime cannot load model "
              + named
              + ": "
              + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ")
              + hint(e),
          e);
    }
    try {
      Map<String, String> external = externalData(path, named);
      if (!external.isEmpty()) {
        identity.put(OnnxModelAdapter.EXTERNAL_DATA, external);
      }
      return new Opened(session, Collections.unmodifiableMap(identity));
    } catch (RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    }
  }

  private static OrtSession createSession(
      OrtEnvironment env, Path path, int threads, boolean folding) throws OrtException {
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      // A failed run's error reaches the caller as the exception's message, which names the record:
      // ONNX Runtime's own log line of it (coloured, on standard error, under --quiet too) repeated
      // it without the record and broke a --log-json - stream, and its load-time warnings are
      // notes for the model's author. Only a fatal error is still logged.
      options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
      if (!folding) {
        options.addConfigEntry("optimization.disable_specified_optimizers", CONSTANT_FOLDING);
      }
      return env.createSession(path.toString(), options);
    }
  }

  /** ONNX Runtime's refusal of an opset it does not run: the model's opset and the newest. */
  private static final Pattern OPSET =
      Pattern.compile(
          "Opset (\\d+) is under development.*support for domain ai\\.onnx is till opset (\\d+)",
          Pattern.DOTALL);

  /** ONNX Runtime's refusal of an IR version it does not read: the model's and the newest. */
  private static final Pattern IR =
      Pattern.compile("Unsupported model IR version: (\\d+), max supported IR version: (\\d+)");

  /** What to do about a load failure whose cause is outside the model, or nothing. */
  private static String hint(OrtException e) {
    String m = String.valueOf(e.getMessage());
    Matcher opset = OPSET.matcher(m);
    if (opset.find()) {
      String newest = opset.group(2);
      return "; the model uses opset "
          + opset.group(1)
          + " of the standard operators (ai.onnx), newer than this ONNX Runtime runs (up to "
          + newest
          + "): export it again at opset "
          + newest
          + " or lower (PyTorch: torch.onnx.export(..., opset_version="
          + newest
          + ")), or convert it (onnx.version_converter.convert_version(model, "
          + newest
          + "))";
    }
    Matcher ir = IR.matcher(m);
    if (ir.find()) {
      return "; the model file's format (IR version "
          + ir.group(1)
          + ") is newer than this ONNX Runtime reads (up to "
          + ir.group(2)
          + "): save it with an onnx package that writes IR version "
          + ir.group(2)
          + " or lower";
    }
    if (m.contains("External data path")) {
      return "; the model keeps its weights in other files, which it names relative to its own"
          + " folder: copy them with the model file, keeping their names and places (ONNX Runtime"
          + " reads no file outside the model's folder)";
    }
    if (m.contains("construct locale")) {
      return "; the model's StringNormalizer names a locale this machine lacks: install it (Debian:"
          + " apt-get install locales, enable it in /etc/locale.gen, run locale-gen) or export the"
          + " model with locale=\"C\"";
    }
    return "";
  }

  /**
   * The SHA-256 of each file of the model's external data, by the location the model gives it. ONNX
   * Runtime has loaded the model, so the files exist and lie in the model's folder.
   */
  private static Map<String, String> externalData(Path path, String named) {
    List<String> locations;
    try {
      locations = ExternalData.locations(path);
    } catch (IOException e) {
      throw new ModelException("cannot read model " + named + ": " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot read which files of external data model {0} names ({1}); its provenance holds"
              + " the model file''s SHA-256 only",
          named,
          e.getMessage());
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String location : locations) {
      Path file = path.resolveSibling(location).normalize();
      out.put(location, sha256(file, "'" + file + "' (external data of model " + named + ")"));
    }
    return Collections.unmodifiableMap(out);
  }

  private static String sha256(Path path, String named) {
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int r; (r = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new ModelException("cannot read model " + named + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static void closeQuietly(OrtSession session, Exception failure) {
    try {
      session.close();
    } catch (OrtException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
