package io.dime.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Provenance;
import io.dime.api.run.GlobalShares;
import io.dime.api.run.HiddenFeatureCheck;
import io.dime.api.run.HiddenModality;
import io.dime.api.run.PassTotals;
import io.dime.api.run.RecordCounts;
import io.dime.api.run.RunSummary;
import io.dime.api.run.RunTimings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The JSON form of {@link RunSummary} ({@code summary.json}), written and read here only. Keys are
 * sorted; a failed global analysis is {@code {"references", "error"}}, a failed hidden-feature
 * check {@code {"error"}}, and a hidden modality's classes are keyed by class name.
 */
public final class SummaryJson {
  private SummaryJson() {}

  /** The summary as indented JSON. */
  public static String write(RunSummary s) {
    return Json.pretty(toMap(s));
  }

  /** The summary as plain maps and lists, in its JSON form. */
  public static Map<String, Object> toMap(RunSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", s.schemaVersion());
    RecordCounts c = s.counts();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("records", c.records());
    counts.put("explained", c.explained());
    counts.put("failed", c.failed());
    counts.put("resumed", c.resumed());
    counts.put("explainedThisRun", c.explainedThisRun());
    counts.put("staleLines", c.staleLines());
    counts.put("poolSize", c.poolSize());
    counts.put("poolRecordsSkipped", c.poolRecordsSkipped());
    m.put("counts", counts);
    PassTotals p = s.passes();
    Map<String, Object> passes = new LinkedHashMap<>();
    passes.put("totalRows", p.totalRows());
    passes.put("cachedRows", p.cachedRows());
    passes.put("formulaPerPoint", p.formulaPerPoint());
    passes.put("preparationRows", p.preparationRows());
    passes.put("formulaTotal", p.formulaTotal());
    m.put("passes", passes);
    m.put("globalAnalysis", global(s.globalAnalysis()));
    HiddenFeatureCheck h = s.hiddenBaseline();
    if (h.error().isPresent()) {
      m.put("hiddenBaseline", Map.of("error", h.error().get()));
    } else {
      List<Map<String, Object>> mods = new ArrayList<>();
      h.modalities().forEach(x -> mods.add(hidden(x)));
      m.put("hiddenBaseline", mods);
    }
    m.put("dominance", s.dominance());
    m.put("notes", s.notes());
    m.put("provenance", s.provenance());
    RunTimings t = s.timings();
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("totalSeconds", t.totalSeconds());
    timings.put("explainSeconds", t.explainSeconds());
    timings.put(
        "secondsPerPoint",
        t.secondsPerPoint().isPresent() ? t.secondsPerPoint().getAsDouble() : null);
    timings.put(
        "latencySecondsPerPoint",
        t.latencySecondsPerPoint().isPresent() ? t.latencySecondsPerPoint().getAsDouble() : null);
    m.put("timings", timings);
    return m;
  }

  private static Map<String, Object> global(GlobalShares g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("references", g.references());
    if (g.error().isPresent()) {
      m.put("error", g.error().get());
      return m;
    }
    m.put("rows", g.rows());
    m.put("shares", g.shares());
    m.put("additiveShare", g.additiveShare());
    m.put("modelAccuracy", g.modelAccuracy());
    m.put("additiveAccuracy", g.additiveAccuracy());
    return m;
  }

  /** One modality of the hidden-feature check, classes by name. */
  public static Map<String, Object> hidden(HiddenModality h) {
    List<String> names = h.classNames();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modality", h.modality());
    m.put("records", h.records());
    m.put("rows", h.rows());
    int rise = h.largestRise();
    m.put("largestRise", names.get(rise));
    m.put("largestRiseMeanShift", h.meanShift()[rise]);
    int top = h.topHidden();
    if (top >= 0) {
      m.put("topAnswerHidden", names.get(top));
      m.put("topAnswerShareHidden", h.shareHidden()[top]);
      m.put("topAnswerShareOriginal", h.shareOriginal()[top]);
    }
    m.put("dominant", h.dominant());
    if (!Double.isNaN(h.shareUnchanged())) {
      m.put("shareUnchanged", h.shareUnchanged());
      m.put("inert", h.inert());
    }
    Map<String, Object> per = new LinkedHashMap<>();
    for (int c = 0; c < names.size(); c++) {
      Map<String, Object> pc = new LinkedHashMap<>();
      pc.put("meanShift", h.meanShift()[c]);
      if (h.shareHidden().length > 0) {
        pc.put("shareHidden", h.shareHidden()[c]);
        pc.put("shareOriginal", h.shareOriginal()[c]);
      }
      per.put(names.get(c), pc);
    }
    m.put("classes", per);
    return m;
  }

  /**
   * Reads {@code summary.json}.
   *
   * @throws IOException when it is not JSON or a field is missing or mistyped (the message names
   *     it)
   */
  public static RunSummary read(String json) throws IOException {
    JsonNode n = Json.mapper().readTree(json);
    if (n == null || !n.isObject()) {
      throw new IOException("summary: not a JSON object");
    }
    try {
      return fromTree(n);
    } catch (IllegalArgumentException e) {
      throw new IOException("summary: " + e.getMessage(), e);
    }
  }

