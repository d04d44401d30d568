package io.dime.report;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.PassCount;
import io.dime.api.Provenance;
import io.dime.api.RecordError;
import io.dime.api.SurrogateFit;
import io.dime.api.TargetKind;
import io.dime.api.Term;
import io.dime.api.TermValue;
import io.dime.api.Timings;
import io.dime.api.run.GlobalShares;
import io.dime.api.run.HiddenFeatureCheck;
import io.dime.api.run.PassTotals;
import io.dime.api.run.RecordCounts;
import io.dime.api.run.RunSummary;
import io.dime.api.run.RunTimings;
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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;

/**
 * Report inputs shaped like the real ones: explanations with the fit keys that {@code dime explain}
 * makes (every term containing the modality, UC, MI, LIME), record errors, a run summary, and views
 * with the data keys the image, text, timeseries and vector plugins emit.
 */
final class Fixtures {
  static final String HOSTILE_IMG = "<img src=x onerror=alert(1)>";
  static final String HOSTILE_SCRIPT = "<script>alert(2)</script>";

  private Fixtures() {}

  /** One explained class: index, name, reasons. */
  record ClassSpec(int index, String name, List<String> reasons) {}

  /**
   * An explanation: every term of the k modalities in the decomposition (the values sum to the
   * output), per modality the fits of the terms containing it, UC, MI and LIME.
   */
  static Explanation explanation(
      String id,
      List<String> modalities,
      List<List<String>> featureNames,
      double[] outputs,
      String label,
      List<ClassSpec> classes,
      long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int predicted = 0;
    for (int i = 1; i < outputs.length; i++) {
      if (outputs[i] > outputs[predicted]) {
        predicted = i;
      }
    }
    List<ClassExplanation> cls = new ArrayList<>();
    int k = modalities.size();
    for (ClassSpec c : classes) {
      double output = outputs[c.index()];
      List<TermValue> dec = new ArrayList<>();
      List<Term> terms = Term.all(k);
      double rest = output;
      for (int t = 0; t < terms.size(); t++) {
        Term term = terms.get(t);
        double v = t == terms.size() - 1 ? rest : round(rng.nextDouble(-3, 3));
        rest -= v;
        double se = term.order() == 0 ? 0.0 : round(rng.nextDouble(0.1, 0.8));
        dec.add(new TermValue(term, term.key(), term.label(modalities), v, se, Double.NaN));
      }
      List<ModalityExplanation> me = new ArrayList<>();
      for (int m = 0; m < k; m++) {
        int d = featureNames.get(m).size();
        List<SurrogateFit> fits = new ArrayList<>();
        for (Term term : terms) {
          if (term.contains(m)) {
            fits.add(fit(term.key(), TargetKind.TERM, Optional.of(term), d, rng));
          }
        }
        fits.add(fit("UC", TargetKind.UC, Optional.empty(), d, rng));
        fits.add(fit("MI", TargetKind.MI, Optional.empty(), d, rng));
        fits.add(fit("LIME", TargetKind.MODEL, Optional.empty(), d, rng));
        me.add(new ModalityExplanation(modalities.get(m), featureNames.get(m), fits));
      }
      cls.add(new ClassExplanation(c.index(), c.name(), c.reasons(), output, dec, me));
    }
    return new Explanation(
        Explanation.SCHEMA_VERSION,
        id,
        modalities,
        outputs,
        predicted,
        Optional.ofNullable(label),
        cls,
        new PassCount(1207, 9, 1216),
        List.of(),
        provenance(modalities, 0, "raw"),
        new Timings(0.069, 0.0064));
  }

