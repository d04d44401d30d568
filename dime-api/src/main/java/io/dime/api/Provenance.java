package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where an explanation comes from: every parameter of the engine that made it, the plugins' and the
 * model's own settings, library versions, the reference pool's identity and, per explanation, a
 * hash of its reference draws. Every explanation and every run summary carries one; two runs with
 * equal provenance (but for {@link #referenceDraws()}) make identical explanations.
 *
 * <p>The JSON form is one flat object with sorted keys: the components by name, with {@link #run()}
 * entries at the top level beside them and {@code referenceDrawHash} for {@link #referenceDraws()}
 * (a string for one run, a list with replicates, absent when empty). {@link #toMap()} and {@link
 * #fromMap(Map)} convert between the two.
 *
 * @param dimeVersion the DIME version
 * @param libraries library name to version (EJML, Jackson, Guice, Java)
 * @param seed the run's seed
 * @param samples perturbation samples per modality
 * @param batchSize rows per model call
 * @param maxInteractionOrder the highest interaction order explained
 * @param replicates independent reruns averaged per explanation
 * @param faithfulness the faithfulness settings ({@code steps}, {@code heldOut}, {@code method})
 * @param estimator the estimator's parameters ({@code estimator}, {@code draws} or {@code
 *     references}, ...)
 * @param surrogate the surrogate's settings
 * @param modalities per modality name, its plugin's settings with {@code kind} and {@code sampling}
 * @param model the model's provenance (adapter, location, SHA-256, settings)
 * @param outputs what the model's outputs are: "logits", "log-probabilities", "regression"
 * @param scores "centered" or "raw"
 * @param pool the reference pool's identity
 * @param limits what one record may cost ({@code maxFeatures}, {@code maxPassesPerPoint}, {@code
 *     maxSecondsPerPoint}); empty in provenance written before limits existed
 * @param run what the caller records about the run (a job: manifest and pipeline SHA-256, plugin
 *     versions, pool selection, targets); plain JSON-like values
 * @param referenceDraws per replicate, a hash of the explanation's reference draws; empty for the
 *     engine's own provenance (not one explanation's)
 * @param inputDigest a digest of what the explained record was read from (its manifest line and the
 *     files it names), when a job read it from a source that knows; a resumed job explains a record
 *     again when it changed
 * @since 0.1
 */
public record Provenance(
    String dimeVersion,
    Map<String, String> libraries,
    long seed,
    int samples,
    int batchSize,
    int maxInteractionOrder,
    int replicates,
    Map<String, Object> faithfulness,
    Map<String, Object> estimator,
    Map<String, Object> surrogate,
    Map<String, Map<String, Object>> modalities,
    Map<String, Object> model,
    String outputs,
    String scores,
    PoolIdentity pool,
    Map<String, Object> limits,
    Map<String, Object> run,
    List<String> referenceDraws,
    Optional<String> inputDigest) {

  /** The JSON key of {@link #referenceDraws()}. */
  public static final String REFERENCE_DRAW_HASH = "referenceDrawHash";

  /** The JSON key of {@link #inputDigest()}. */
  public static final String INPUT_DIGEST = "inputDigest";

  private static final List<String> COMPONENTS =
      List.of(
          "dimeVersion",
          "libraries",
          "seed",
          "samples",
          "batchSize",
          "maxInteractionOrder",
          "replicates",
          "faithfulness",
          "estimator",
          "surrogate",
          "modalities",
          "model",
          "outputs",
          "scores",
          "pool",
          "limits",
          REFERENCE_DRAW_HASH,
          INPUT_DIGEST);

  /**
   * The reference pool's identity.
   *
   * @param size the number of pool datapoints
   * @param idsSha256 SHA-256 of the pool's ids, one per line
   * @since 0.1
   */
  public record PoolIdentity(int size, String idsSha256) {
    public PoolIdentity {
      requireNonNull(idsSha256, "idsSha256 is null");
    }
  }

  public Provenance {
    requireNonNull(dimeVersion, "dimeVersion is null");
    libraries = copy(libraries, "libraries");
    faithfulness = copy(faithfulness, "faithfulness");
    estimator = copy(estimator, "estimator");
    surrogate = copy(surrogate, "surrogate");
    Map<String, Map<String, Object>> mods = new LinkedHashMap<>();
    requireNonNull(modalities, "modalities is null").forEach((k, v) -> mods.put(k, copy(v, k)));
    modalities = Collections.unmodifiableMap(mods);
    model = copy(model, "model");
    requireNonNull(outputs, "outputs is null");
    requireNonNull(scores, "scores is null");
    requireNonNull(pool, "pool is null");
    limits = copy(limits, "limits");
    run = copy(run, "run");
    for (String key : run.keySet()) {
      if (COMPONENTS.contains(key)) {
        throw new IllegalArgumentException("run entry '" + key + "' would hide a component");
      }
    }
    referenceDraws = List.copyOf(referenceDraws);
    requireNonNull(inputDigest, "inputDigest is null");
  }

  private static <V> Map<String, V> copy(Map<String, V> m, String what) {
    requireNonNull(m, what + " is null");
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** This provenance with one more {@link #run()} entry (replacing one of the same key). */
  public Provenance withRun(String key, Object value) {
    Map<String, Object> r = new LinkedHashMap<>(run);
    r.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
    return with(r, referenceDraws, inputDigest);
  }

  /** This provenance with the given reference-draw hashes, one per replicate. */
  public Provenance withReferenceDraws(List<String> hashes) {
    return with(run, hashes, inputDigest);
  }

  /** This provenance with the digest of the explained record's inputs. */
  public Provenance withInputDigest(String digest) {
    return with(run, referenceDraws, Optional.of(requireNonNull(digest, "digest is null")));
  }

  private Provenance with(
      Map<String, Object> newRun, List<String> hashes, Optional<String> digest) {
    return new Provenance(
        dimeVersion,
        libraries,
        seed,
        samples,
        batchSize,
        maxInteractionOrder,
        replicates,
        faithfulness,
        estimator,
        surrogate,
        modalities,
        model,
        outputs,
        scores,
        pool,
        limits,
        newRun,
        hashes,
        digest);
  }

  /** The JSON form as a map with sorted keys (see the class comment). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new TreeMap<>(run);
    m.put("dimeVersion", dimeVersion);
    m.put("libraries", libraries);
    m.put("seed", seed);
    m.put("samples", samples);
    m.put("batchSize", batchSize);
    m.put("maxInteractionOrder", maxInteractionOrder);
    m.put("replicates", replicates);
    m.put("faithfulness", faithfulness);
    m.put("estimator", estimator);
    m.put("surrogate", surrogate);
    m.put("modalities", modalities);
    m.put("model", model);
    m.put("outputs", outputs);
    m.put("scores", scores);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("size", pool.size());
    p.put("idsSha256", pool.idsSha256());
    m.put("pool", p);
    if (!limits.isEmpty()) {
      m.put("limits", limits);
    }
    if (referenceDraws.size() == 1) {
      m.put(REFERENCE_DRAW_HASH, referenceDraws.get(0));
    } else if (!referenceDraws.isEmpty()) {
      m.put(REFERENCE_DRAW_HASH, referenceDraws);
    }
    inputDigest.ifPresent(d -> m.put(INPUT_DIGEST, d));
    return Collections.unmodifiableMap(m);
  }

  /**
   * Reads the JSON form (as plain Java: maps, lists, strings, numbers, booleans).
   *
   * @throws IllegalArgumentException naming the first missing or mistyped entry
   */
  @SuppressWarnings("unchecked")
  public static Provenance fromMap(Map<String, ?> m) {
    requireNonNull(m, "provenance is null");
    Map<String, Object> run = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          if (!COMPONENTS.contains(k)) {
            run.put(k, v);
          }
        });
    Map<String, Object> poolMap = entry(m, "pool", Map.class);
    Map<String, Map<String, Object>> mods = valuesOf(m, "modalities", Map.class);
    Object draws = m.get(REFERENCE_DRAW_HASH);
    List<String> hashes = new ArrayList<>();
    if (draws instanceof String s) {
      hashes.add(s);
    } else if (draws instanceof List<?> l) {
      l.forEach(h -> hashes.add(String.valueOf(h)));
    } else if (draws != null) {
      throw new IllegalArgumentException("provenance: '" + REFERENCE_DRAW_HASH + "' is not text");
    }
    return new Provenance(
        entry(m, "dimeVersion", String.class),
        valuesOf(m, "libraries", String.class),
        whole(m.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE),
        (int) whole(m.get("samples"), "samples", Integer.MIN_VALUE, Integer.MAX_VALUE),
        (int) whole(m.get("batchSize"), "batchSize", Integer.MIN_VALUE, Integer.MAX_VALUE),
        (int)
            whole(
                m.get("maxInteractionOrder"),
                "maxInteractionOrder",
                Integer.MIN_VALUE,
                Integer.MAX_VALUE),
        (int) whole(m.get("replicates"), "replicates", Integer.MIN_VALUE, Integer.MAX_VALUE),
        entry(m, "faithfulness", Map.class),
        entry(m, "estimator", Map.class),
        entry(m, "surrogate", Map.class),
        mods,
        entry(m, "model", Map.class),
        entry(m, "outputs", String.class),
        entry(m, "scores", String.class),
        new PoolIdentity(
            (int) whole(poolMap.get("size"), "pool.size", Integer.MIN_VALUE, Integer.MAX_VALUE),
            entry(poolMap, "idsSha256", String.class)),
        m.get("limits") == null ? Map.of() : entry(m, "limits", Map.class),
        run,
        hashes,
        m.get(INPUT_DIGEST) == null
            ? Optional.empty()
            : Optional.of(entry(m, INPUT_DIGEST, String.class)));
  }

  /**
   * A number that is whole and within [min, max], as a long: 3.0 reads as 3, while 3.7 or 1e12 for
   * an int is refused (narrowing would cut them to 3 and to the largest int, silently).
   */
  private static long whole(Object v, String key, long min, long max) {
    Number n = checked(v, key, Number.class);
    java.math.BigDecimal d;
    try {
      d = new java.math.BigDecimal(n.toString());
    } catch (NumberFormatException notFinite) { // NaN and the infinities
      d = null;
    }
    if (d == null
        || d.signum() != 0 && d.stripTrailingZeros().scale() > 0
        || d.compareTo(java.math.BigDecimal.valueOf(min)) < 0
        || d.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      throw new IllegalArgumentException(
          "provenance: '"
              + key
              + "' must be "
              + (max == Integer.MAX_VALUE ? "int" : "long")
              + ", found "
              + n);
    }
    return d.longValueExact();
  }

  private static <T> T entry(Map<String, ?> m, String key, Class<T> type) {
    return checked(m.get(key), key, type);
  }

  /** The map under {@code key}, each of whose values is checked to be a {@code type}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <V> Map valuesOf(Map<String, ?> m, String key, Class<V> type) {
    Map<String, ?> inner = entry(m, key, Map.class);
    inner.forEach((k, v) -> checked(v, key + "." + k, type));
    return inner;
  }

  private static <T> T checked(Object v, String key, Class<T> type) {
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException(
          "provenance: '"
              + key
              + "' must be "
              + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
              + ", found "
              + (v == null ? "nothing" : v.getClass().getSimpleName()));
    }
    return type.cast(v);
  }
}
