package io.dime.cli;

import io.dime.api.ElementType;
import io.dime.cli.PipelineSkeleton.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output part of a guessed pipeline: an output of class scores ([batch] or [batch, classes]),
 * preferring a name with "logit", with its kind; or, for outputs of other shapes, targets: a
 * sequence score for step-wise class scores [batch, steps, classes], the mean of a dense map
 * [batch, 1, H, W], the cosine similarity of two embeddings [batch, dim] named like embeddings.
 */
final class OutputGuess {
  String output;
  String outputComment;
  String outputKind;
  String outputKindComment;
  int classes;

  /** Whether the chosen output leaves its class count open ([batch, ?]): classNames must say it. */
  boolean open;

  final List<Map<String, Object>> targets = new ArrayList<>();
  final List<String> targetComments = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  /** The class labels the model declares for the chosen output, or null. */
  List<String> labels;

  /**
   * @param labels the class labels the model declares, by output name ({@link
   *     io.dime.spi.ModelAdapter#outputLabels()})
   */
  static OutputGuess of(List<Tensor> outputs, Map<String, List<String>> labels) {
    OutputGuess g = new OutputGuess();
    if (outputs.isEmpty()) {
      g.notes.add("the model has no output the adapter can read");
    } else if (!g.similarity(outputs)) {
      g.classes(outputs);
      List<String> declared = g.output == null ? null : labels.get(g.output);
      if (declared != null && declared.size() == g.classes) {
        g.labels = declared;
      }
    }
    return g;
  }

  /** Two embeddings of one size named like embeddings: their cosine similarity. */
  private boolean similarity(List<Tensor> outputs) {
    List<Tensor> emb = new ArrayList<>();
    for (Tensor t : outputs) {
      String n = t.name().toLowerCase(Locale.ROOT);
      boolean named =
          n.contains("emb") || n.contains("feat") || n.contains("proj") || n.contains("vec");
      if (t.type() == ElementType.FLOAT32 && t.rank() == 2 && t.dim(1) > 1 && named) {
        emb.add(t);
      }
    }
    if (emb.size() != 2 || emb.get(0).dim(1) != emb.get(1).dim(1)) {
      return false;
    }
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", "similarity");
    t.put("similarity", "cosine");
    t.put("outputs", List.of(emb.get(0).name(), emb.get(1).name()));
    add(
        t,
        "guess: two embeddings "
            + emb.get(0).shapeText()
            + " named like a two-tower model's; their cosine similarity (dot for a dot-product"
            + " model)");
    return true;
  }

  private void add(Map<String, Object> target, String comment) {
    targets.add(target);
    targetComments.add(comment);
  }

  private void classes(List<Tensor> outputs) {
    List<Tensor> fit = new ArrayList<>();
    for (Tensor t : outputs) {
      if (t.type() == ElementType.FLOAT32 && flatClasses(t) > 0) {
        fit.add(t);
      }
    }
    Tensor chosen = null;
    for (Tensor t : fit) {
      if (t.name().toLowerCase(Locale.ROOT).contains("logit")) {
        chosen = t;
        break;
      }
    }
    if (chosen == null && !fit.isEmpty()) {
      chosen = fit.get(0);
    }
    if (chosen == null) {
      chosen = openClasses(outputs);
      if (chosen != null) {
        output = chosen.name();
        outputComment =
            "guess: " + chosen.shapeText() + " holds class scores of a count it leaves open";
        open = true;
        outputKind = "logits";
        outputKindComment = "guess; probabilities if the model ends in a softmax";
        notes.add(
            "output '"
                + chosen.name()
                + "' does not fix its class count: list the classes in classNames, one name per"
                + " output value in order");
        return;
      }
    }
    if (chosen == null) {
      for (Tensor t : outputs) {
        mapOrSequence(t);
      }
      if (targets.isEmpty()) {
        nothingToExplain(outputs);
      }
      return;
    }
    output = chosen.name();
    outputComment =
        outputs.size() == 1
            ? null
            : "guess, of "
                + outputs.stream().map(Tensor::name).toList()
                + (chosen.name().toLowerCase(Locale.ROOT).contains("logit")
                    ? ": named like logits"
                    : ": the first of shape [batch, classes]");
    classes = (int) flatClasses(chosen);
    String lower = chosen.name().toLowerCase(Locale.ROOT);
    if (lower.contains("prob") || lower.contains("softmax")) {
      outputKind = "probabilities";
      outputKindComment = "guess: named like probabilities (explained as log-probabilities)";
    } else if (classes > 1) {
      outputKind = "logits";
      outputKindComment =
          "guess: " + classes + " values per row; probabilities if the model ends in a softmax";
    } else {
      outputKind = "regression";
      outputKindComment = "guess: one value per row";
    }
  }

  /**
   * No output is a score DIME explains as it is: names an integer one ([batch] INT64, a predicted
   * class) as integers, else says that no shape fits.
   */
  private void nothingToExplain(List<Tensor> outputs) {
    Tensor integers = null;
    for (Tensor t : outputs) {
      if (integers == null && t.type() == ElementType.INT64 && flatClasses(t) > 0) {
        integers = t;
      }
    }
    output = (integers != null ? integers : outputs.get(0)).name();
    outputComment =
        integers != null
            ? "output '"
                + integers.name()
                + "' ("
                + integers.typeText()
                + " "
                + integers.shapeText()
                + ") holds integers, a predicted class perhaps, and DIME explains scores: export"
                + " the model's scores too (a classifier's probabilities or logits) and explain"
                + " them, or set outputKind: regression if the integers are amounts (a count)"
            : "no output has a shape DIME knows how to explain ([batch], [batch, classes], [batch,"
                + " steps, classes], a map [batch, channels, H, W]): add targets by hand";
    notes.add(outputComment);
  }

