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
   * @param config adapter settings, not null; unknown keys rejected. The {@code dime} command line
   *     passes only these, each only when its option is given: {@code concurrency} (an int, from
   *     {@code --model-concurrency}: calls the engine may make at once), {@code timeoutSeconds} (a
   *     number, {@code --model-timeout}), {@code retries} (an int, {@code --model-retries}) and
   *     {@code maxResponseMegabytes} ({@code --model-max-response-mb}); an adapter that rejects one
   *     makes its option an error naming the option, and none reaches it otherwise (a model's own
   *     settings belong in the location, e.g. a file the adapter reads)
   * @return the open adapter, never null; the caller closes it
   * @throws IllegalArgumentException for an unknown or bad setting, naming it
   * @throws io.dime.api.ModelException if the model cannot be opened, naming the location
   */
  ModelAdapter open(String location, PluginConfig config);
}