  private static SurrogateFit fit(
      String key, TargetKind kind, Optional<Term> term, int d, SplittableRandom rng) {
    double[] w = new double[d];
    double[] se = new double[d];
    double sum = 0;
    for (int i = 0; i < d; i++) {
      w[i] = round(rng.nextDouble(-2, 2));
      se[i] = round(rng.nextDouble(0.05, 0.6));
      sum += w[i];
    }
    double intercept = round(rng.nextDouble(-1, 1));
    double score = round(rng.nextDouble(0.2, 0.99));
    return new SurrogateFit(
        key, kind, term, w, se, intercept, score, intercept + sum, new double[0], Optional.empty());
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /**
   * A provenance like the engine's, with open maps in the engine's (unsorted) order and numbers as
   * the engine boxes them.
   */
  static Provenance provenance(List<String> modalities, long seed, String scores) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("adapter", "onnx");
    model.put("sha256", "974db2c344383e1b5fad0d665f04c2adb2baf6d1dc4a2f72a00fecf46142fabd");
    model.put("location", "/models/vqa.onnx");
    Map<String, Object> estimator = new LinkedHashMap<>();
    estimator.put("estimator", "sampled");
    estimator.put("draws", 5);
    Map<String, Object> surrogate = new LinkedHashMap<>();
    surrogate.put("surrogate", "lime");
    surrogate.put("alpha", 1.0);
    Map<String, Map<String, Object>> mods = new LinkedHashMap<>();
    for (String m : modalities) {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("kind", m);
      settings.put("segments", 40L);
      settings.put("mean", new double[] {0, 0.5});
      settings.put("fill", new int[] {0, 0, 255});
      settings.put("scale", 0.003921569f);
      settings.put("sigma", Double.NaN);
      mods.put(m, settings);
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("manifestSha256", "950022fecd1cc0c05d8488efd6c87372afe4e3af6a57cc48e9b3c21016887bce");
    return new Provenance(
        "dev",
        Map.of("java", "17"),
        seed,
        100,
        256,
        Math.max(1, modalities.size()),
        1,
        Map.of("steps", 0),
        estimator,
        surrogate,
        mods,
        model,
        "logits",
        scores,
        new Provenance.PoolIdentity(
            3, "6fce44d645f3ef0102f218b50026ebebfbe509a2f9ecfc89b4d1fa8a35fe3785"),
        Map.of("maxFeatures", 4096),
        run,
        List.of(),
        Optional.empty());
  }

  /** The weights of one fit of an explanation. */
  static double[] weights(Explanation e, int classIndex, String modality, String key) {
    return e.forClass(classIndex)
        .modality(modality)
        .fit(key)
        .orElseThrow(() -> new IllegalArgumentException("no fit " + key))
        .weights();
  }

  /** An error of the record at a manifest line ({@code id} null: its id could not be read). */
  static RecordError errorLine(String id, int line, String stage, String message) {
    return new RecordError(Optional.ofNullable(id), line, stage, message);
  }

  // ---- changing one part of an explanation ----

  /** The explanation with class {@code c} (by position) changed. */
  static Explanation withClass(Explanation e, int c, UnaryOperator<ClassExplanation> f) {
    List<ClassExplanation> cls = new ArrayList<>(e.classes());
    cls.set(c, f.apply(cls.get(c)));
    return copy(e, cls, e.warnings(), e.provenance());
  }

  /** The explanation with other warnings and provenance. */
  static Explanation with(Explanation e, List<String> warnings, Provenance provenance) {
    return copy(e, e.classes(), warnings, provenance);
  }

  private static Explanation copy(
      Explanation e, List<ClassExplanation> cls, List<String> warnings, Provenance provenance) {
    return new Explanation(
        e.schemaVersion(),
        e.id(),
        e.modalities(),
        e.outputs(),
        e.predicted(),
        e.label(),
        cls,
        e.passes(),
        warnings,
        provenance,
        e.timings());
  }

  /** The class with decomposition entry {@code t} changed. */
  static ClassExplanation withTerm(ClassExplanation c, int t, UnaryOperator<TermValue> f) {
    List<TermValue> dec = new ArrayList<>(c.decomposition());
    dec.set(t, f.apply(dec.get(t)));
    return new ClassExplanation(
        c.classIndex(), c.className(), c.reasons(), c.output(), dec, c.modalities());
  }

  /** The class with fit {@code i} of modality {@code m} (by positions) changed. */
  static ClassExplanation withFit(ClassExplanation c, int m, int i, UnaryOperator<SurrogateFit> f) {
    List<ModalityExplanation> mods = new ArrayList<>(c.modalities());
    ModalityExplanation me = mods.get(m);
    List<SurrogateFit> fits = new ArrayList<>(me.fits());
    fits.set(i, f.apply(fits.get(i)));
    mods.set(m, new ModalityExplanation(me.modality(), me.featureNames(), fits));
    return new ClassExplanation(
        c.classIndex(), c.className(), c.reasons(), c.output(), c.decomposition(), mods);
  }

  /** A run summary like ExplainCommand's, without a hidden-feature check. */
  static RunSummary summary(List<String> modalities, List<String> classNames) {
    int k = modalities.size();
    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    for (String c : classNames) {
      Map<String, Double> per = new LinkedHashMap<>();
      List<Term> terms = Term.all(k);
      double left = 1;
      for (int i = 1; i < terms.size(); i++) {
        double v = i == terms.size() - 1 ? left : 0.8 * left / 2;
        left -= v;
        per.put(terms.get(i).key(), v);
      }
      shares.put(c, per);
    }
    Map<String, Map<String, Double>> dom = new LinkedHashMap<>();
    double v = 1.25;
    for (String row : List.of("UC", "MI", "LIME")) {
      Map<String, Double> r = new LinkedHashMap<>();
      for (String m : modalities) {
        r.put(m, v);
        v += 0.5;
      }
      dom.put(row, r);
    }
    return new RunSummary(
        1,
        new RecordCounts(4, 3, 1, 0, 4, 0, 3, 0),
        new PassTotals(6034, 46, 1216, 0),
        new GlobalShares(3, 27, shares, 0.75, 0.625, 0.8806, Optional.empty()),
        HiddenFeatureCheck.of(List.of()),
        dom,
        List.of(
            "Expectations are taken over a reference pool of 3 datapoints (the data file);"
                + " pairing modalities makes inputs that may lie off the data manifold."),
        provenance(modalities, 42, "raw"),
        new RunTimings(0.2431, 0.1643, OptionalDouble.empty()));
  }

  /** The summary with other parts. */
  static RunSummary with(
      RunSummary s,
      GlobalShares global,
      HiddenFeatureCheck hidden,
      List<String> notes,
      Provenance provenance) {
    return new RunSummary(
        s.schemaVersion(),
        s.counts(),
        s.passes(),
        global,
        hidden,
        s.dominance(),
        notes,
        provenance,
        s.timings());
  }

  // ---- records as they come back from JSON ----

  /**
   * An open value as JSON gives it back: maps with sorted keys, lists for arrays, integral numbers
   * as Integer where they fit, floats as the double of their decimal form, NaN and the infinities
   * as text.
   */
  static Object readBack(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), readBack(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(Fixtures::readBack).toList();
    }
    if (o instanceof double[] d) {
      return readBack(java.util.Arrays.stream(d).boxed().toList());
    }
    if (o instanceof int[] a) {
      return readBack(java.util.Arrays.stream(a).boxed().toList());
    }
    if (o instanceof Float f) {
      return readBack(Double.parseDouble(f.toString()));
    }
    if (o instanceof Double d && !Double.isFinite(d)) {
      return d.toString();
    }
    if (o instanceof Long l && l == l.intValue()) {
      return l.intValue();
    }
    return o;
  }

