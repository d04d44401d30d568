package io.dime.cli;

import io.dime.api.ElementType;
import io.dime.spi.TextCodes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline file (the {@link PipelineFile} format) guessed from a model's inputs and outputs, for
 * {@code dime inspect-model}. One modality per input, guessed from its element type, rank and name:
 *
 * <ul>
 *   <li>4-D float: {@code image}; {@code layout} nchw or nhwc from where the 3 (or 1) channels sit,
 *       {@code resize} [width, height] from fixed spatial dimensions;
 *   <li>STRING (one text a row): {@code text} with encoder {@code string} (the model tokenizes);
 *   <li>2-D int64 named like token ids ({@code input_ids}, {@code ids}, {@code tokens}, {@code
 *       question_ids}): {@code text}, with the tensor names; a 2-D int64 input named like an
 *       attention mask or token type ids is given to the text modality whose ids name shares the
 *       longest prefix with it ({@code attentionMaskName}, {@code tokenTypeIdsName});
 *   <li>3-D float: {@code timeseries} with {@code channels} and {@code length}: the channels are
 *       the shorter fixed dimension, so [batch, 2, 50] is {@code layout} nct and [batch, 50, 2] (or
 *       [batch, ?, 2]) ntc;
 *   <li>2-D float named like a signal ({@code series}, {@code signal}, {@code sensor}, {@code
 *       wave}, {@code ecg}, {@code eeg}, {@code audio}): {@code timeseries} with {@code layout} nt;
 *   <li>inputs of one value a row ([batch, 1] or [batch]: float, int64 not named like a text
 *       model's, string not named like free text), a table's columns as scikit-learn exports them:
 *       one {@code table} modality over them all ({@link TableGuess});
 *   <li>other 2-D float: {@code vector} with its {@code length}.
 * </ul>
 *
 * <p>The output is one that DIME can explain ([batch] or [batch, classes]), preferring a name with
 * "logit"; {@code outputKind} is logits for several values per row, regression for one,
 * probabilities for a name with "prob" or "softmax". Every guess carries a YAML comment; inputs no
 * rule matches are listed in comments (every model input must be filled by some modality).
 */
final class PipelineSkeleton {
  /**
   * A model tensor as inspected: DIME's element type, shape with -1 for dynamic dimensions,
   * dimension names, and the model's own element type where the adapter converts (else null).
   */
  record Tensor(String name, ElementType type, long[] shape, String[] dimNames, String modelType) {
    /** A tensor the model takes or gives as the type DIME reports. */
    Tensor(String name, ElementType type, long[] shape, String[] dimNames) {
      this(name, type, shape, dimNames, null);
    }

    /**
     * The model's own element type where the adapter converts ({@code UINT8} fed from DIME's
     * FLOAT32), else DIME's.
     */
    String typeText() {
      return modelType != null ? modelType : type.name();
    }

    /** The dimensions for people: a number, a symbolic name, or "?" for an unnamed dynamic one. */
    List<Object> dimensions() {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] >= 0) {
          out.add(shape[i]);
        } else if (dimNames != null
            && i < dimNames.length
            && dimNames[i] != null
            && !dimNames[i].isBlank()) {
          out.add(dimNames[i]);
        } else {
          out.add("?");
        }
      }
      return out;
    }

    String shapeText() {
      List<String> parts = new ArrayList<>();
      for (Object d : dimensions()) {
        parts.add(String.valueOf(d));
      }
      return "[" + String.join(", ", parts) + "]";
    }

    long dim(int i) {
      return shape[i];
    }

    int rank() {
      return shape.length;
    }
  }

  /** One setting and its comment (null for none). */
  record Setting(String key, Object value, String comment) {}

  /** One guessed modality. */
  static final class Guess {
    String name;
    final String plugin;
    final String comment;
    final List<Setting> settings = new ArrayList<>();
    final Tensor input;

    Guess(String plugin, Tensor input, String comment) {
      this.plugin = plugin;
      this.input = input;
      this.comment = comment;
    }

    /** A text modality fed as token ids (not as the text itself: encoder {@code string}). */
    boolean tokens() {
      return plugin.equals("text")
          && settings.stream()
              .noneMatch(x -> x.key().equals("encoder") && "string".equals(x.value()));
    }

    void set(String key, Object value, String comment) {
      settings.removeIf(s -> s.key().equals(key));
      settings.add(new Setting(key, value, comment));
    }
  }

  /** Input names that say a 2-D float input is a signal over time, not a feature vector. */
  private static final Pattern SIGNAL =
      Pattern.compile("series|signal|sensor|wave|ecg|eeg|emg|audio|accel|gyro");

  private static final Pattern IDS =
      Pattern.compile("^(.*?)[_.:/-]?(input_ids|token_ids|input_tokens|ids|tokens?)$");

  private final List<Guess> modalities = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private OutputGuess out = new OutputGuess();

  private PipelineSkeleton() {}

  /** Guesses a pipeline for a model with these inputs and outputs. */
  static PipelineSkeleton guess(List<Tensor> inputs, List<Tensor> outputs) {
    return guess(inputs, outputs, Map.of());
  }

  /**
   * Guesses a pipeline for a model with these inputs and outputs, and these class labels by output
   * name ({@link io.dime.spi.ModelAdapter#outputLabels()}).
   */
  static PipelineSkeleton guess(
      List<Tensor> inputs, List<Tensor> outputs, Map<String, List<String>> labels) {
    PipelineSkeleton s = new PipelineSkeleton();
    List<Tensor> masks = new ArrayList<>();
    List<Tensor> typeIds = new ArrayList<>();
    List<Tensor> positions = new ArrayList<>();
    List<Tensor> columns = new ArrayList<>();
    for (Tensor t : inputs) {
      String lower = t.name().toLowerCase(Locale.ROOT);
      if (TableGuess.isColumn(t)) {
        columns.add(t);
      } else if (TextCodes.isText(t.modelType())) {
        s.stringText(t);
      } else if (t.type() == ElementType.INT64 && t.rank() == 2) {
        if (lower.contains("mask")) {
          masks.add(t);
        } else if (lower.contains("token_type") || lower.contains("segment")) {
          typeIds.add(t);
        } else if (lower.contains("position")) {
          positions.add(t);
        } else if (IDS.matcher(lower).matches()) {
          s.text(t);
        } else {
          s.notes.add(
              "input '"
                  + t.name()
                  + "' ("
                  + t.typeText()
                  + " "
                  + t.shapeText()
                  + ") is not named like token ids; if it is, add a text modality with"
                  + " inputIdsName: "
                  + t.name());
        }
      } else if (t.type() == ElementType.FLOAT32 && t.rank() == 4) {
        s.image(t);
      } else if (t.type() == ElementType.FLOAT32 && t.rank() == 3) {
        s.timeseries(t);
      } else if (t.type() == ElementType.FLOAT32 && t.rank() == 2 && SIGNAL.matcher(lower).find()) {
        s.flatSeries(t);
      } else if (t.type() == ElementType.FLOAT32 && t.rank() == 2) {
        s.vector(t);
      } else {
        s.notes.add(
            "input '"
                + t.name()
                + "' ("
                + t.typeText()
                + " "
                + t.shapeText()
                + ") matches no built-in plugin; a plugin of yours must fill it");
      }
    }
    s.columns(columns);
    s.textCompanions(masks, typeIds);
    for (Tensor p : positions) {
      Guess g = s.textFor(p);
      if (g == null) {
        s.notes.add("input '" + p.name() + "' looks like position ids but no input ids");
      } else {
        g.set("positionIds", true, "0 to maxLength - 1 in every row");
        g.set("positionIdsName", p.name(), "guess: the 2-D int64 input named like position ids");
      }
    }
    s.uniqueNames();
    s.out = OutputGuess.of(outputs, labels);
    s.notes.addAll(s.out.notes);
    return s;
  }

  /**
   * Attention masks and token type ids (and, after them, position ids) join the text modality of
   * the ids they go with.
   */
  private void textCompanions(List<Tensor> masks, List<Tensor> typeIds) {
    PipelineSkeleton s = this;
    for (Tensor m : masks) {
      Guess g = s.textFor(m);
      if (g == null) {
        s.notes.add("input '" + m.name() + "' looks like an attention mask but no input ids");
      } else {
        g.set("attentionMask", true, null);
        g.set(
            "attentionMaskName",
            m.name(),
            "guess: the 2-D int64 input named like an attention mask");
      }
    }
    for (Tensor m : typeIds) {
      Guess g = s.textFor(m);
      if (g == null) {
        s.notes.add("input '" + m.name() + "' looks like token type ids but no input ids");
      } else {
        g.set("tokenTypeIds", true, "zeros, as for one sentence");
        g.set("tokenTypeIdsName", m.name(), null);
      }
    }
    for (Guess g : s.modalities) {
      if (g.tokens()) {
        boolean bertLike = !masks.isEmpty() || !typeIds.isEmpty();
        if (g.settings.stream().noneMatch(x -> x.key().equals("attentionMask"))) {
          g.set("attentionMask", false, "the model has no attention-mask input for it");
        }
        g.set(
            "encoder",
            bertLike ? "wordpiece" : "vocab",
            bertLike
                ? "guess: BERT-like inputs; 'tokenizer-json' for a tokenizer.json, 'vocab' for one"
                    + " id per word"
                : "guess: one id per word; 'wordpiece' for a BERT vocab.txt, 'tokenizer-json'"
                    + " for a Hugging Face tokenizer.json");
      }
    }
  }

  private void image(Tensor t) {
    long d1 = t.dim(1);
    long d3 = t.dim(3);
    boolean nchw;
    String why;
    if (d1 == 3 || d1 == 1) {
      nchw = true;
      why = "guess: the " + d1 + " channel(s) sit in dimension 1";
    } else if (d3 == 3 || d3 == 1) {
      nchw = false;
      why = "guess: the " + d3 + " channel(s) sit in dimension 3";
    } else {
      nchw = true;
      why = "guess: no dimension is 3 or 1, so the channels' place is unknown; nchw is the default";
    }
    boolean bytes = "UINT8".equals(t.modelType());
    Guess g =
        new Guess(
            "image",
            t,
            "guess: a 4-D "
                + (bytes ? "UINT8" : "float")
                + " input "
                + t.shapeText()
                + " is an image batch");
    g.name = t.name();
    g.set("input", t.name(), null);
    g.set("layout", nchw ? "nchw" : "nhwc", why);
    if (bytes) {
      g.set(
          "scale",
          1,
          "the model takes UINT8 pixels (0 to 255): scale 1 keeps them so; the default 1/255"
              + " would feed it 0 and 1");
    }
    long channels = nchw ? d1 : d3;
    long h = nchw ? t.dim(2) : t.dim(1);
    long w = nchw ? t.dim(3) : t.dim(2);
    if (h > 0 && w > 0) {
      g.set("resize", List.of(w, h), "[width, height]: the model's fixed spatial size");
    } else if (h > 0 || w > 0) {
      g.set(
          "resize",
          List.of(w > 0 ? w : 4 * h, h > 0 ? h : 4 * w),
          "[width, height]: the model fixes the "
              + (h > 0
                  ? "height (" + h + ") and takes any width"
                  : "width (" + w + ") and any height")
              + "; the other side, 4 times the fixed one, is a guess: set your images' size");
    } else {
      notes.add(
          "image '"
              + t.name()
              + "': the model takes any size; add resize: [width, height] (or centerCrop) to"
              + " bound the cost and match training");
    }
    if (channels == 1) {
      g.set("channelOrder", "grey", "guess: 1 channel, a grey-level image (each pixel's luma)");
    }
    if (bytes) {
      // mean 0 and std 1 (the defaults) keep the pixels as they are: nothing to set
    } else if (channels == 1) {
      notes.add(
          "image '"
              + t.name()
              + "': set scale, mean and std (one number each) as the model was trained (the"
              + " plugin's defaults give values in [0, 1])");
    } else {
      notes.add(
          "image '"
              + t.name()
              + "': set scale, mean and std as the model was trained (the plugin's defaults give"
              + " values in [0, 1]; ImageNet models usually want mean [0.485, 0.456, 0.406] and"
              + " std [0.229, 0.224, 0.225])");
    }
    modalities.add(g);
  }

  private void text(Tensor t) {
    Matcher m = IDS.matcher(t.name().toLowerCase(Locale.ROOT));
    String prefix = m.matches() ? t.name().substring(0, m.group(1).length()) : "";
    Guess g =
        new Guess(
            "text",
            t,
            "guess: a 2-D int64 input named like token ids " + t.shapeText() + " is a text");
    g.name = prefix.isEmpty() ? "text" : prefix;
    g.set("vocab", "vocab.txt", "TODO: the model's vocabulary, one token per line");
    long len = t.dim(1);
    if (len > 0) {
      g.set("maxLength", len, "the model's fixed sequence length");
    } else {
      g.set("maxLength", 128, "the model takes any length; 128 is the plugin's default");
    }
    g.set("inputIdsName", t.name(), null);
    modalities.add(g);
  }

  /** A STRING input: the model takes the text itself and tokenizes it (encoder {@code string}). */
  private void stringText(Tensor t) {
    Guess g =
        new Guess(
            "text",
            t,
            "guess: a STRING input takes the text itself (a scikit-learn text pipeline)");
    g.name = t.name();
    g.set("encoder", "string", "the model tokenizes the text; DIME hides CoreNLP words");
    g.set("inputName", t.name(), null);
    g.set(
        "maxLength",
        2048,
        "the longest text fed, in characters (a hidden word is removed from the text)");
    modalities.add(g);
  }

  /** The text modality whose ids input shares the longest prefix with {@code t}'s name. */
  private Guess textFor(Tensor t) {
    Guess best = null;
    int bestLen = -1;
    for (Guess g : modalities) {
      if (!g.tokens()) {
        continue;
      }
      String a = g.input.name();
      String b = t.name();
      int n = 0;
      while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
        n++;
      }
      if (n > bestLen) {
        best = g;
        bestLen = n;
      }
    }
    return best;
  }

  private void timeseries(Tensor t) {
    Guess g =
        new Guess(
            "timeseries",
            t,
            "guess: a 3-D float input " + t.shapeText() + " is a batch of multichannel series");
    g.name = t.name();
    g.set("input", t.name(), null);
    long a = t.dim(1);
    long b = t.dim(2);
    // the channels are the fixed and the shorter dimension: time is the long or variable one
    boolean timeMajor = (a > 0 && b > 0) ? a > b : (a < 0 && b > 0);
    long c = timeMajor ? b : a;
    long n = timeMajor ? a : b;
    if (timeMajor) {
      g.set(
          "layout",
          "ntc",
          "guess: dimension 2 ("
              + b
              + ") holds the channels, so the model takes [batch, length, channels], as recurrent"
              + " networks do; nct for [batch, channels, length], as 1-D convolutions take");
    }
    int channelDim = timeMajor ? 2 : 1;
    if (c > 0) {
      g.set("channels", c, "dimension " + channelDim);
    }
    if (n > 0) {
      g.set("length", n, "dimension " + (3 - channelDim));
    }
    if (a < 0 && b < 0) {
      notes.add(
          "series '"
              + t.name()
              + "': the model fixes neither dimension; the plugin encodes [channels, length]"
              + " (layout nct): set layout: ntc if the model takes [batch, length, channels]");
    }
    modalities.add(g);
  }

  /** A 2-D float input named like a signal: a series of one channel ([batch, length]). */
  private void flatSeries(Tensor t) {
    Guess g =
        new Guess(
            "timeseries",
            t,
            "guess: "
                + inputKind(t)
                + t.shapeText()
                + " named like a signal is a batch of one-channel series");
    g.name = t.name();
    g.set("input", t.name(), null);
    g.set("layout", "nt", "[batch, length]: one channel; plugin: vector explains each value");
    long n = t.dim(1);
    if (n > 0) {
      g.set("length", n, "dimension 1");
    }
    modalities.add(g);
  }

  /**
   * "a 2-D float input ", or, where the adapter converts, the model's own type: "a 2-D UINT8 input
   * (fed as floats) ".
   */
  private static String inputKind(Tensor t) {
    return t.modelType() == null
        ? "a 2-D float input "
        : "a 2-D " + t.modelType() + " input (fed as floats) ";
  }

  private void vector(Tensor t) {
    Guess g = new Guess("vector", t, "guess: " + inputKind(t) + t.shapeText() + " is a vector");
    g.name = t.name();
    long len = t.dim(1);
    g.set("length", Math.max(len, 0), len > 0 ? null : "the model takes any length (0)");
    g.set("input", t.name(), null);
    modalities.add(g);
  }

  /**
   * Inputs of one value a row ({@link TableGuess}): two or more are one table; one alone is what
   * its type says (a number: a vector of length 1; an integer or a category: a one-column table; a
   * string: a text).
   */
  private void columns(List<Tensor> columns) {
    if (columns.size() > 1) {
      modalities.add(TableGuess.table(columns));
    } else if (columns.size() == 1 && TextCodes.isText(columns.get(0).modelType())) {
      stringText(columns.get(0));
    } else if (columns.size() == 1 && columns.get(0).type() == ElementType.FLOAT32) {
      Tensor t = columns.get(0);
      Guess g = new Guess("vector", t, "guess: " + t.shapeText() + " is one number a row");
      g.name = t.name();
      g.set("length", 1, null);
      g.set("input", t.name(), null);
      modalities.add(g);
    } else if (columns.size() == 1) {
      modalities.add(TableGuess.table(columns));
    }
  }

  /** Modality names are manifest fields: unique, never "id" or "label". */
  private void uniqueNames() {
    Set<String> used = new HashSet<>();
    for (Guess g : modalities) {
      String n = g.name == null || g.name.isBlank() ? g.plugin : g.name;
      if (n.equals("id") || n.equals("label")) {
        n = n + "_input";
      }
      String base = n;
      for (int i = 2; !used.add(n); i++) {
        n = base + "_" + i;
      }
      g.name = n;
    }
  }

  /** The skeleton as plain maps and lists (what {@link PipelineFile#read} reads back). */
  Map<String, Object> asMap() {
    Map<String, Object> p = new LinkedHashMap<>();
    List<Object> mods = new ArrayList<>();
    for (Guess g : modalities) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", g.name);
      m.put("plugin", g.plugin);
      Map<String, Object> settings = new LinkedHashMap<>();
      for (Setting s : g.settings) {
        settings.put(s.key(), s.value());
      }
      m.put("settings", settings);
      mods.add(m);
    }
    p.put("modalities", mods);
    out.putInto(p);
    return p;
  }

  /** Every guess and note, as sentences. */
  List<String> comments() {
    List<String> out = new ArrayList<>();
    for (Guess g : modalities) {
      out.add(g.name + ": " + g.comment);
      for (Setting s : g.settings) {
        if (s.comment() != null) {
          out.add(g.name + "." + s.key() + " = " + s.value() + ": " + s.comment());
        }
      }
    }
    this.out.comments(out);
    out.addAll(notes);
    return out;
  }

  /** Notes on inputs and outputs that no guess covers. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  /** The skeleton as YAML, with every guess marked by a comment. */
  String yaml() {
    StringBuilder sb = new StringBuilder();
    if (modalities.isEmpty()) {
      sb.append("modalities: []  # no input matched a built-in plugin: add them by hand\n");
    } else {
      sb.append("modalities:\n");
    }
    for (Guess g : modalities) {
      YamlLines.line(sb, "  - name: " + YamlLines.scalar(g.name), null);
      YamlLines.line(sb, "    plugin: " + g.plugin, g.comment);
      sb.append("    settings:\n");
      for (Setting s : g.settings) {
        YamlLines.line(sb, "      " + s.key() + ": " + YamlLines.scalar(s.value()), s.comment());
      }
    }
    out.yaml(sb);
    if (!notes.isEmpty()) {
      sb.append("#\n# Check:\n");
      for (String n : notes) {
        sb.append("#   - ").append(n).append('\n');
      }
    }
    return sb.toString();
  }
}
