package io.dime.core.infer;

/**
 * Words for the failures of plugin code (a modality's check, featurizer, feature set or encoder, a
 * surrogate) that the engine reports as one record's error: the engine's own code, not an API.
 */
public final class PluginErrors {
  private PluginErrors() {}

  /**
   * An exception in words: its class, its message, and the frame that threw it, e.g. {@code
   * java.lang.NullPointerException: name is null (at com.acme.Foo.bar(Foo.java:12))}.
   */
  public static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder(t.getClass().getName());
    if (t.getMessage() != null && !t.getMessage().isBlank()) {
      sb.append(": ").append(t.getMessage().strip());
    }
    StackTraceElement[] trace = t.getStackTrace();
    if (trace.length > 0) {
      sb.append(" (at ").append(trace[0]).append(')');
    }
    return sb.toString();
  }
}
