package io.dime.spi;

import java.util.List;

/**
 * The one entry point of a plugin jar, listed in {@code META-INF/services/io.dime.spi.DimePlugin}
 * and found by {@link java.util.ServiceLoader}. A plugin contributes factories; each getter
 * defaults to none.
 *
 * <p>Factory names are stable lower_snake identifiers; two factories of one kind with the same name
 * (from any plugins) fail at start with a message naming both plugins.
 *
 * @since 0.1
 */
public interface DimePlugin {
  /**
   * Stable lower_snake name of the plugin, e.g. {@code "image"}, shown in provenance and in
   * messages about duplicate factories. Never null.
   */
  String name();

  /**
   * Version shown in provenance; defaults to the jar's {@code Implementation-Version}, else {@code
   * "dev"}. Never null.
   */
  default String version() {
    String v =
        getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Modality factories; none by default. Never null. */
  default List<ModalityFactory> modalities() {
    return List.of();
  }

  /** Model adapter factories; none by default. Never null. */
  default List<ModelAdapterFactory> modelAdapters() {
    return List.of();
  }

  /** Surrogate factories; none by default. Never null. */
  default List<SurrogateFactory> surrogates() {
    return List.of();
  }
}
