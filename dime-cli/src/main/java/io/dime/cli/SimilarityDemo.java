package io.dime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.Term;
import io.dime.api.TermValue;
import io.dime.api.run.RunSummary;
import io.dime.api.run.SourceRecord;
import io.dime.core.io.Json;
import io.dime.core.io.SummaryJson;
import io.dime.core.job.JsonlManifest;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.Modality;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dime demo --similarity}'s figures: reads a run of the two-tower demo (its {@code
 * explanations.jsonl}, {@code summary.json} and manifest) and says how the cosine similarity of the
 * two towers splits into the bias, the image alone, the caption alone and the interaction, pair by
 * pair, and what share of it is interaction.
 *
 * <p>Two measures of that share: per pair, {@code |g12| / (|g1| + |g2| + |g12|)} from the value
 * decomposition at the pair (the bias g_E, the mean similarity over the pool's product of images
 * and captions, is left out: it is the same for every pair), averaged over the pairs; and over the
 * pool, the interaction's share of the similarity's variance on the global analysis's grid of pool
 * images and captions ({@code globalAnalysis.shares} of {@code summary.json}, shown in the report's
 * "Global variance shares").
 */
final class SimilarityDemo {
  /** The explained target of the demo's pipeline. */
  static final String TARGET = "match";

  /** The pipeline's modalities, in order. */
  static final String IMAGE = "image";

  static final String CAPTION = "caption";

  private SimilarityDemo() {}

  /**
   * One explained pair: its manifest fields, the value decomposition of its similarity, and where
   * its interaction sits: the caption word and the superpixel with the largest MI weight in
   * absolute value (the word with its sign, e.g. "+coat"; the superpixel as the quadrant of its
   * centroid with its sign, e.g. "+top left").
   */
  record Pair(
      String id,
      boolean match,
      String caption,
      double output,
      double bias,
      double image,
      double text,
      double interaction,
      String topWord,
      String topSuperpixel) {
    /** Whether the top MI word is positive and an item the caption names. */
    boolean wordOnItem() {
      return mentions(caption).keySet().stream().anyMatch(item -> topWord.equals("+" + item));
    }

    /** Whether the top MI superpixel is positive and lies in a quadrant the caption names. */
    boolean superpixelOnItem() {
      return mentions(caption).values().stream().anyMatch(q -> topSuperpixel.equals("+" + q));
    }

    /** |g12| / (|g1| + |g2| + |g12|); NaN when all three are 0. */
    double interactionShare() {
      double sum = Math.abs(image) + Math.abs(text) + Math.abs(interaction);
      return sum == 0 ? Double.NaN : Math.abs(interaction) / sum;
    }
  }

  /** The figures of a run: its pairs and the pool's variance share of the interaction. */
  record Figures(List<Pair> pairs, double varianceShare) {
    /** The mean over the pairs of {@link Pair#interactionShare()}. */
    double meanShare() {
      return pairs.stream().mapToDouble(Pair::interactionShare).average().orElse(Double.NaN);
    }

    /** The true pairs (the caption holds for the scene). */
    List<Pair> truePairs() {
      return pairs.stream().filter(Pair::match).toList();
    }

    double lowestShare() {
      return pairs.stream().mapToDouble(Pair::interactionShare).min().orElse(Double.NaN);
    }
  }

