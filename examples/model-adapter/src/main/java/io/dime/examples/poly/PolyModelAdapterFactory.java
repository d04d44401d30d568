package io.dime.examples.poly;

import io.dime.api.ModelException;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens {@code poly} models: {@code --model poly:PATH} on the command line, or {@code
 * PluginRegistry.load(dirs).modelAdapter("poly").open(path, config)} in code.
 *
 * <p>What a {@link ModelAdapterFactory} must do:
 *
 * <ul>
 *   <li>{@link #name()}: a stable lower_snake name. It is the {@code NAME} of {@code --model
 *       NAME:LOCATION}; two factories of one name, from any plugins, fail at start.
 *   <li>{@link #open}: check the settings first, with {@link PluginConfig#requireKnown}, so that a
 *       typo fails instead of being ignored. A bad setting is an {@link IllegalArgumentException}
 *       naming it. Then load everything the model needs and check it <em>now</em>: a model that
 *       cannot run must fail here, as a {@link ModelException} whose message names the location and
 *       what is wrong with it, not on the first record. Return an open adapter; the caller closes
 *       it.
 * </ul>
 *
 * <p>Settings. The {@code dime} command line passes an adapter at most {@code concurrency} ({@code
 * --model-concurrency}), {@code timeoutSeconds}, {@code retries} and {@code maxResponseMegabytes},
 * each only when its option is given. An adapter takes the ones that mean something for it and
 * rejects the others, which makes their options an error naming the option. This adapter takes
 * {@value #CONCURRENCY}, the most {@code run} calls that compute at once (all when not set), and
 * rejects the rest: it runs in process, so it has no time-outs, retries or responses. Its model's
 * own parameters are in the model file, not in settings.
 */
public final class PolyModelAdapterFactory implements ModelAdapterFactory {
  /** The adapter's name, {@value}. */
  public static final String NAME = "poly";

  /** The one setting: the most runs at once, a whole number of at least 1. */
  public static final String CONCURRENCY = "concurrency";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Opens the model file at {@code location}.
   *
   * @param location the path of a {@code .properties} model file (see {@link PolyModel})
   * @param config the settings: {@value #CONCURRENCY} only
   * @throws IllegalArgumentException for an unknown setting or a concurrency below 1, naming it
   * @throws ModelException when the file cannot be read or is not a valid model, naming the file
   */
  @Override
  public ModelAdapter open(String location, PluginConfig config) {
    config.requireKnown(Set.of(CONCURRENCY));
    int concurrency = config.getInt(CONCURRENCY, 0);
    if (config.get(CONCURRENCY).isPresent() && concurrency < 1) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + CONCURRENCY
              + "' must be at least 1; found "
              + concurrency);
    }
    PolyModel model = PolyModel.parse(location, read(location));
    return new PolyModelAdapter(location, model, concurrency);
  }

  /** The file's bytes; a missing or unreadable file is a ModelException naming it. */
  private static byte[] read(String location) {
    try {
      return Files.readAllBytes(Path.of(location));
    } catch (NoSuchFileException e) {
      throw new ModelException("cannot read poly model '" + location + "': no such file", e);
    } catch (IOException | InvalidPathException e) {
      throw new ModelException("cannot read poly model '" + location + "': " + e, e);
    }
  }
}