  /** A provenance after a JSON round trip. */
  @SuppressWarnings("unchecked")
  static Provenance readBack(Provenance p) {
    return Provenance.fromMap((Map<String, Object>) readBack(p.toMap()));
  }

  /** An explanation after a JSON round trip. */
  static Explanation readBack(Explanation e) {
    return with(e, e.warnings(), readBack(e.provenance()));
  }

  /** A summary after a JSON round trip: open maps sorted, hidden classes keyed (sorted) by name. */
  static RunSummary readBack(RunSummary s) {
    List<io.dime.api.run.HiddenModality> hidden = new ArrayList<>();
    for (io.dime.api.run.HiddenModality m : s.hiddenBaseline().modalities()) {
      List<String> names = new ArrayList<>(m.classNames());
      names.sort(null);
      double[] shift = new double[names.size()];
      double[] hid = new double[m.shareHidden().length];
      double[] orig = new double[m.shareOriginal().length];
      for (int i = 0; i < names.size(); i++) {
        int at = m.classNames().indexOf(names.get(i));
        shift[i] = m.meanShift()[at];
        if (hid.length > 0) {
          hid[i] = m.shareHidden()[at];
          orig[i] = m.shareOriginal()[at];
        }
      }
      hidden.add(
          new io.dime.api.run.HiddenModality(m.modality(), m.records(), names, shift, hid, orig));
    }
    GlobalShares g = s.globalAnalysis();
    return new RunSummary(
        s.schemaVersion(),
        s.counts(),
        s.passes(),
        new GlobalShares(
            g.references(),
            g.rows(),
            sortedTable(g.shares()),
            g.modelAccuracy(),
            g.additiveAccuracy(),
            g.additiveShare(),
            g.error()),
        new HiddenFeatureCheck(hidden, s.hiddenBaseline().error()),
        sortedTable(s.dominance()),
        s.notes(),
        readBack(s.provenance()),
        s.timings());
  }

  private static Map<String, Map<String, Double>> sortedTable(Map<String, Map<String, Double>> m) {
    Map<String, Map<String, Double>> out = new java.util.TreeMap<>();
    m.forEach((k, v) -> out.put(k, new java.util.TreeMap<>(v)));
    return out;
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