  /**
   * Reads the figures of a run.
   *
   * @param pipeline the run's pipeline (its image modality splits each scene into superpixels)
   * @param manifest the run's manifest (for each pair's caption and whether it is true)
   * @param explanations the run's {@code explanations.jsonl}
   * @param summary the run's {@code summary.json}
   * @throws IllegalStateException when a record failed or has no {@value #TARGET} explanation
   */
  static Figures read(Path pipeline, Path manifest, Path explanations, Path summary)
      throws IOException {
    Map<String, double[][]> centroids = centroids(pipeline, manifest);
    Map<String, JsonNode> records = new HashMap<>();
    for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonNode n = Json.mapper().readTree(line);
        records.put(n.path("id").asText(), n);
      }
    }
    List<Pair> pairs = new ArrayList<>();
    for (String line : Files.readAllLines(explanations, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      ExplainResult r = Json.readResult(line);
      if (!(r instanceof Explanation e)) {
        throw new IllegalStateException("a pair was not explained: " + line);
      }
      JsonNode rec = records.getOrDefault(e.id(), Json.mapper().createObjectNode());
      pairs.add(pair(e, rec, centroids.get(e.id())));
    }
    RunSummary s = SummaryJson.read(Files.readString(summary, StandardCharsets.UTF_8));
    Double share = s.globalAnalysis().shares().getOrDefault(TARGET, Map.of()).get("g12");
    return new Figures(pairs, share == null ? Double.NaN : share);
  }

  /**
   * Per record of the manifest, the centroids ({x, y, width, height} per superpixel: x[i], y[i] in
   * pixels) of the image's superpixels, as the pipeline's image modality splits it.
   */
  private static Map<String, double[][]> centroids(Path pipeline, Path manifest) {
    PipelineFile pipe = PipelineFile.read(pipeline);
    List<Modality<?>> modalities =
        Pipelines.modalities(PluginRegistry.load(List.of()), pipe, pipeline);
    Map<String, double[][]> out = new HashMap<>();
    for (SourceRecord r : JsonlManifest.readAll(manifest, modalities)) {
      if (r.datapoint().isEmpty()) {
        continue;
      }
      Datapoint dp = r.datapoint().get();
      Map<String, Object> layout = layout(modalities.get(0), dp.values().get(IMAGE));
      double w = ((Number) layout.get("width")).doubleValue();
      double h = ((Number) layout.get("height")).doubleValue();
      out.put(
          dp.id(),
          new double[][] {
            (double[]) layout.get("centroidX"), (double[]) layout.get("centroidY"), {w, h}
          });
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, Object> layout(Modality<V> m, Object value) {
    return m.featurize((V) value, null, null).layout();
  }

  private static Pair pair(Explanation e, JsonNode rec, double[][] centroids) {
    ClassExplanation c =
        e.classes().stream()
            .filter(x -> x.className().equals(TARGET))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "record '" + e.id() + "' has no explanation of '" + TARGET + "'"));
    return new Pair(
        e.id(),
        rec.path("match").asBoolean(),
        rec.path("caption").asText(""),
        c.output(),
        term(c, Term.EMPTY),
        term(c, Term.of(0)),
        term(c, Term.of(1)),
        term(c, Term.of(0, 1)),
        topWord(c),
        topSuperpixel(c, centroids));
  }

  private static double[] miWeights(ClassExplanation c, String modality) {
    return c.modalities().stream()
        .filter(m -> m.modality().equals(modality))
        .flatMap(m -> m.fits().stream())
        .filter(f -> f.key().equals("MI"))
        .findFirst()
        .map(f -> f.weights())
        .orElse(new double[0]);
  }

  /** Index of the largest |w|, or -1 for none. */
  private static int largest(double[] w) {
    int best = -1;
    for (int i = 0; i < w.length; i++) {
      if (best < 0 || Math.abs(w[i]) > Math.abs(w[best])) {
        best = i;
      }
    }
    return best;
  }

  private static String sign(double w) {
    return w >= 0 ? "+" : "-";
  }

  private static String topWord(ClassExplanation c) {
    double[] w = miWeights(c, CAPTION);
    int i = largest(w);
    if (i < 0) {
      return "";
    }
    String name =
        c.modalities().stream()
            .filter(m -> m.modality().equals(CAPTION))
            .findFirst()
            .orElseThrow()
            .featureNames()
            .get(i);
    int at = name.lastIndexOf('@');
    return sign(w[i]) + (at > 0 ? name.substring(0, at) : name);
  }

  private static String topSuperpixel(ClassExplanation c, double[][] centroids) {
    double[] w = miWeights(c, IMAGE);
    int i = largest(w);
    if (i < 0 || centroids == null || i >= centroids[0].length) {
      return "";
    }
    return sign(w[i])
        + quadrant(centroids[0][i], centroids[1][i], centroids[2][0], centroids[2][1]);
  }

  /** The scene quadrant ("top left", ...) of a point. */
  static String quadrant(double x, double y, double width, double height) {
    return (y < height / 2 ? "top" : "bottom") + " " + (x < width / 2 ? "left" : "right");
  }

  private static final java.util.regex.Pattern MENTION =
      java.util.regex.Pattern.compile("a (\\w+) in the ((?:top|bottom) (?:left|right))");

  /** The items a caption names, with their quadrants ("a coat in the top left": coat, top left). */
  static Map<String, String> mentions(String caption) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    java.util.regex.Matcher m = MENTION.matcher(caption);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static double term(ClassExplanation c, Term t) {
    for (TermValue v : c.decomposition()) {
      if (v.term().equals(t)) {
        return v.value();
      }
    }
    return Double.NaN;
  }

  /** Prints the pairs and the two shares. */
  static void print(Figures f, PrintStream out) {
    out.println(
        "Similarity = cosine(image_embedding, text_embedding) = bias + image alone + caption"
            + " alone + image x caption:");
    out.printf(
        Locale.ROOT,
        "  %-5s %-5s %7s %7s %7s %8s %9s %6s  %-10s %-14s %s%n",
        "pair",
        "true",
        "cosine",
        "bias",
        "image",
        "caption",
        "img x cap",
        "share",
        "MI word",
        "MI superpixel",
        "caption");
    for (Pair p : f.pairs()) {
      out.printf(
          Locale.ROOT,
          "  %-5s %-5s %7.3f %7.3f %7.3f %8.3f %9.3f %6.3f  %-10s %-14s %s%n",
          p.id(),
          p.match() ? "yes" : "no",
          p.output(),
          p.bias(),
          p.image(),
          p.text(),
          p.interaction(),
          p.interactionShare(),
          p.topWord(),
          p.topSuperpixel(),
          p.caption());
    }
    out.println(
        "  (MI word, MI superpixel: the caption word and the superpixel, by the quadrant of its"
            + " centre, with the largest image x caption weight, and its sign)");
    List<Pair> truePairs = f.truePairs();
    out.printf(
        Locale.ROOT,
        "On the %d true pairs, the top MI word is a named item for %d and the top MI superpixel"
            + " lies in a named item's quadrant for %d.%n",
        truePairs.size(),
        truePairs.stream().filter(Pair::wordOnItem).count(),
        truePairs.stream().filter(Pair::superpixelOnItem).count());
    out.printf(
        Locale.ROOT,
        "Share of the similarity that is interaction: %.3f, the mean over the %d pairs of"
            + " |image x caption| / (|image| + |caption| + |image x caption|) (lowest %.3f);%n",
        f.meanShare(),
        f.pairs().size(),
        f.lowestShare());
    out.printf(
        Locale.ROOT,
        "  %.3f of the similarity's variance over the pool's images x captions (summary.json,"
            + " globalAnalysis.shares.%s.g12; the report's global variance shares).%n",
        f.varianceShare(),
        TARGET);
  }
}