  /** The first (or the first named like logits) float output [batch, ?], or null. */
  private static Tensor openClasses(List<Tensor> outputs) {
    Tensor first = null;
    for (Tensor t : outputs) {
      int unknown = 0;
      boolean other = false;
      for (int i = 1; i < t.rank(); i++) {
        unknown += t.dim(i) < 1 ? 1 : 0;
        other |= t.dim(i) > 1;
      }
      if (t.type() == ElementType.FLOAT32 && unknown == 1 && !other) {
        if (t.name().toLowerCase(Locale.ROOT).contains("logit")) {
          return t;
        }
        first = first == null ? t : first;
      }
    }
    return first;
  }

  /**
   * The values per row of an output DIME explains as it is: [batch], [batch, classes], or either
   * with further dimensions of size 1 ([batch, 1, classes]); -1 for any other shape.
   */
  static long flatClasses(Tensor t) {
    long count = 1;
    int wide = 0;
    for (int i = 1; i < t.rank(); i++) {
      if (t.dim(i) < 1) {
        return -1;
      }
      if (t.dim(i) > 1) {
        wide++;
        count = t.dim(i);
      }
    }
    return wide <= 1 && t.rank() >= 1 ? count : -1;
  }

  /** A target for a sequence output or a dense map, if t is one. */
  private void mapOrSequence(Tensor t) {
    if (t.type() != ElementType.FLOAT32) {
      return;
    }
    String lower = t.name().toLowerCase(Locale.ROOT);
    boolean probs = lower.contains("prob") || lower.contains("softmax");
    if (t.rank() == 3 && t.dim(2) > 1) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", "sequence");
      m.put("output", t.name());
      m.put("sequence", "ctc");
      m.put("blank", 0);
      m.put("steps", probs ? "probabilities" : "logits");
      add(
          m,
          "guess: "
              + t.shapeText()
              + " holds class scores per step; explains the log-probability of the sequence that"
              + " greedy CTC decoding (blank 0) reads at each point; sequence: greedy for a model"
              + " without CTC; steps: "
              + (probs
                  ? "probabilities (named like a softmax)"
                  : "logits (no softmax in the name)"));
    } else if (t.rank() == 4 && t.dim(1) > 0) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", "mean-" + t.name());
      m.put("output", t.name());
      m.put("select", List.of("0"));
      m.put("reduce", "mean");
      add(
          m,
          "guess: "
              + t.shapeText()
              + " is a map; explains the mean of channel 0 over the whole map (select rows and"
              + " columns, e.g. [0, \"40:80\", \"100:300\"], for a region)");
    }
  }

  /** Adds the output part to a pipeline map. */
  void putInto(Map<String, Object> p) {
    if (output != null) {
      p.put("output", output);
    }
    if (outputKind != null) {
      p.put("outputKind", outputKind);
    }
    if (!targets.isEmpty()) {
      p.put("targets", targets);
    }
    if (open) {
      p.put("classNames", List.of());
    } else if (labels != null) {
      p.put("classNames", labels);
    }
  }

  /** Every guess, as sentences. */
  void comments(List<String> out) {
    if (outputComment != null) {
      out.add("output = " + output + ": " + outputComment);
    }
    if (outputKindComment != null) {
      out.add("outputKind = " + outputKind + ": " + outputKindComment);
    }
    for (int i = 0; i < targets.size(); i++) {
      out.add("target " + targets.get(i).get("name") + ": " + targetComments.get(i));
    }
  }

  /** The output part as YAML lines. */
  void yaml(StringBuilder sb) {
    if (output != null) {
      YamlLines.line(sb, "output: " + YamlLines.scalar(output), outputComment);
    }
    if (outputKind != null) {
      YamlLines.line(sb, "outputKind: " + outputKind, outputKindComment);
    }
    if (!targets.isEmpty()) {
      sb.append("targets:\n");
      for (int i = 0; i < targets.size(); i++) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : targets.get(i).entrySet()) {
          parts.add(e.getKey() + ": " + YamlLines.scalar(e.getValue()));
        }
        YamlLines.line(sb, "  - {" + String.join(", ", parts) + "}", targetComments.get(i));
      }
    }
    if (open) {
      YamlLines.line(
          sb,
          "classNames: []",
          "TODO: the model does not fix its class count; one name per output value, in order");
    }
    if (labels != null) {
      List<String> quoted = labels.stream().map(YamlLines::scalar).toList();
      YamlLines.line(
          sb, "classNames: [" + String.join(", ", quoted) + "]", "the model's own class labels");
    } else if (classes > 1) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < Math.min(classes, 4); i++) {
        names.add("\"" + i + "\"");
      }
      sb.append("# classNames: [")
          .append(String.join(", ", names))
          .append(classes > 4 ? ", ..." : "")
          .append("]  # optional: one name per output value (")
          .append(classes)
          .append(")\n");
    }
  }
}
