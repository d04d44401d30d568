package io.dime.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.multibindings.MapBinder;
import io.dime.spi.DimePlugin;
import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import io.dime.spi.SurrogateFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plugins found by {@link ServiceLoader} (with an explicit class loader: the class path plus
 * the jars of plugin directories), bound into Guice {@link MapBinder}s by factory name. Two
 * factories of one kind with the same name fail at start, naming both plugins; an unknown name
 * fails listing the available ones.
 */
public final class PluginRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private final List<DimePlugin> plugins;
  private final Map<String, ModalityFactory> modalities;
  private final Map<String, ModelAdapterFactory> adapters;
  private final Map<String, SurrogateFactory> surrogates;
  private final Map<Object, DimePlugin> owner;

  @Inject
  PluginRegistry(
      List<DimePlugin> plugins,
      Map<String, ModalityFactory> modalities,
      Map<String, ModelAdapterFactory> adapters,
      Map<String, SurrogateFactory> surrogates,
      Map<Object, DimePlugin> owner) {
    this.plugins = List.copyOf(plugins);
    this.modalities = Collections.unmodifiableMap(new TreeMap<>(modalities));
    this.adapters = Collections.unmodifiableMap(new TreeMap<>(adapters));
    this.surrogates = Collections.unmodifiableMap(new TreeMap<>(surrogates));
    this.owner = owner;
  }

  /** Plugins on the class path plus those in {@code DIME_PLUGIN_PATH} (':'-separated dirs). */
  public static PluginRegistry load(List<Path> pluginDirs) {
    return load(pluginDirs, System.getenv(PLUGIN_PATH));
  }

  /** The environment variable that names more plugin directories. */
  static final String PLUGIN_PATH = "DIME_PLUGIN_PATH";

  /**
   * {@link #load(List)} with {@code pluginPath} as the value of {@code DIME_PLUGIN_PATH}: a folder
   * it names that is not one is refused naming the variable, which the user may have set long ago.
   */
  static PluginRegistry load(List<Path> pluginDirs, String pluginPath) {
    List<Path> dirs = new ArrayList<>(pluginDirs);
    dirs.forEach(d -> checkDir(d, ""));
    if (pluginPath != null && !pluginPath.isBlank()) {
      for (String p : pluginPath.split(java.io.File.pathSeparator)) {
        if (!p.isBlank()) {
          Path dir = Path.of(p);
          checkDir(dir, " (named in " + PLUGIN_PATH + "=" + pluginPath + ")");
          dirs.add(dir);
        }
      }
    }
    return load(classLoader(dirs, PluginRegistry.class.getClassLoader()));
  }

  /** Refuses a plugin directory that is missing or not a directory; {@code from}: where named. */
  private static void checkDir(Path dir, String from) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "plugin directory "
              + dir
              + from
              + (Files.exists(dir)
                  ? " is a file; give the folder that holds the plugin jars"
                  : " does not exist"));
    }
  }

  /** A class loader over the jars of the given directories, in name order. */
  public static ClassLoader classLoader(List<Path> dirs, ClassLoader parent) {
    List<URL> urls = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("plugin directory " + dir + " does not exist");
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
          urls.add(jar.toUri().toURL());
        }
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException(e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list plugin directory " + dir, e);
      }
    }
    return urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
  }

  /**
   * Discovers plugins with the given class loader.
   *
   * @throws IllegalStateException when a plugin jar cannot be loaded (its {@code META-INF/services}
   *     file names a class it does not hold, the class is not a {@link DimePlugin}, was built for a
   *     newer Java, or its constructor fails), naming the jar, the class and the reason
   */
  public static PluginRegistry load(ClassLoader loader) {
    List<DimePlugin> found = new ArrayList<>();
    try {
      for (DimePlugin p : ServiceLoader.load(DimePlugin.class, loader)) {
        found.add(p);
      }
    } catch (java.util.ServiceConfigurationError e) {
      throw unloadable(loader, e);
    }
    return of(found);
  }

  private static final String SERVICES = "META-INF/services/" + DimePlugin.class.getName();

  /**
   * A plugin that {@link ServiceLoader} cannot load, in words: an {@code Error}, it would otherwise
   * pass every handler and end the command line with a stack trace that names no jar.
   */
  private static IllegalStateException unloadable(
      ClassLoader loader, java.util.ServiceConfigurationError e) {
    String message = String.valueOf(e.getMessage());
    java.util.regex.Matcher m = Pattern.compile("Provider ([\\p{L}\\p{N}_$.]+)").matcher(message);
    String provider = m.find() ? m.group(1) : null;
    List<String> jars = new ArrayList<>();
    if (provider != null) {
      try {
        for (URL u : Collections.list(loader.getResources(SERVICES))) {
          try (java.io.InputStream in = u.openStream()) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (text.lines().map(l -> l.replaceAll("#.*", "").strip()).anyMatch(provider::equals)) {
              String where = u.toString();
              int bang = where.indexOf("!/");
              jars.add(
                  bang > 0 ? where.substring(0, bang).replaceFirst("^jar:(file:)?", "") : where);
            }
          }
        }
      } catch (IOException ignored) {
        // the message below still names the class
      }
    }
    Throwable cause = e.getCause();
    return new IllegalStateException(
        "a plugin cannot be loaded"
            + (jars.isEmpty() ? "" : " from " + String.join(", ", jars))
            + ": "
            + message
            + (cause == null ? "" : " (" + cause + ")")
            + "; its "
            + SERVICES
            + " must name a public DimePlugin class with a public no-argument constructor that the"
            + " jar holds, built for Java "
            + Runtime.version().feature()
            + " or older",
        e);
  }

  /** A registry of the given plugins (tests, embedding). */
  public static PluginRegistry of(List<DimePlugin> plugins) {
    Map<Object, DimePlugin> owner = new java.util.IdentityHashMap<>();
    Map<String, DimePlugin> pluginNames = new LinkedHashMap<>();
    for (DimePlugin p : plugins) {
      String n = p.name();
      if (n == null || !NAME.matcher(n).matches()) {
        throw new IllegalStateException(
            "plugin "
                + p.getClass().getName()
                + " has an invalid name '"
                + n
                + "': use lower_snake_case");
      }
      DimePlugin prev = pluginNames.put(n, p);
      if (prev != null) {
        throw new IllegalStateException(
            "two plugins are named '"
                + n
                + "': "
                + prev.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
    }
    Map<String, ModalityFactory> mods =
        collect(plugins, DimePlugin::modalities, ModalityFactory::name, "modality", owner);
    Map<String, ModelAdapterFactory> ads =
        collect(
            plugins, DimePlugin::modelAdapters, ModelAdapterFactory::name, "model adapter", owner);
    Map<String, SurrogateFactory> surs =
        collect(plugins, DimePlugin::surrogates, SurrogateFactory::name, "surrogate", owner);
    Injector injector =
        Guice.createInjector(
            new AbstractModule() {
              @Override
              protected void configure() {
                MapBinder<String, ModalityFactory> mb =
                    MapBinder.newMapBinder(binder(), String.class, ModalityFactory.class);
                mods.forEach((k, v) -> mb.addBinding(k).toInstance(v));
                MapBinder<String, ModelAdapterFactory> ab =
                    MapBinder.newMapBinder(binder(), String.class, ModelAdapterFactory.class);
                ads.forEach((k, v) -> ab.addBinding(k).toInstance(v));
                MapBinder<String, SurrogateFactory> sb =
                    MapBinder.newMapBinder(binder(), String.class, SurrogateFactory.class);
                surs.forEach((k, v) -> sb.addBinding(k).toInstance(v));
                bind(new com.google.inject.TypeLiteral<List<DimePlugin>>() {})
                    .toInstance(List.copyOf(plugins));
                bind(new com.google.inject.TypeLiteral<Map<Object, DimePlugin>>() {})
                    .toInstance(Collections.unmodifiableMap(owner));
              }
            });
    return injector.getInstance(PluginRegistry.class);
  }

  private static <F> Map<String, F> collect(
      List<DimePlugin> plugins,
      Function<DimePlugin, List<F>> getter,
      Function<F, String> name,
      String kind,
      Map<Object, DimePlugin> owner) {
    Map<String, F> out = new LinkedHashMap<>();
    Map<String, DimePlugin> from = new LinkedHashMap<>();
    for (DimePlugin p : plugins) {
      for (F f : getter.apply(p)) {
        String n = name.apply(f);
        if (n == null || !NAME.matcher(n).matches()) {
          throw new IllegalStateException(
              "plugin '"
                  + p.name()
                  + "' has a "
                  + kind
                  + " with an invalid name '"
                  + n
                  + "': use lower_snake_case");
        }
        DimePlugin prev = from.put(n, p);
        if (prev != null) {
          throw new IllegalStateException(
              "two plugins provide "
                  + kind
                  + " '"
                  + n
                  + "': '"
                  + prev.name()
                  + "' ("
                  + prev.getClass().getName()
                  + ") and '"
                  + p.name()
                  + "' ("
                  + p.getClass().getName()
                  + ")");
        }
        out.put(n, f);
        owner.put(f, p);
      }
    }
    return out;
  }

  public List<DimePlugin> plugins() {
    return plugins;
  }

  public Map<String, ModalityFactory> modalities() {
    return modalities;
  }

  public Map<String, ModelAdapterFactory> modelAdapters() {
    return adapters;
  }

  public Map<String, SurrogateFactory> surrogates() {
    return surrogates;
  }

  /** The plugin that provides a factory. */
  public DimePlugin pluginOf(Object factory) {
    return owner.get(factory);
  }

  public ModalityFactory modality(String name) {
    return find(modalities, name, "modality");
  }

  public ModelAdapterFactory modelAdapter(String name) {
    return find(adapters, name, "model adapter");
  }

  public SurrogateFactory surrogate(String name) {
    return find(surrogates, name, "surrogate");
  }

  /**
   * A configured modality made by the modality plugin named {@code plugin}, as a pipeline file's
   * entry {@code {name, plugin, settings}} makes it, with the same messages: {@code
   * registry.createModality("image", "scene", Map.of("size", 224))}.
   *
   * @param plugin the modality plugin's name ({@code image}, {@code text}, {@code timeseries},
   *     {@code vector}, {@code table}, or one of a plugin jar)
   * @param name the modality's name (also the datapoint field it reads)
   * @param settings the plugin's settings, as in a pipeline file; null or empty for its defaults
   * @throws IllegalArgumentException for an unknown plugin (listing the available ones), a bad
   *     setting (naming the modality and the setting), or a plugin whose factory fails or makes
   *     nothing (naming the modality, the plugin and the cause)
   */
  public Modality<?> createModality(String plugin, String name, Map<String, ?> settings) {
    ModalityFactory f;
    try {
      f = modality(plugin);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("modality '" + name + "': " + e.getMessage(), e);
    }
    PluginConfig config =
        new PluginConfig(
            "modality " + name, settings == null ? null : new LinkedHashMap<>(settings));
    String who = "modality '" + name + "' (plugin " + plugin + ")";
    Modality<?> m;
    try {
      m = f.create(name, config);
    } catch (RuntimeException e) {
      throw pluginFailure(e, config.component(), who, "creating it");
    }
    if (m == null) {
      throw new IllegalArgumentException(who + ": the plugin's factory made no modality (null)");
    }
    return m;
  }

  /**
   * Opens a model with the model adapter named {@code adapter}, as {@code --model ADAPTER:LOCATION}
   * does, with the same messages: {@code registry.openModel("onnx", "model.onnx", Map.of())}. The
   * caller closes it; {@code io.dime.core.infer.EncodedModel} makes it a {@link
   * io.dime.api.MultimodalModel} with the modalities' encoders.
   *
   * @param settings the adapter's settings (e.g. {@code concurrency}); null or empty for its
   *     defaults
   * @throws IllegalArgumentException for an unknown adapter (listing the available ones), a bad
   *     setting, or an adapter that fails or opens nothing (naming the model and the cause)
   */
  public ModelAdapter openModel(String adapter, String location, Map<String, ?> settings) {
    ModelAdapterFactory factory = modelAdapter(adapter);
    String spec = adapter + ":" + location;
    PluginConfig config =
        new PluginConfig("model " + spec, settings == null ? null : new LinkedHashMap<>(settings));
    String who = "model " + spec + " (model adapter " + factory.name() + ")";
    ModelAdapter opened;
    try {
      opened = factory.open(location, config);
    } catch (RuntimeException e) {
      throw pluginFailure(e, config.component(), who, "opening it");
    }
    if (opened == null) {
      throw new IllegalArgumentException(who + ": the plugin's factory opened no model (null)");
    }
    return opened;
  }

  /**
   * A plugin's failure to make a component, as the user sees it: a bad setting ({@link
   * IllegalArgumentException}) keeps its message, with the component named first when the plugin
   * did not name it; any other exception is a fault of the plugin's code, named with the component,
   * the exception and the frame that threw it (a NullPointerException's message alone named
   * nothing). Exceptions that name their own problem ({@link io.dime.api.ModelException}, {@link
   * io.dime.api.InputException}) pass as they are.
   */
  private static RuntimeException pluginFailure(
      RuntimeException e, String component, String who, String doing) {
    if (e instanceof io.dime.api.ModelException || e instanceof io.dime.api.InputException) {
      return e;
    }
    if (e instanceof IllegalArgumentException) {
      String message = String.valueOf(e.getMessage());
      return message.contains(component)
          ? e
          : new IllegalArgumentException(who + ": " + message, e);
    }
    return new IllegalArgumentException(
        who + ": " + doing + " failed: " + io.dime.core.infer.PluginErrors.describe(e), e);
  }

  private static <F> F find(Map<String, F> map, String name, String kind) {
    F f = map.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "no " + kind + " '" + name + "'; available: " + map.keySet());
    }
    return f;
  }

  /** A listing for {@code dime plugins}. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (DimePlugin p : plugins) {
      sb.append(p.name())
          .append(' ')
          .append(p.version())
          .append(" (")
          .append(p.getClass().getName())
          .append(")\n");
      p.modalities().forEach(f -> sb.append("  modality       ").append(f.name()).append('\n'));
      p.modelAdapters().forEach(f -> sb.append("  model adapter  ").append(f.name()).append('\n'));
      p.surrogates().forEach(f -> sb.append("  surrogate      ").append(f.name()).append('\n'));
    }
    return sb.toString();
  }
}
