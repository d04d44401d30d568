package io.dime.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Term;
import io.dime.spi.View;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Report inputs shaped like the real ones: explanation lines with the fields and fit keys that
 * {@code dime explain} writes (see dist's ExplainCommand and dime-api's Explanation), and views
 * with the data keys the image, text, timeseries and vector plugins emit.
 */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String HOSTILE_IMG = "<img src=x onerror=alert(1)>";
  static final String HOSTILE_SCRIPT = "<script>alert(2)</script>";

  private Fixtures() {}

  /** One explained class: index, name, reasons. */
  record ClassSpec(int index, String name, List<String> reasons) {}

  /**
   * An explanation line: every term of the k modalities in the decomposition (the values sum to the
   * output), per modality the fits of the terms containing it, UC, MI and LIME.
   */
  static ObjectNode explanation(
      String id,
      List<String> modalities,
      List<List<String>> featureNames,
      double[] outputs,
      String label,
      List<ClassSpec> classes,
      long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ObjectNode n = JSON.createObjectNode();
    n.put("schemaVersion", 1);
    n.put("id", id);
    ArrayNode mods = n.putArray("modalities");
    modalities.forEach(mods::add);
    ArrayNode out = n.putArray("outputs");
    for (double o : outputs) {
      out.add(o);
    }
    int predicted = 0;
    for (int i = 1; i < outputs.length; i++) {
      if (outputs[i] > outputs[predicted]) {
        predicted = i;
      }
    }
    n.put("predicted", predicted);
    if (label == null) {
      n.putNull("label");
    } else {
      n.put("label", label);
    }
    ArrayNode cls = n.putArray("classes");
    int k = modalities.size();
    for (ClassSpec c : classes) {
      ObjectNode cn = cls.addObject();
      cn.put("classIndex", c.index());
      cn.put("className", c.name());
      ArrayNode reasons = cn.putArray("reasons");
      c.reasons().forEach(reasons::add);
      double output = outputs[c.index()];
      cn.put("output", output);
      ArrayNode dec = cn.putArray("decomposition");
      List<Term> terms = Term.all(k);
      double rest = output;
      for (int t = 0; t < terms.size(); t++) {
        Term term = terms.get(t);
        double v = t == terms.size() - 1 ? rest : round(rng.nextDouble(-3, 3));
        rest -= v;
        ObjectNode e = dec.addObject();
        e.put("term", term.key());
        e.put("key", term.key());
        e.put("label", term.label(modalities));
        e.put("value", v);
        e.put("standardError", term.order() == 0 ? 0.0 : round(rng.nextDouble(0.1, 0.8)));
        e.put("replicateError", "NaN");
      }
      ArrayNode me = cn.putArray("modalities");
      for (int m = 0; m < k; m++) {
        ObjectNode mn = me.addObject();
        mn.put("modality", modalities.get(m));
        ArrayNode names = mn.putArray("featureNames");
        featureNames.get(m).forEach(names::add);
        ArrayNode fits = mn.putArray("fits");
        for (Term term : terms) {
          if (term.contains(m)) {
            fit(fits, term.key(), "TERM", term.key(), featureNames.get(m).size(), rng);
          }
        }
        fit(fits, "UC", "UC", null, featureNames.get(m).size(), rng);
        fit(fits, "MI", "MI", null, featureNames.get(m).size(), rng);
        fit(fits, "LIME", "MODEL", null, featureNames.get(m).size(), rng);
      }
    }
    ObjectNode passes = n.putObject("passes");
    passes.put("rows", 1207).put("cachedRows", 9).put("formula", 1216);
    n.putArray("warnings");
    ObjectNode prov = n.putObject("provenance");
    prov.put("seed", 0).put("samples", 100);
    n.putObject("timings").put("totalSeconds", 0.069).put("modelSeconds", 0.0064);
    return n;
  }

  private static void fit(
      ArrayNode fits, String key, String kind, String term, int d, SplittableRandom rng) {
    ObjectNode f = fits.addObject();
    f.put("key", key);
    f.put("kind", kind);
    if (term == null) {
      f.putNull("term");
    } else {
      f.put("term", term);
    }
    ArrayNode w = f.putArray("weights");
    ArrayNode se = f.putArray("standardErrors");
    double sum = 0;
    for (int i = 0; i < d; i++) {
      double v = round(rng.nextDouble(-2, 2));
      w.add(v);
      se.add(round(rng.nextDouble(0.05, 0.6)));
      sum += v;
    }
    double intercept = round(rng.nextDouble(-1, 1));
    f.put("intercept", intercept);
    f.put("score", round(rng.nextDouble(0.2, 0.99)));
    f.put("localPrediction", intercept + sum);
    f.putArray("replicateErrors");
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /** The weights of one fit in a line. */
  static double[] weights(JsonNode line, int classIndex, String modality, String key) {
    for (JsonNode c : line.path("classes")) {
      if (c.path("classIndex").asInt() != classIndex) {
        continue;
      }
      for (JsonNode m : c.path("modalities")) {
        if (!m.path("modality").asText().equals(modality)) {
          continue;
        }
        for (JsonNode f : m.path("fits")) {
          if (f.path("key").asText().equals(key)) {
            return Fmt.nums(f.path("weights"));
          }
        }
      }
    }
    throw new IllegalArgumentException("no fit " + classIndex + "/" + modality + "/" + key);
  }

  /** An error line as ExplainCommand.errorLine writes it. */
  static ObjectNode errorLine(String id, int line, String stage, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("schemaVersion", 1);
    if (id == null) {
      n.putNull("id");
    } else {
      n.put("id", id);
    }
    n.put("line", line);
    n.putObject("error").put("stage", stage).put("message", message);
    return n;
  }

  /** A summary.json like ExplainCommand's for two modalities. */
  static ObjectNode summary(List<String> modalities, List<String> classNames) {
    ObjectNode s = JSON.createObjectNode();
    s.put("schemaVersion", 1);
    s.putObject("counts")
        .put("records", 4)
        .put("explained", 3)
        .put("failed", 1)
        .put("resumed", 0)
        .put("poolSize", 3);
    s.putObject("passes")
        .put("totalRows", 6034)
        .put("cachedRows", 46)
        .put("formulaPerPoint", 1216)
        .put("preparationRows", 0);
    ObjectNode g = s.putObject("globalAnalysis");
    g.put("references", 3).put("rows", 27);
    ObjectNode shares = g.putObject("shares");
    int k = modalities.size();
    for (String c : classNames) {
      ObjectNode per = shares.putObject(c);
      List<Term> terms = Term.all(k);
      double left = 1;
      for (int i = 1; i < terms.size(); i++) {
        double v = i == terms.size() - 1 ? left : 0.8 * left / 2;
        left -= v;
        per.put(terms.get(i).key(), v);
      }
    }
    g.put("additiveShare", 0.8806);
    g.put("modelAccuracy", 0.75);
    g.put("additiveAccuracy", 0.625);
    ObjectNode dom = s.putObject("dominance");
    double v = 1.25;
    for (String row : List.of("UC", "MI", "LIME")) {
      ObjectNode r = dom.putObject(row);
      for (String m : modalities) {
        r.put(m, v);
        v += 0.5;
      }
    }
    s.putArray("notes")
        .add(
            "Expectations are taken over a reference pool of 3 datapoints (the data file);"
                + " pairing modalities makes inputs that may lie off the data manifold.");
    ObjectNode p = s.putObject("provenance");
    p.putObject("model")
        .put("adapter", "onnx")
        .put("sha256", "974db2c344383e1b5fad0d665f04c2adb2baf6d1dc4a2f72a00fecf46142fabd")
        .put("location", "/models/vqa.onnx");
    p.put("manifestSha256", "950022fecd1cc0c05d8488efd6c87372afe4e3af6a57cc48e9b3c21016887bce");
    p.putObject("estimator").put("estimator", "sampled").put("draws", 5);
    p.put("samples", 100).put("seed", 42).put("replicates", 1).put("maxInteractionOrder", k);
    p.putObject("surrogate").put("surrogate", "lime").put("alpha", 1.0);
    p.put("dimeVersion", "dev");
    s.putObject("timings").put("totalSeconds", 0.2431).put("explainSeconds", 0.1643);
    return s;
  }

  // ---- views, with the data keys the plugins emit ----

  /** An RGB PNG of w x h pixels, as ImageIO writes it. */
  static byte[] png(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, x < w / 2 ? 0x0072B2 : 0xE69F00);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** modality-image's Heatmap.render. */
  static View heatmap(byte[] png, int w, int h, String title) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("png", png);
    d.put("width", w);
    d.put("height", h);
    d.put("palette", "diverging");
    d.put("negativeColor", "#E69F00");
    d.put("positiveColor", "#0072B2");
    d.put("boundaryColor", "#808080");
    d.put("colorScale", "two_sided");
    d.put("scaleMin", -0.5);
    d.put("scaleMax", 1.25);
    d.put("topN", 0);
    d.put("coloredSegments", new int[] {0, 2});
    if (title != null) {
      d.put("title", title);
    }
    return new View("heatmap", d);
  }

  /**
   * modality-text's TextModality.view: the text split on single spaces, one feature per word with
   * begin/end offsets; weights colour the words.
   */
  static View tokens(String text, double[] weights, String title) {
    List<Map<String, Object>> features = new ArrayList<>();
    List<Map<String, Object>> top = new ArrayList<>();
    double max = 0;
    for (double w : weights) {
      max = Math.max(max, Math.abs(w));
    }
    int at = 0;
    String[] words = text.split(" +");
    for (int i = 0; i < words.length; i++) {
      int b = text.indexOf(words[i], at);
      int e = b + words[i].length();
      at = e;
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("index", i);
      f.put("name", words[i] + "@" + b);
      f.put("text", words[i]);
      f.put("begin", b);
      f.put("end", e);
      double w = i < weights.length ? weights[i] : 0;
      f.put("weight", w);
      f.put("colour", colour(w, max));
      f.put("top", i < 3 && w != 0);
      features.add(f);
      if (i < 3 && w != 0) {
        top.add(Map.of("index", i, "name", words[i] + "@" + b, "weight", w));
      }
    }
    Map<String, Object> d = new LinkedHashMap<>();
    if (title != null) {
      d.put("title", title);
    }
    d.put("text", text);
    d.put("unit", "word");
    d.put("palette", "diverging");
    d.put("positiveColour", "#0072B2");
    d.put("negativeColour", "#E69F00");
    d.put("neutralColour", "#FFFFFF");
    d.put("maxAbsWeight", max);
    d.put("topN", 10);
    d.put("features", features);
    d.put("top", top);
    return new View("tokens", d);
  }

  /** White blended towards blue (positive) or orange (negative), as the plugins do. */
  static String colour(double w, double max) {
    if (!(max > 0) || w == 0) {
      return "#FFFFFF";
    }
    int end = w > 0 ? 0x0072B2 : 0xE69F00;
    double t = Math.min(1, Math.abs(w) / max);
    int r = (int) Math.round(255 + ((end >> 16 & 0xff) - 255) * t);
    int g = (int) Math.round(255 + ((end >> 8 & 0xff) - 255) * t);
    int b = (int) Math.round(255 + ((end & 0xff) - 255) * t);
    return String.format(Locale.ROOT, "#%02X%02X%02X", r, g, b);
  }

  /** modality-timeseries' TimeseriesModality.view: one channel, windows of 4 samples. */
  static View series(double[] values, double[] weights, String title) {
    List<Map<String, Object>> channels = new ArrayList<>();
    Map<String, Object> ch = new LinkedHashMap<>();
    ch.put("name", "hr");
    ch.put("values", values);
    channels.add(ch);
    double scale = 0;
    for (double w : weights) {
      scale = Math.max(scale, Math.abs(w));
    }
    List<Map<String, Object>> bands = new ArrayList<>();
    for (int f = 0; f < weights.length; f++) {
      Map<String, Object> band = new LinkedHashMap<>();
      band.put("name", "hr[" + 4 * f + ":" + (4 * f + 4) + "]");
      band.put("channel", 0);
      band.put("start", 4 * f);
      band.put("end", 4 * f + 4);
      band.put("weight", weights[f]);
      band.put("colour", colour(weights[f], scale));
      band.put("shaded", true);
      bands.add(band);
    }
    Map<String, Object> palette = new LinkedHashMap<>();
    palette.put("name", "DIVERGING");
    palette.put("negative", "#E69F00");
    palette.put("neutral", "#FFFFFF");
    palette.put("positive", "#0072B2");
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("title", title == null ? "" : title);
    d.put("length", values.length);
    d.put("channels", channels);
    d.put("features", bands);
    d.put("palette", palette);
    d.put("scale", scale);
    d.put("top_n", 0);
    return new View("series", d);
  }

  /** dime-core's VectorModality.view ({@code name}) or the tabular example's ({@code field}). */
  static View bars(List<String> names, double[] values, double[] weights, boolean tabular) {
    List<Map<String, Object>> bars = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put(tabular ? "field" : "name", names.get(i));
      if (tabular) {
        b.put("type", "numeric");
      }
      b.put("value", values[i]);
      b.put("weight", weights[i]);
      if (tabular) {
        b.put("shown", true);
      }
      bars.add(b);
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("title", "weights");
    if (tabular) {
      d.put("palette", "diverging");
      d.put("top_n", 0);
    }
    d.put("bars", bars);
    return new View("bars", d);
  }
}
