package io.dime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.DimePlugin;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Assertions and small helpers shared by the contracts. */
final class Checks {
  /** Names of plugins and factories: {@code image}, {@code time_series}. */
  static final Pattern LOWER_SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

  /** The seed of every random draw of the modality contracts. */
  static final long SEED = 20240611L;

  /** Random masks per check. */
  static final int RANDOM_MASKS = 20;

  /** Random masks whose every single-feature flip is checked. */
  static final int LOCALITY_MASKS = 5;

  /** Threads of the thread-safety checks. */
  static final int THREADS = 4;

  /** A setting no plugin has. */
  static final String UNKNOWN_SETTING = "dime_no_such_setting";

  private static final List<String> MARKUP = List.of("<script", "</");

  private Checks() {}

  /** {@code config} with {@link #UNKNOWN_SETTING} added. */
  static PluginConfig withUnknownSetting(PluginConfig config) {
    Map<String, Object> values = new LinkedHashMap<>(config.values());
    values.put(UNKNOWN_SETTING, 1);
    return new PluginConfig(config.component(), values);
  }

  /**
   * The factories of one kind that plugins found by {@link ServiceLoader} offer under {@code name}.
   *
   * @param loader the class loader to search
   * @param factories the factories of the wanted kind a plugin offers
   * @param names the name of a factory
   */
  static <F> Discovery<F> discover(
      ClassLoader loader,
      String name,
      Function<DimePlugin, List<F>> factories,
      Function<F, String> names) {
    List<F> found = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    List<String> offered = new ArrayList<>();
    for (DimePlugin plugin : ServiceLoader.load(DimePlugin.class, loader)) {
      for (F candidate : factories.apply(plugin)) {
        offered.add(names.apply(candidate) + " (plugin " + plugin.name() + ")");
        if (name.equals(names.apply(candidate))) {
          found.add(candidate);
          owners.add(plugin.name());
        }
      }
    }
    return new Discovery<>(found, owners, offered);
  }

  /**
   * What {@link #discover} found.
   *
   * @param found the factories under the name
   * @param owners the plugin of each found factory
   * @param offered every factory of the kind, with its plugin, for messages
   */
  record Discovery<F>(List<F> found, List<String> owners, List<String> offered) {
    /** The message when nothing is found, naming what is offered and what to do. */
    String notFoundMessage(String kind, String name, String getter) {
      return "no DimePlugin found by ServiceLoader offers "
          + kind
          + " '"
          + name
          + "'; offered: "
          + offered
          + ". List the plugin class in META-INF/services/io.dime.spi.DimePlugin and return the"
          + " factory from its "
          + getter
          + "()";
    }
  }

  /** Fails unless the exception's message contains {@code part}. */
  static void assertMessageContains(Exception e, String part) {
    String message = e.getMessage();
    assertTrue(
        message != null && message.contains(part),
        "the message must name '" + part + "'; message: " + message);
  }

  /**
   * Fails unless {@code o} is plain data: null, strings, numbers, booleans, arrays, collections and
   * maps with string keys, nested; with {@code noMarkup}, no string may contain markup.
   */
  static void assertPlainData(Object o, String path, boolean noMarkup) {
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

  /** Fails unless the tensor has the declared name, type, rank and fixed dimensions. */
  static void assertMatches(TensorSpec spec, Tensor t, String what) {
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

  // ---- the modality contracts' helpers -------------------------------------------------------

  /** Encodes {@code v}, checking that there is one tensor per declared output. */
  static <V> List<Tensor> encode(ModalityFixture<V> f, V v) {
    List<TensorSpec> specs = f.modality().encoder().outputs();
    List<Tensor> tensors = f.modality().encoder().encode(v);
    assertNotNull(tensors, "encode returned null");
    assertEquals(
        specs.size(),
        tensors.size(),
        "encode must return one tensor per declared output " + specs + "; got " + tensors.size());
    return tensors;
  }

  /** Fails when the featurized value is no longer equal to a value read afresh. */
  static <V> void assertUnchanged(ModalityFixture<V> f, FeatureSet<V> fs) {
    V fresh = f.readSample();
    assertTrue(
        f.valuesEqual(fresh, fs.value()),
        "the featurized value was changed (by apply or encode): " + describe(fs.value()));
  }

  static boolean[] allOf(int d, boolean b) {
    boolean[] m = new boolean[d];
    Arrays.fill(m, b);
    return m;
  }

  static boolean[] randomMask(SplittableRandom rng, int d) {
    boolean[] m = new boolean[d];
    for (int i = 0; i < d; i++) {
      m[i] = rng.nextBoolean();
    }
    return m;
  }

  /** {@link #RANDOM_MASKS} random masks of {@code d} features, the same ones on every call. */
  static List<boolean[]> randomMasks(int d) {
    SplittableRandom rng = new SplittableRandom(SEED + 3);
    List<boolean[]> masks = new ArrayList<>();
    for (int r = 0; r < RANDOM_MASKS; r++) {
      masks.add(randomMask(rng, d));
    }
    return masks;
  }

  static String maskString(boolean[] mask) {
    StringBuilder b = new StringBuilder(mask.length);
    for (boolean k : mask) {
      b.append(k ? '1' : '0');
    }
    return abbreviate(b.toString());
  }

  /** A value for messages: arrays by content, at most 120 characters. */
  static String describe(Object o) {
    if (o == null) {
      return "null";
    }
    String s = o.getClass().isArray() ? Arrays.deepToString(new Object[] {o}) : String.valueOf(o);
    if (o.getClass().isArray()) {
      s = s.substring(1, s.length() - 1);
    }
    return abbreviate(s);
  }

  static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
