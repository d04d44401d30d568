package io.dime.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.dime.api.Explanation;
import io.dime.api.TensorSpec;
import io.dime.core.io.Json;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import io.dime.spi.TextCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dime inspect-model}: a model's inputs and outputs (names, element types, shapes with
 * symbolic and dynamic dimensions shown as such) and a pipeline skeleton guessed from them (see
 * {@link PipelineSkeleton}). The text output is itself a pipeline file: the signature is in
 * comments at the top, so {@code dime inspect-model m.onnx > pipeline.yaml} gives a file to edit.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    name = "inspect-model",
    header = "Print a model's inputs and outputs, and a pipeline skeleton.",
    description =
        "Print a model's inputs and outputs (name, element type, shape; symbolic dimensions by"
            + " name, unnamed dynamic ones as ?) and a pipeline skeleton for dime explain"
            + " --pipeline, guessed from them: a modality per input, the output and its kind. The"
            + " text output is a valid pipeline file (the signature is in comments); lines"
            + " marked 'guess' or 'TODO' need checking.")
final class InspectModelCommand implements Callable<Integer> {
  private static final Pattern ADAPTER_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]*:.+");

  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description = {
        "an .onnx file, or NAME:LOCATION for a model adapter: onnx:model.onnx, or for a model"
            + " served over the Open Inference Protocol",
        "oip:http://HOST:PORT/v2/models/NAME"
      })
  String model;

  @picocli.CommandLine.Mixin PluginDirs plugins;

  @picocli.CommandLine.Mixin ModelCallOptions calls;

  @Option(
      names = "--json",
      description =
          "print the signature (and the skeleton as data) as JSON instead, with a schemaVersion"
              + " and the model's provenance")
  boolean json;

  @Override
  public Integer call() {
    PluginRegistry registry = plugins.load();
    String adapterName = "onnx";
    String location = model;
    // NAME:LOCATION when NAME is an adapter; else a path (which may hold a colon) for onnx.
    if (ADAPTER_PREFIX.matcher(model).matches()) {
      String prefix = model.substring(0, model.indexOf(':'));
      if (registry.modelAdapters().containsKey(prefix)) {
        adapterName = prefix;
        location = model.substring(prefix.length() + 1);
      } else if (!Files.exists(Path.of(model))) {
        registry.modelAdapter(prefix); // fails naming the available adapters
      }
    }
    ModelAdapterFactory factory = registry.modelAdapter(adapterName);
    ModelSignature sig;
    Map<String, String> modelTypes;
    Map<String, List<String>> labels;
    Map<String, Object> provenance;
    Map<String, Object> settings = calls.settings();
    try (ModelAdapter adapter = open(factory, location, settings)) {
      sig = adapter.signature();
      modelTypes = adapter.modelTypes();
      labels = adapter.outputLabels();
      provenance = new LinkedHashMap<>(adapter.provenance());
    }
    Map<String, String[]> names =
        adapterName.equals("onnx") ? onnxDimensionNames(location) : batchFirst(sig);
    List<PipelineSkeleton.Tensor> inputs = tensors(sig.inputs(), names, modelTypes);
    List<PipelineSkeleton.Tensor> outputs = tensors(sig.outputs(), names, modelTypes);
    PipelineSkeleton skeleton = PipelineSkeleton.guess(inputs, outputs, labels);
    String spec = adapterName + ":" + location;
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("schemaVersion", Explanation.SCHEMA_VERSION);
      out.put("model", spec);
      out.put("adapter", adapterName);
      out.put("provenance", provenance);
      out.put("inputs", describe(inputs));
      out.put("outputs", describe(outputs));
      out.put("pipeline", skeleton.asMap());
      out.put("guesses", skeleton.comments());
      System.out.println(Json.pretty(out));
    } else {
      System.out.print(text(spec, provenance, inputs, outputs, skeleton));
    }
    return 0;
  }

  private ModelAdapter open(
      ModelAdapterFactory factory, String location, Map<String, Object> settings) {
    try {
      return factory.open(location, new PluginConfig("model " + model, settings));
    } catch (IllegalArgumentException e) {
      throw ModelOptions.withOption(e, settings, calls::optionOf);
    }
  }

  /**
   * Names the first dimension of every tensor "batch" where it is dynamic: an adapter's signature
   * puts the batch dimension first (the other dynamic dimensions show as ?).
   */
  static Map<String, String[]> batchFirst(ModelSignature sig) {
    Map<String, String[]> out = new HashMap<>();
    List<TensorSpec> all = new ArrayList<>(sig.inputs());
    all.addAll(sig.outputs());
    for (TensorSpec t : all) {
      String[] names = new String[t.shape().length];
      if (names.length > 0 && t.shape()[0] < 0) {
        names[0] = "batch";
      }
      out.put(t.name(), names);
    }
    return out;
  }

  /** The signature in comments, then the skeleton: a pipeline file to edit. */
  static String text(
      String spec,
      Map<String, Object> provenance,
      List<PipelineSkeleton.Tensor> inputs,
      List<PipelineSkeleton.Tensor> outputs,
      PipelineSkeleton skeleton) {
    StringBuilder sb = new StringBuilder();
    sb.append("# model: ").append(spec).append('\n');
    Object sha = provenance.get("sha256");
    if (sha != null) {
      sb.append("# sha256: ").append(sha).append('\n');
    }
    if (provenance.get("externalData") instanceof Map<?, ?> files && !files.isEmpty()) {
      sb.append("# external data (keep these files next to the model): ")
          .append(String.join(", ", files.keySet().stream().map(String::valueOf).toList()))
          .append('\n');
    }
    int width = 4;
    for (PipelineSkeleton.Tensor t : inputs) {
      width = Math.max(width, t.name().length());
    }
    for (PipelineSkeleton.Tensor t : outputs) {
      width = Math.max(width, t.name().length());
    }
    sb.append("# inputs:\n");
    for (PipelineSkeleton.Tensor t : inputs) {
      sb.append(row(t, width));
    }
    sb.append("# outputs:\n");
    for (PipelineSkeleton.Tensor t : outputs) {
      sb.append(row(t, width));
    }
    sb.append("#\n");
    sb.append("# Pipeline skeleton for dime explain --pipeline: one modality per input, guessed\n");
    sb.append("# from its type, shape and name. Check every line marked 'guess' or 'TODO'.\n");
    sb.append(skeleton.yaml());
    return sb.toString();
  }

  private static String row(PipelineSkeleton.Tensor t, int width) {
    return String.format(
        Locale.ROOT,
        "#   %-" + width + "s  %-7s  %s%s%n",
        t.name(),
        t.typeText(),
        t.shapeText(),
        note(t));
  }

  /** What the adapter does with a tensor of another type than DIME's, or nothing. */
  private static String note(PipelineSkeleton.Tensor t) {
    if (t.modelType() == null) {
      return "";
    }
    if (TextCodes.isText(t.modelType())) {
      return "  (one text a row; DIME sends it packed as INT64 and the adapter unpacks it)";
    }
    if (t.modelType().startsWith("SEQUENCE(MAP(")) {
      return "  (a map from class label to score a row; DIME sees the scores in the labels' order)";
    }
    return "  (DIME sees " + t.type() + ": the adapter converts)";
  }

  private static List<Map<String, Object>> describe(List<PipelineSkeleton.Tensor> tensors) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PipelineSkeleton.Tensor t : tensors) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("type", t.typeText());
      if (t.modelType() != null) {
        m.put("fedAs", t.type().name());
      }
      m.put("shape", t.shape());
      m.put("dimensions", t.dimensions());
      out.add(m);
    }
    return out;
  }

  private static List<PipelineSkeleton.Tensor> tensors(
      List<TensorSpec> specs, Map<String, String[]> names, Map<String, String> modelTypes) {
    List<PipelineSkeleton.Tensor> out = new ArrayList<>();
    for (TensorSpec t : specs) {
      out.add(
          new PipelineSkeleton.Tensor(
              t.name(), t.type(), t.shape(), names.get(t.name()), modelTypes.get(t.name())));
    }
    return out;
  }

  /**
   * The symbolic dimension names of an ONNX model's inputs and outputs ("" for an unnamed
   * dimension), read with ONNX Runtime without optimisations; empty when they cannot be read (the
   * shapes then show every dynamic dimension as ?).
   */
  static Map<String, String[]> onnxDimensionNames(String location) {
    Map<String, String[]> out = new HashMap<>();
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        options.setIntraOpNumThreads(1);
        try (OrtSession session = env.createSession(location, options)) {
          List<NodeInfo> nodes = new ArrayList<>(session.getInputInfo().values());
          nodes.addAll(session.getOutputInfo().values());
          for (NodeInfo n : nodes) {
            if (n.getInfo() instanceof TensorInfo info) {
              out.put(n.getName(), info.getDimensionNames());
            }
          }
        }
      }
    } catch (OrtException | RuntimeException | LinkageError e) {
      return Map.of();
    }
    return out;
  }
}
