package io.dime.testkit;

import static io.dime.testkit.Checks.LOWER_SNAKE;
import static io.dime.testkit.Checks.SEED;
import static io.dime.testkit.Checks.assertMessageContains;
import static io.dime.testkit.Checks.assertPlainData;
import static io.dime.testkit.Checks.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dime.api.InputException;
import io.dime.spi.DimePlugin;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract tests that every {@link ModalityFactory} and the {@link Modality} it creates must pass.
 * A modality plugin's test class extends this class, names the factory and supplies one valid
 * manifest field and a few bad ones; the inherited tests then check discovery, reading, features,
 * perturbation, encoding, views, input validation and provenance.
 *
 * <p>This class holds the checks of discovery, reading, bad input and provenance, and inherits the
 * checks of each part of a modality from the part contracts it implements: {@link
 * FeaturizerContract} (features), {@link HiderContract} (hiding: {@link FeatureSet#apply}), {@link
 * EncoderContract} (model-input tensors) and {@link ViewContract} (views). They test the {@link
 * ModalityFixture} that {@link #fixture()} builds from the methods below.
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
 *   <li>Features, hiding, encoding and views: as {@link FeaturizerContract}, {@link HiderContract},
 *       {@link EncoderContract} and {@link ViewContract} say.
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
public abstract class ModalityContract<V>
    implements FeaturizerContract<V>, HiderContract<V>, EncoderContract<V>, ViewContract<V> {
  private static final String RECORD_ID = "contract_record_17";

  @TempDir Path temporaryDirectory;

  private ModalityFactory factory;
  private Modality<V> modality;
  private V value;
  private FeatureSet<V> features;
  private ModalityFixture<V> fixture;

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
      Checks.Discovery<ModalityFactory> d = discover();
      if (d.found().isEmpty()) {
        fail(d.notFoundMessage("modality", pluginName(), "modalities"));
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

  /**
   * The modality, its sample and this test's hooks, as the part contracts see them: each method
   * answers with the method of this class of the same name.
   */
  @Override
  public final ModalityFixture<V> fixture() {
    if (fixture == null) {
      fixture = new Fixture();
    }
    return fixture;
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
    Checks.Discovery<ModalityFactory> d = discover();
    if (d.found().isEmpty()) {
      fail(d.notFoundMessage("modality", name, "modalities"));
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
    PluginConfig bad = Checks.withUnknownSetting(config());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> factory().create(modalityName(), bad),
            "creating modality '"
                + pluginName()
                + "' with unknown setting '"
                + Checks.UNKNOWN_SETTING
                + "' must fail");
    assertMessageContains(e, Checks.UNKNOWN_SETTING);
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

  private Checks.Discovery<ModalityFactory> discover() {
    return Checks.discover(
        getClass().getClassLoader(), pluginName(), DimePlugin::modalities, ModalityFactory::name);
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

  /** The part contracts' view of this test: each method answers with this class's. */
  private final class Fixture implements ModalityFixture<V> {
    @Override
    public Modality<V> modality() {
      return ModalityContract.this.modality();
    }

    @Override
    public V value() {
      return ModalityContract.this.value();
    }

    @Override
    public V readSample() {
      return ModalityContract.this.readSample();
    }

    @Override
    public FeatureSet<V> features() {
      return ModalityContract.this.features();
    }

    @Override
    public FeatureSet<V> featurize(V v) {
      return ModalityContract.this.featurize(v);
    }

    @Override
    public boolean valuesEqual(V a, V b) {
      return ModalityContract.this.valuesEqual(a, b);
    }

    @Override
    public boolean emptyMaskChangesValue() {
      return ModalityContract.this.emptyMaskChangesValue();
    }

    @Override
    public boolean featureDiffersFromHidden(int i) {
      return ModalityContract.this.featureDiffersFromHidden(i);
    }

    @Override
    public boolean exactRoundTrip() {
      return ModalityContract.this.exactRoundTrip();
    }

    @Override
    public Optional<int[]> featureOwnership(FeatureSet<V> fs) {
      return ModalityContract.this.featureOwnership(fs);
    }

    @Override
    public Optional<List<?>> elements(V v) {
      return ModalityContract.this.elements(v);
    }
  }
}