  private static RunSummary fromTree(JsonNode n) throws IOException {
    JsonNode c = object(n, "counts");
    RecordCounts counts =
        new RecordCounts(
            integer(c, "records"),
            integer(c, "explained"),
            integer(c, "failed"),
            integer(c, "resumed"),
            integer(c, "explainedThisRun"),
            integer(c, "staleLines"),
            integer(c, "poolSize"),
            integer(c, "poolRecordsSkipped"));
    JsonNode p = object(n, "passes");
    PassTotals passes =
        new PassTotals(
            whole(p, "totalRows"),
            whole(p, "cachedRows"),
            whole(p, "formulaPerPoint"),
            whole(p, "preparationRows"),
            p.has("formulaTotal")
                ? whole(p, "formulaTotal")
                : whole(p, "totalRows") + whole(p, "cachedRows"));
    JsonNode t = object(n, "timings");
    JsonNode perPoint = t.get("secondsPerPoint");
    RunTimings timings =
        new RunTimings(
            real(t, "totalSeconds"),
            real(t, "explainSeconds"),
            perPoint == null || perPoint.isNull()
                ? OptionalDouble.empty()
                : OptionalDouble.of(real(t, "secondsPerPoint")),
            t.get("latencySecondsPerPoint") == null || t.get("latencySecondsPerPoint").isNull()
                ? OptionalDouble.empty()
                : OptionalDouble.of(real(t, "latencySecondsPerPoint")));
    return new RunSummary(
        integer(n, "schemaVersion"),
        counts,
        passes,
        global(object(n, "globalAnalysis")),
        hidden(n.get("hiddenBaseline")),
        Json.mapper().convertValue(object(n, "dominance"), DOUBLE_TABLE),
        Json.mapper().convertValue(n.path("notes"), STRINGS),
        Json.mapper().treeToValue(object(n, "provenance"), Provenance.class),
        timings);
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<
          Map<String, Map<String, Double>>>
      DOUBLE_TABLE = new com.fasterxml.jackson.core.type.TypeReference<>() {};
  private static final com.fasterxml.jackson.core.type.TypeReference<List<String>> STRINGS =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private static GlobalShares global(JsonNode g) {
    int references = integer(g, "references");
    if (g.hasNonNull("error")) {
      return GlobalShares.failed(references, g.get("error").asText());
    }
    return new GlobalShares(
        references,
        whole(g, "rows"),
        Json.mapper().convertValue(object(g, "shares"), DOUBLE_TABLE),
        real(g, "modelAccuracy"),
        real(g, "additiveAccuracy"),
        real(g, "additiveShare"),
        Optional.empty());
  }

  private static HiddenFeatureCheck hidden(JsonNode h) {
    if (h == null || h.isNull()) {
      throw new IllegalArgumentException("'hiddenBaseline' is missing");
    }
    if (h.isObject()) {
      return HiddenFeatureCheck.failed(h.path("error").asText(""));
    }
    List<HiddenModality> out = new ArrayList<>();
    for (JsonNode m : h) {
      JsonNode classes = object(m, "classes");
      List<String> names = new ArrayList<>();
      classes.fieldNames().forEachRemaining(names::add);
      boolean shares = names.stream().anyMatch(k -> classes.get(k).has("shareHidden"));
      double[] shift = new double[names.size()];
      double[] shareHidden = new double[shares ? names.size() : 0];
      double[] shareOriginal = new double[shares ? names.size() : 0];
      for (int i = 0; i < names.size(); i++) {
        JsonNode pc = classes.get(names.get(i));
        shift[i] = real(pc, "meanShift");
        if (shares) {
          shareHidden[i] = real(pc, "shareHidden");
          shareOriginal[i] = real(pc, "shareOriginal");
        }
      }
      out.add(
          new HiddenModality(
              text(m, "modality"),
              integer(m, "records"),
              names,
              shift,
              shareHidden,
              shareOriginal,
              m.has("shareUnchanged") ? real(m, "shareUnchanged") : Double.NaN));
    }
    return HiddenFeatureCheck.of(out);
  }

  private static JsonNode object(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException("'" + key + "' must be an object");
    }
    return v;
  }

  /**
   * A long, from a whole JSON number in range only: 3.7 or 1e30 would be cut to 3 or to the largest
   * long by narrowing, silently.
   */
  private static long whole(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(
          "'" + key + "' must be an integer" + (v == null ? "" : ", found " + v));
    }
    return v.longValue();
  }

  private static int integer(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + key + "' must be an integer");
    }
    return v.intValue();
  }

  /** A double, NaN and the infinities included (Jackson writes them as strings). */
  private static double real(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v != null && v.isNumber()) {
      return v.doubleValue();
    }
    if (v != null && v.isTextual()) {
      switch (v.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("'" + key + "' must be a number");
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("'" + key + "' must be a string");
    }
    return v.asText();
  }
}
