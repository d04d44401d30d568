package io.dime.core.infer;

/**
 * The advice that ends every message about inputs too large for the JVM's heap (the reference
 * pool's encodings, a manifest's records), in one place so that the messages say it alike.
 */
public final class HeapAdvice {
  /** How to give the JVM more heap, through the launcher or directly. */
  public static final String MORE_HEAP =
      "give the JVM more heap (-Xmx; the dime launcher reads DIME_JAVA_OPTS, default -Xmx4g)";

  private HeapAdvice() {}
}
