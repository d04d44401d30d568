package io.dime.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.DimePlugin;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract tests that every {@link ModalityFactory} and the {@link Modality} it creates must pass.
 * A modality plugin's test class extends this class, names the factory and supplies one valid
 * manifest field and a few bad ones; the inherited tests then check discovery, reading, features,
 * perturbation, encoding, views, input validation and provenance.
 *
 * <h2>What to override</h2>
 *
 * <ul>
 *   <li>{@link #pluginName()}: the {@link ModalityFactory#name() factory name} under test, e.g.
 *       {@code "vector"}. The contract finds the factory itself, through {@link ServiceLoader} and
 *       the test's class loader, so the plugin must be listed in {@code
 *       META-INF/services/io.dime.spi.DimePlugin}.
 *   <li>{@link #sampleField()}: a valid manifest field, as the JSON reader gives it: {@code
 *       String}, {@code Number}, {@code Boolean}, {@code List}, {@code Map}. It should not itself
 *       contain markup ({@code "</"}, {@code "<script"}), since views are checked for markup.
 *   <li>{@link #badFields()}: manifest fields the modality must reject, each keyed by a fragment
 *       its message must contain ({@code "not a number"}, {@code "empty"}, {@code "cannot read"}).
 *   <li>optionally {@link #config()} (default: empty settings), {@link #baseDirectory()} (default:
 *       a fresh temporary directory; return a resource folder for fields that name files), {@link
 *       #pool()} (default: empty), {@link #modalityName()} (default {@code "m"}), {@link
 *       #valuesEqual} (default: {@link Objects#deepEquals}), and the hooks below.
 * </ul>
 *
 * <h2>Hooks for modalities that need them</h2>
 *
 * <ul>
 *   <li>{@link #emptyMaskChangesValue()}: false when the sample value already equals its fully
 *       hidden version (then an empty mask cannot change it).
 *   <li>{@link #featureDiffersFromHidden(int)}: false for a feature whose hidden form equals its
 *       shown form in the sample (a segment already of the fill colour, say).
 *   <li>{@link #exactRoundTrip()}: false when the full mask gives back a value that is not equal to
 *       {@link FeatureSet#value()} but encodes to the same tensors (text joined back with single
 *       spaces, say). The default, true, is what the SPI asks for.
 *   <li>{@link #featureOwnership} and {@link #elements}: which feature owns each atomic element
 *       (pixel, character, vector entry) and the elements of a value. With ownership the contract
 *       checks that the features partition the elements; with elements too it checks that hiding a
 *       feature changes only the elements it owns.
 * </ul>
 *
 * <p>The modality, the sample value and its features are made lazily for each test (JUnit makes a
 * new instance of the class per test) and are available to subclasses through {@link #modality()},
 * {@link #value()} and {@link #features()}. Featurizing uses a {@link SplittableRandom} with a
 * fixed seed, and so do the random masks. Test methods are public so that a subclass may override
 * one, for example to disable it with {@code @Disabled("reason")} when a check truly does not
 * apply; a plugin that does so should say why.
 *
 * <h2>What the contract expects of a modality</h2>
 *
 * <ul>
 *   <li>Exactly one {@link DimePlugin} found by {@link ServiceLoader} offers a modality factory
 *       under {@link #pluginName()}; factory and plugin names are lower_snake; the created
 *       modality's {@link Modality#kind() kind} is the factory name and its {@link Modality#name()
 *       name} the name it was created with. An unknown setting is rejected with an {@link
 *       IllegalArgumentException} naming it.
 *   <li>{@link Modality#read} returns an instance of {@link Modality#valueType()}, the same value
 *       for the same field, and {@link Modality#check} accepts it; {@code check} rejects null and
 *       objects of another type with an {@link InputException} naming the record.
 *   <li>{@link Modality#featurize} gives at least one feature, one distinct non-blank name per
 *       feature, a {@link FeatureSet#value()} equal to the value it was given, and a {@link
 *       FeatureSet#layout()} of plain data.
 *   <li>{@link FeatureSet#apply}: the full mask gives back the value; the empty mask changes it;
 *       revealing any single feature changes the empty mask's value; flipping any one feature of a
 *       random mask changes the result; the same mask gives equal values, also from several threads
 *       at once and from a second featurization with the same seed; {@code apply} changes neither
 *       its mask nor the featurized value.
 *   <li>The {@link Encoder} declares at least one tensor, each with a distinct non-blank name and
 *       every dimension positive or -1 (dynamic, never 0), and encodes the value and every
 *       perturbed value into tensors with exactly the declared names, element types, ranks and
 *       positive dimensions, all of one shape (the model input has a fixed size per row).
 *   <li>{@link Modality#view} gives, for zero, positive and mixed weights, a {@link View} with a
 *       non-blank kind and non-empty data that is plain data (strings, numbers, booleans, arrays,
 *       lists, maps with string keys) and holds no markup: views are never HTML, the report escapes
 *       text. It does not change the weights.
 *   <li>Each of {@link #badFields()} fails {@link Modality#read} with an {@link InputException}
 *       whose message contains the expected fragment (ignoring case) and the record id of the
 *       {@link ReadContext}, and whose {@link InputException#recordId()} is that id.
 *   <li>{@link Modality#samplingHints()} is not null; {@link Modality#provenance()} is plain data
 *       and lists every setting given in {@link #config()}.
 * </ul>
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public abstract class ModalityContract<V> {
  private static final Pattern LOWER_SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final long SEED = 20240611L;
  private static final int RANDOM_MASKS = 20;
  private static final int LOCALITY_MASKS = 5;
  private static final int THREADS = 4;
  private static final String RECORD_ID = "contract_record_17";
  private static final List<String> MARKUP = List.of("<script", "</");

  @TempDir Path temporaryDirectory;

  private ModalityFactory factory;
  private Modality<V> modality;
  private V value;
  private FeatureSet<V> features;

  // ---- what a plugin's test provides ---------------------------------------------------------

  /** The {@link ModalityFactory#name() name} of the factory under test, e.g. {@code "vector"}. */
  protected abstract String pluginName();

  /**
   * A valid manifest field for the modality created from {@link #config()}, as plain JSON-like Java
   * ({@code String}, {@code Number}, {@code Boolean}, {@code List}, {@code Map}). Relative file
   * names resolve against {@link #baseDirectory()}. Read once per test.
   */
  protected abstract Object sampleField();

  /**
   * Manifest fields that {@link Modality#read} must reject, each keyed by a fragment that the
   * {@link InputException}'s message must contain, compared ignoring case: {@code "not a number" ->
   * List.of(1, "two")}, {@code "empty" -> ""}, {@code "cannot read" -> "missing.png"}. Give at
   * least one; a {@link java.util.LinkedHashMap} keeps the reports in order.
   */
  protected abstract Map<String, Object> badFields();

  /** Settings the modality is created with; empty by default. */
  protected PluginConfig config() {
    return PluginConfig.empty("modality '" + modalityName() + "' (plugin " + pluginName() + ")");
  }

  /**
   * The directory relative paths in {@link #sampleField()} and {@link #badFields()} resolve
   * against; by default a fresh temporary directory per test. Return a test-resource folder when
   * the fields name files.
   */
  protected Path baseDirectory() {
    return temporaryDirectory;
  }

  /**
   * The reference pool's values for {@link Modality#featurize}, as values of {@link
   * Modality#valueType()}; empty by default. Give one when the perturber depends on the pool
   * (baseline "pool_mean", say) so that that path is tested.
   */
  protected PoolStatistics pool() {
    return PoolStatistics.empty();
  }

  /** The name the modality is created with (and the manifest field it reads); {@code "m"}. */
  protected String modalityName() {
    return "m";
  }

  /**
   * Whether two values of the modality are equal; {@link Objects#deepEquals} by default (so arrays
   * compare by content). Override for value types without a content {@code equals} or to allow
   * rounding.
   *
   * @param a a value, not null
   * @param b a value, not null
   */
  protected boolean valuesEqual(V a, V b) {
    return Objects.deepEquals(a, b);
  }

  /**
   * Whether hiding every feature of the sample changes it; true by default. Return false only when
   * the sample value already equals its fully hidden version.
   */
  protected boolean emptyMaskChangesValue() {
    return true;
  }

  /**
   * Whether showing feature {@code i} of the sample gives a value different from hiding it; true by
   * default. Return false for a feature whose hidden form equals its shown form in the sample (an
   * entry equal to its baseline, a segment already of the fill colour).
   *
   * @param i a feature index in [0, size)
   */
  protected boolean featureDiffersFromHidden(int i) {
    return true;
  }

  /**
   * Whether the full mask must give back a value {@link #valuesEqual equal} to {@link
   * FeatureSet#value()} (true, the default and what the SPI asks for). When false, the contract
   * only asks that the full mask's value encode to the same tensors as the value does.
   */
  protected boolean exactRoundTrip() {
    return true;
  }

  /**
   * For each atomic element of {@code features.value()} (a pixel, a character, a vector entry, in
   * the order of {@link #elements}), the index of the feature that owns it, or -1 for an element no
   * feature owns (whitespace between words, say). Empty by default, which skips the partition
   * check.
   *
   * @param features the featurized sample, not null
   */
  protected Optional<int[]> featureOwnership(FeatureSet<V> features) {
    return Optional.empty();
  }

  /**
   * The atomic elements of a value, in a fixed order matching {@link #featureOwnership}, compared
   * with {@link Objects#deepEquals}. Empty by default. Give them only when a perturbed value has
   * the same elements in the same places as the original (pixels of an image, entries of a vector;
   * not words removed from a text); the contract then checks that hiding a feature changes only the
   * elements it owns.
   *
   * @param value a value of the modality, not null
   */
  protected Optional<List<?>> elements(V value) {
    return Optional.empty();
  }

  // ---- what the contract makes for each test -------------------------------------------------

  /** The factory named {@link #pluginName()}, found through {@link ServiceLoader}. */
  protected final ModalityFactory factory() {
    if (factory == null) {
      Discovery d = discover();
      if (d.found().isEmpty()) {
        fail(d.notFoundMessage(pluginName()));
      }
      factory = d.found().get(0);
    }
    return factory;
  }

  /**
   * The modality created by {@link #factory()} with {@link #modalityName()} and {@link #config()}.
   */
  @SuppressWarnings("unchecked")
  protected final Modality<V> modality() {
    if (modality == null) {
      Modality<?> m = factory().create(modalityName(), config());
      assertNotNull(m, "factory '" + pluginName() + "' created null");
      assertNotNull(m.valueType(), "modality '" + pluginName() + "': valueType() is null");
      modality = (Modality<V>) m;
    }
    return modality;
  }

  /** The value read from {@link #sampleField()}. */
  protected final V value() {
    if (value == null) {
      value = readSample();
    }
    return value;
  }

  /** The features of {@link #value()}, featurized with {@link #pool()} and a fixed seed. */
  protected final FeatureSet<V> features() {
    if (features == null) {
      features = featurize(value());
    }
    return features;
  }

  /** A read context with {@link #baseDirectory()} and the given record id. */
  protected final ReadContext readContext(String recordId) {
    Path base = baseDirectory();
    assertNotNull(base, "baseDirectory() is null");
    return new ReadContext(base, recordId);
  }

  // ---- discovery and creation ----------------------------------------------------------------

  @Test
  public void pluginIsFoundByServiceLoaderUnderItsName() {
    String name = pluginName();
    assertNotNull(name, "pluginName() is null");
    assertTrue(
        LOWER_SNAKE.matcher(name).matches(),
        "modality factory name '" + name + "' is not lower_snake (e.g. 'image', 'time_series')");
    Discovery d = discover();
    if (d.found().isEmpty()) {
      fail(d.notFoundMessage(name));
    }
    assertEquals(
        1,
        d.found().size(),
        "modality '" + name + "' is offered more than once; offered: " + d.offered());
    assertEquals(name, d.found().get(0).name(), "the found factory's name() changed between calls");
    String owner = d.owners().get(0);
    assertTrue(
        owner != null && LOWER_SNAKE.matcher(owner).matches(),
        "plugin name '" + owner + "' (offering modality '" + name + "') is not lower_snake");
  }

  @Test
  public void modalityReportsItsKindNameAndValueType() {
    Modality<V> m = modality();
    assertEquals(
        pluginName(), m.kind(), "kind() must be the name of the factory that made the modality");
    assertEquals(modalityName(), m.name(), "name() must be the name the modality was created with");
    assertNotNull(m.valueType(), "valueType() is null");
  }

  @Test
  public void unknownSettingIsRejectedNamingIt() {
    String key = "dime_no_such_setting";
    Map<String, Object> values = new LinkedHashMap<>(config().values());
    values.put(key, 1);
    PluginConfig bad = new PluginConfig(config().component(), values);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> factory().create(modalityName(), bad),
            "creating modality '"
                + pluginName()
                + "' with unknown setting '"
                + key
                + "' must fail");
    assertMessageContains(e, key);
  }

  // ---- reading -------------------------------------------------------------------------------

  @Test
  public void readReturnsAValueOfTheValueType() {
    V v = value();
    assertNotNull(v, "read(sampleField()) returned null");
    assertTrue(
        modality().valueType().isInstance(v),
        "read returned a "
            + v.getClass().getName()
            + ", not the valueType() "
            + modality().valueType().getName());
    V again = readSample();
    assertTrue(
        valuesEqual(v, again),
        "reading the same field twice gave different values: "
            + describe(v)
            + " and "
            + describe(again));
    V checked = modality().check(v, RECORD_ID);
    assertNotNull(checked, "check(value read) returned null");
    assertTrue(
        valuesEqual(v, checked),
        "check(value read) must return the value; got " + describe(checked));
  }

  @Test
  public void checkRejectsNullAndOtherTypesNamingTheRecord() {
    for (Object foreign : Arrays.asList(null, new Object())) {
      String what = foreign == null ? "null" : "an Object";
      InputException e =
          assertThrows(
              InputException.class,
              () -> modality().check(foreign, RECORD_ID),
              "check(" + what + ") must fail with InputException");
      assertMessageContains(e, RECORD_ID);
    }
  }

  // ---- features ------------------------------------------------------------------------------

  @Test
  public void featurizeGivesNamedFeatures() {
    FeatureSet<V> fs = features();
    int d = fs.size();
    assertTrue(d >= 1, "featurize gave " + d + " features; at least 1 expected");
    List<String> names = fs.names();
    assertNotNull(names, "names() is null");
    assertEquals(d, names.size(), "names() must give one name per feature: " + names);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d; i++) {
      String n = names.get(i);
      assertTrue(n != null && !n.isBlank(), "feature " + i + " has a blank name: '" + n + "'");
      assertTrue(seen.add(n), "feature name '" + n + "' is used twice: " + names);
    }
    assertNotNull(fs.value(), "FeatureSet.value() is null");
    assertTrue(
        valuesEqual(value(), fs.value()),
        "FeatureSet.value() must be the featurized value; got " + describe(fs.value()));
    Map<String, Object> layout = fs.layout();
    assertNotNull(layout, "layout() is null; return Map.of() when a view needs nothing");
    assertPlainData(layout, "layout", false);
  }

  @Test
  public void fullMaskGivesBackTheValue() {
    FeatureSet<V> fs = features();
    boolean[] keep = allOf(fs.size(), true);
    V full = fs.apply(keep);
    assertNotNull(full, "apply(all true) returned null");
    assertArrayEquals(allOf(fs.size(), true), keep, "apply changed its mask");
    if (exactRoundTrip()) {
      assertTrue(
          valuesEqual(full, fs.value()),
          "apply(all true) must give back the value; expected "
              + describe(fs.value())
              + ", got "
              + describe(full));
    } else {
      assertTensorsEqual(
          encode(fs.value()), encode(full), "encoding of apply(all true) vs of the value");
    }
    assertUnchanged(fs);
  }

  @Test
  public void emptyMaskHidesEveryFeature() {
    FeatureSet<V> fs = features();
    int d = fs.size();
    boolean[] none = allOf(d, false);
    V hidden = fs.apply(none);
    assertNotNull(hidden, "apply(all false) returned null");
    assertArrayEquals(allOf(d, false), none, "apply changed its mask");
    if (emptyMaskChangesValue()) {
      assertFalse(
          valuesEqual(hidden, fs.value()),
          "apply(all false) must hide the features, but gives back the value "
              + describe(hidden)
              + " (override emptyMaskChangesValue() if the sample equals its hidden version)");
    }
    for (int i = 0; i < d; i++) {
      if (!featureDiffersFromHidden(i)) {
        continue;
      }
      boolean[] only = allOf(d, false);
      only[i] = true;
      V shown = fs.apply(only);
      assertFalse(
          valuesEqual(shown, hidden),
          "revealing only feature "
              + i
              + " ('"
              + fs.names().get(i)
              + "') gives the same value as hiding all: "
              + describe(shown)
              + " (override featureDiffersFromHidden("
              + i
              + ") if it equals its hidden form)");
    }
    assertUnchanged(fs);
  }

  @Test
  public void flippingOneFeatureOfAMaskChangesTheValue() {
    FeatureSet<V> fs = features();
    int d = fs.size();
    SplittableRandom rng = new SplittableRandom(SEED + 1);
    for (int r = 0; r < LOCALITY_MASKS; r++) {
      boolean[] mask = randomMask(rng, d);
      V base = fs.apply(mask);
      for (int i = 0; i < d; i++) {
        if (!featureDiffersFromHidden(i)) {
          continue;
        }
        boolean[] flipped = mask.clone();
        flipped[i] = !flipped[i];
        V other = fs.apply(flipped);
        assertFalse(
            valuesEqual(base, other),
            "masks "
                + maskString(mask)
                + " and "
                + maskString(flipped)
                + " differ only in feature "
                + i
                + " ('"
                + fs.names().get(i)
                + "') but give the same value "
                + describe(base));
      }
    }
  }

  @Test
  public void featuresPartitionTheElements() {
    FeatureSet<V> fs = features();
    Optional<int[]> ownership = featureOwnership(fs);
    assumeTrue(ownership.isPresent(), "featureOwnership() is not given");
    int d = fs.size();
    int[] owner = ownership.get();
    int[] owned = new int[d];
    for (int j = 0; j < owner.length; j++) {
      int o = owner[j];
      assertTrue(
          o >= -1 && o < d,
          "element " + j + " is owned by feature " + o + "; expected -1 or [0, " + d + ")");
      if (o >= 0) {
        owned[o]++;
      }
    }
    for (int i = 0; i < d; i++) {
      assertTrue(owned[i] > 0, "feature " + i + " ('" + fs.names().get(i) + "') owns no element");
    }

    Optional<List<?>> shownElements = elements(fs.value());
    if (shownElements.isEmpty()) {
      return;
    }
    List<?> shown = shownElements.get();
    assertEquals(
        owner.length,
        shown.size(),
        "featureOwnership() and elements(value) must have one entry per element");
    List<?> hidden = elementsOf(fs.apply(allOf(d, false)), owner.length, "all false");
    SplittableRandom rng = new SplittableRandom(SEED + 2);
    for (int r = 0; r < RANDOM_MASKS; r++) {
      boolean[] mask = randomMask(rng, d);
      List<?> got = elementsOf(fs.apply(mask), owner.length, maskString(mask));
      for (int j = 0; j < owner.length; j++) {
        int o = owner[j];
        boolean kept = o < 0 || mask[o];
        Object expected = kept ? shown.get(j) : hidden.get(j);
        if (!Objects.deepEquals(expected, got.get(j))) {
          fail(
              "mask "
                  + maskString(mask)
                  + ": element "
                  + j
                  + (o < 0 ? " (owned by no feature)" : " of feature " + o)
                  + " is "
                  + describe(got.get(j))
                  + ", expected its "
                  + (kept ? "shown" : "hidden")
                  + " form "
                  + describe(expected)
                  + "; hiding a feature must change only the elements it owns");
        }
      }
    }
  }

  @Test
  public void perturbationIsDeterministic() {
    FeatureSet<V> first = features();
    FeatureSet<V> second = featurize(readSample());
    assertEquals(
        first.size(), second.size(), "featurizing twice with the same seed gave different sizes");
    assertEquals(
        first.names(), second.names(), "featurizing twice with the same seed gave different names");
    for (boolean[] mask : randomMasks(first.size())) {
      V a = first.apply(mask);
      V again = first.apply(mask);
      V b = second.apply(mask);
      assertTrue(
          valuesEqual(a, again),
          "the same mask " + maskString(mask) + " applied twice gave different values");
      assertTrue(
          valuesEqual(a, b),
          "mask "
              + maskString(mask)
              + " gave different values after featurizing twice with the same seed: "
              + describe(a)
              + " and "
              + describe(b));
    }
  }

  @Test
  public void concurrentApplyGivesTheSameValuesAsSerialApply() throws Exception {
    FeatureSet<V> fs = features();
    List<boolean[]> masks = randomMasks(fs.size());
    List<V> serial = new ArrayList<>();
    for (boolean[] mask : masks) {
      serial.add(fs.apply(mask));
    }
    List<String> problems =
        ConcurrentCheck.run(
            THREADS,
            masks.size(),
            7,
            k ->
                valuesEqual(serial.get(k), fs.apply(masks.get(k)))
                    ? null
                    : "mask " + maskString(masks.get(k)));
    assertTrue(
        problems.isEmpty(),
        THREADS + " threads applying masks at once disagree with serial apply: " + problems);
  }

  // ---- encoding ------------------------------------------------------------------------------

  @Test
  public void encoderDeclaresTheTensorsItProduces() {
    Encoder<V> encoder = modality().encoder();
    assertNotNull(encoder, "encoder() is null");
    List<TensorSpec> specs = encoder.outputs();
    assertNotNull(specs, "encoder().outputs() is null");
    assertFalse(specs.isEmpty(), "encoder().outputs() declares no tensor");
    assertEquals(specs, encoder.outputs(), "encoder().outputs() changed between calls");
    Set<String> seen = new HashSet<>();
    for (TensorSpec spec : specs) {
      assertFalse(spec.name().isBlank(), "encoder output with a blank name: " + spec);
      assertTrue(seen.add(spec.name()), "encoder output '" + spec.name() + "' is declared twice");
      for (long dim : spec.shape()) {
        assertTrue(
            dim == -1 || dim > 0,
            "encoder output '"
                + spec.name()
                + "' declares dimension "
                + dim
                + " in "
                + Arrays.toString(spec.shape())
                + "; expected a positive size, or -1 when it is not known before encoding");
      }
    }
    List<Tensor> tensors = encode(value());
    for (int k = 0; k < specs.size(); k++) {
      assertMatches(specs.get(k), tensors.get(k), "encoding of the value");
    }
  }

  @Test
  public void perturbedValuesEncodeToTheDeclaredShapes() {
    FeatureSet<V> fs = features();
    List<TensorSpec> specs = modality().encoder().outputs();
    List<Tensor> reference = encode(fs.value());
    List<boolean[]> masks = new ArrayList<>();
    masks.add(allOf(fs.size(), false));
    masks.add(allOf(fs.size(), true));
    masks.addAll(randomMasks(fs.size()).subList(0, LOCALITY_MASKS));
    for (boolean[] mask : masks) {
      String what = "encoding of apply(" + maskString(mask) + ")";
      List<Tensor> tensors = encode(fs.apply(mask));
      for (int k = 0; k < specs.size(); k++) {
        Tensor t = tensors.get(k);
        assertMatches(specs.get(k), t, what);
        assertArrayEquals(
            reference.get(k).shape(),
            t.shape(),
            what
                + ": tensor '"
                + t.name()
                + "' must have the shape of the value's encoding (the model input has a fixed"
                + " size)");
      }
    }
    assertUnchanged(fs);
  }

  // ---- views ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} weights")
  @ValueSource(strings = {"zero", "positive", "mixed"})
  public void viewsArePlainDataWithoutMarkup(String weightKind) {
    FeatureSet<V> fs = features();
    double[] weights = weights(weightKind, fs.size());
    List<ViewOptions> options =
        List.of(
            ViewOptions.defaults("contract view"),
            new ViewOptions("green_red", 1, "contract view, top 1"));
    for (ViewOptions o : options) {
      String what = "view for " + weightKind + " weights and " + o;
      View view = modality().view(fs, weights, o);
      assertNotNull(view, what + " is null");
      assertFalse(view.kind().isBlank(), what + " has a blank kind");
      assertFalse(view.data().isEmpty(), what + " has no data");
      assertPlainData(view.data(), "view(" + weightKind + ").data", true);
      assertArrayEquals(weights(weightKind, fs.size()), weights, what + ": view changed weights");
    }
  }

  // ---- bad input -----------------------------------------------------------------------------

  @TestFactory
  public Stream<DynamicTest> badFieldsFailWithInputExceptionNamingTheProblemAndTheRecord() {
    Map<String, Object> bad = badFields();
    if (bad == null || bad.isEmpty()) {
      return Stream.of(
          DynamicTest.dynamicTest(
              "badFields() is given",
              () ->
                  fail("badFields() is empty; give at least one field the modality must reject")));
    }
    return bad.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    "'" + e.getKey() + "' for " + describe(e.getValue()),
                    () -> checkBadField(e.getKey(), e.getValue())));
  }

  private void checkBadField(String fragment, Object field) {
    InputException e =
        assertThrows(
            InputException.class,
            () -> modality().read(field, readContext(RECORD_ID)),
            "read(" + describe(field) + ") must fail with InputException");
    String message = String.valueOf(e.getMessage());
    assertTrue(
        message.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)),
        "the message for " + describe(field) + " must say '" + fragment + "'; message: " + message);
    assertMessageContains(e, RECORD_ID);
    assertEquals(
        Optional.of(RECORD_ID),
        e.recordId(),
        "the InputException must carry the record id of the ReadContext");
  }

  // ---- hints and provenance ------------------------------------------------------------------

  @Test
  public void samplingHintsAndProvenanceArePresent() {
    assertNotNull(modality().samplingHints(), "samplingHints() is null");
    Map<String, Object> p = modality().provenance();
    assertNotNull(p, "provenance() is null");
    assertPlainData(p, "provenance", false);
    for (String key : config().values().keySet()) {
      assertTrue(
          p.containsKey(key),
          "provenance must list every setting; it has no '" + key + "': " + p.keySet());
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private record Discovery(List<ModalityFactory> found, List<String> owners, List<String> offered) {
    String notFoundMessage(String name) {
      return "no DimePlugin found by ServiceLoader offers modality '"
          + name
          + "'; offered: "
          + offered
          + ". List the plugin class in META-INF/services/io.dime.spi.DimePlugin and return the"
          + " factory from its modalities()";
    }
  }

  private Discovery discover() {
    List<ModalityFactory> found = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    List<String> offered = new ArrayList<>();
    for (DimePlugin plugin : ServiceLoader.load(DimePlugin.class, getClass().getClassLoader())) {
      for (ModalityFactory candidate : plugin.modalities()) {
        offered.add(candidate.name() + " (plugin " + plugin.name() + ")");
        if (pluginName().equals(candidate.name())) {
          found.add(candidate);
          owners.add(plugin.name());
        }
      }
    }
    return new Discovery(found, owners, offered);
  }

  private V readSample() {
    Object field = sampleField();
    assertNotNull(field, "sampleField() is null");
    V v;
    try {
      v = modality().read(field, readContext(RECORD_ID));
    } catch (InputException e) {
      throw new AssertionError(
          "modality '" + pluginName() + "' rejects sampleField() " + describe(field), e);
    }
    assertNotNull(v, "read(sampleField()) returned null");
    return v;
  }

  private FeatureSet<V> featurize(V v) {
    PoolStatistics pool = pool();
    assertNotNull(pool, "pool() is null; return PoolStatistics.empty()");
    FeatureSet<V> fs = modality().featurize(v, pool, new SplittableRandom(SEED));
    assertNotNull(fs, "featurize returned null");
    return fs;
  }

  /** Fails when the featurized value is no longer equal to a value read afresh. */
  private void assertUnchanged(FeatureSet<V> fs) {
    V fresh = readSample();
    assertTrue(
        valuesEqual(fresh, fs.value()),
        "the featurized value was changed (by apply or encode): " + describe(fs.value()));
  }

  private List<Tensor> encode(V v) {
    List<TensorSpec> specs = modality().encoder().outputs();
    List<Tensor> tensors = modality().encoder().encode(v);
    assertNotNull(tensors, "encode returned null");
    assertEquals(
        specs.size(),
        tensors.size(),
        "encode must return one tensor per declared output " + specs + "; got " + tensors.size());
    return tensors;
  }

  private static void assertMatches(TensorSpec spec, Tensor t, String what) {
    assertNotNull(t, what + ": tensor for '" + spec.name() + "' is null");
    assertEquals(spec.name(), t.name(), what + ": tensors must come in the declared order");
    assertEquals(spec.type(), t.type(), what + ": element type of '" + spec.name() + "'");
    long[] declared = spec.shape();
    long[] actual = t.shape();
    assertEquals(
        declared.length,
        actual.length,
        what
            + ": rank of '"
            + spec.name()
            + "': declared "
            + Arrays.toString(declared)
            + ", got "
            + Arrays.toString(actual));
    for (int i = 0; i < declared.length; i++) {
      if (declared[i] > 0) {
        assertEquals(
            declared[i],
            actual[i],
            what
                + ": dimension "
                + i
                + " of '"
                + spec.name()
                + "': declared "
                + Arrays.toString(declared)
                + ", got "
                + Arrays.toString(actual));
      }
    }
  }

  private static void assertTensorsEqual(List<Tensor> expected, List<Tensor> actual, String what) {
    for (int k = 0; k < expected.size(); k++) {
      Tensor a = expected.get(k);
      Tensor b = actual.get(k);
      assertArrayEquals(a.shape(), b.shape(), what + ": shape of '" + a.name() + "'");
      if (a.type() == ElementType.FLOAT32) {
        assertArrayEquals(a.floats(), b.floats(), what + ": values of '" + a.name() + "'");
      } else {
        assertArrayEquals(a.longs(), b.longs(), what + ": values of '" + a.name() + "'");
      }
    }
  }

  private List<?> elementsOf(V v, int count, String mask) {
    List<?> e =
        elements(v)
            .orElseThrow(() -> new AssertionError("elements() is empty for apply(" + mask + ")"));
    assertEquals(
        count,
        e.size(),
        "apply("
            + mask
            + ") has "
            + e.size()
            + " elements; the value has "
            + count
            + ". Return Optional.empty() from elements() when perturbation changes the elements");
    return e;
  }

  /**
   * Fails unless {@code o} is plain data: null, strings, numbers, booleans, arrays, collections and
   * maps with string keys, nested; with {@code noMarkup}, no string may contain markup.
   */
  private static void assertPlainData(Object o, String path, boolean noMarkup) {
    if (o == null || o instanceof Number || o instanceof Boolean) {
      return;
    }
    if (o instanceof String s) {
      if (noMarkup) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (String m : MARKUP) {
          assertFalse(
              lower.contains(m),
              path
                  + " contains '"
                  + m
                  + "': views are plain data, never HTML (the report escapes text): "
                  + abbreviate(s));
        }
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        assertTrue(
            e.getKey() instanceof String,
            path + " has a key that is not a string: " + describe(e.getKey()));
        assertPlainData(e.getKey(), path + " (key)", noMarkup);
        assertPlainData(e.getValue(), path + "." + e.getKey(), noMarkup);
      }
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object x : c) {
        assertPlainData(x, path + "[" + i++ + "]", noMarkup);
      }
      return;
    }
    if (o.getClass().isArray()) {
      if (!o.getClass().getComponentType().isPrimitive()) {
        for (int i = 0; i < Array.getLength(o); i++) {
          assertPlainData(Array.get(o, i), path + "[" + i + "]", noMarkup);
        }
      }
      return;
    }
    fail(
        path
            + " is a "
            + o.getClass().getName()
            + "; expected plain data (strings, numbers, booleans, arrays, lists, maps)");
  }

  private static void assertMessageContains(Exception e, String part) {
    String message = e.getMessage();
    assertTrue(
        message != null && message.contains(part),
        "the message must name '" + part + "'; message: " + message);
  }

  private static boolean[] allOf(int d, boolean b) {
    boolean[] m = new boolean[d];
    Arrays.fill(m, b);
    return m;
  }

  private static boolean[] randomMask(SplittableRandom rng, int d) {
    boolean[] m = new boolean[d];
    for (int i = 0; i < d; i++) {
      m[i] = rng.nextBoolean();
    }
    return m;
  }

  private static List<boolean[]> randomMasks(int d) {
    SplittableRandom rng = new SplittableRandom(SEED + 3);
    List<boolean[]> masks = new ArrayList<>();
    for (int r = 0; r < RANDOM_MASKS; r++) {
      masks.add(randomMask(rng, d));
    }
    return masks;
  }

  private static double[] weights(String kind, int d) {
    double[] w = new double[d];
    for (int i = 0; i < d; i++) {
      double magnitude = 0.1 * (1 + i % 7);
      w[i] =
          switch (kind) {
            case "zero" -> 0;
            case "positive" -> magnitude;
            default -> i % 2 == 0 ? magnitude : -magnitude;
          };
    }
    return w;
  }

  private static String maskString(boolean[] mask) {
    StringBuilder b = new StringBuilder(mask.length);
    for (boolean k : mask) {
      b.append(k ? '1' : '0');
    }
    return abbreviate(b.toString());
  }

  private static String describe(Object o) {
    if (o == null) {
      return "null";
    }
    String s = o.getClass().isArray() ? Arrays.deepToString(new Object[] {o}) : String.valueOf(o);
    if (o.getClass().isArray()) {
      s = s.substring(1, s.length() - 1);
    }
    return abbreviate(s);
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
