package io.dime.spi;

/**
 * Opens models of one kind ({@code onnx}, {@code oip}).
 *
 * @since 0.1
 */
public interface ModelAdapterFactory {
  /** Stable lower_snake name used in {@code --model NAME:LOCATION}. Never null. */
  String name();

  /**
   * Opens a model.
   *
   * @param location a file path or URL, as the adapter defines; not null
   * @param config adapter settings (threads, batch size), not null; unknown keys rejected
   * @return the open adapter, never null; the caller closes it
   * @throws IllegalArgumentException for an unknown or bad setting, naming it
   * @throws io.dime.api.ModelException if the model cannot be opened, naming the location
   */
  ModelAdapter open(String location, PluginConfig config);
}
