package io.dime.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Versions and digests for provenance. */
public final class Versions {
  private Versions() {}

  /** This library's version (from the jar manifest), or "dev". */
  public static String dime() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Versions of the libraries an explanation depends on. */
  public static java.util.Map<String, String> libraries() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("java", System.getProperty("java.version"));
    m.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    m.put("ejml", org.ejml.EjmlVersion.VERSION);
    String guice = com.google.inject.Guice.class.getPackage().getImplementationVersion();
    if (guice == null) {
      guice = bundleVersion(com.google.inject.Guice.class); // Guice's manifest has only this
    }
    m.put("guice", guice == null ? "unknown" : guice);
    return m;
  }

  /** The OSGi Bundle-Version of the jar {@code type} was loaded from, or null. */
  static String bundleVersion(Class<?> type) {
    try {
      java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path jar = Path.of(source.getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        return null;
      }
      try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
        java.util.jar.Manifest mf = f.getManifest();
        return mf == null ? null : mf.getMainAttributes().getValue("Bundle-Version");
      }
    } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
      return null; // a version is provenance, never a reason to fail
    }
  }

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of a file's bytes. */
  public static String sha256(Path file) throws java.io.IOException {
    try (var in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
