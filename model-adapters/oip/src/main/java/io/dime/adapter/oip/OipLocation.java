package io.dime.adapter.oip;

import io.dime.api.ModelException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a served model is: the server's base address, the model's name and, optionally, its
 * version, parsed from {@code http://HOST:PORT[/PREFIX]/v2/models/NAME[/versions/VERSION]}.
 *
 * <p>The parse is strict: the scheme is http or https, the host is given, no user name, query or
 * fragment, and the path ends in {@code /v2/models/NAME} or {@code /v2/models/NAME/versions/V}
 * (nothing after, not even a slash). A path before {@code /v2} (a gateway's prefix) is kept.
 *
 * @param given the location as given, for messages and provenance
 * @param base the server's address up to (not including) {@code /v2}
 * @param model the model's name
 * @param version the model's version, when the location names one
 */
record OipLocation(String given, String base, String model, Optional<String> version) {
  /** Names and versions: letters, digits, '_', '-' and '.', not starting with '.' or '-'. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

  private static final String MODELS = "/v2/models/";
  private static final String VERSIONS = "/versions/";

  /** The expected form, for messages. */
  static final String FORM =
      "http://HOST:PORT/v2/models/NAME or http://HOST:PORT/v2/models/NAME/versions/VERSION";

  /**
   * Parses a location.
   *
   * @throws ModelException naming the location and what is wrong with it
   */
  static OipLocation parse(String location) {
    if (location.isBlank()) {
      throw bad(location, "it is empty");
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw bad(location, "it is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw bad(location, "the scheme must be http or https");
    }
    if (uri.getHost() == null) {
      throw bad(location, "it names no host");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      // else each request failed, and was sent again, with "port out of range:99999"
      throw bad(location, "its port " + uri.getPort() + " is not one: a port is 1 to 65535");
    }
    if (uri.getRawUserInfo() != null) {
      throw bad(location, "it holds a user name; credentials do not belong in a model location");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw bad(location, "it has a query or fragment ('?' or '#')");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int at = path.indexOf(MODELS);
    if (at < 0 || path.indexOf(MODELS, at + 1) >= 0) {
      throw bad(location, "its path must hold '/v2/models/' once, found '" + path + "'");
    }
    String rest = path.substring(at + MODELS.length());
    String model = rest;
    String version = null;
    int v = rest.indexOf(VERSIONS);
    if (v >= 0) {
      model = rest.substring(0, v);
      version = rest.substring(v + VERSIONS.length());
      checkName(location, "version", version);
    }
    checkName(location, "model name", model);
    String authority = uri.getRawAuthority();
    String base = scheme + "://" + authority + path.substring(0, at);
    return new OipLocation(location, base, model, Optional.ofNullable(version));
  }

  private static void checkName(String location, String what, String name) {
    if (name.isEmpty()) {
      throw bad(location, "the " + what + " is empty");
    }
    if (!NAME.matcher(name).matches()) {
      throw bad(
          location,
          "the "
              + what
              + " '"
              + name
              + "' may hold letters, digits, '_', '-' and '.' only (and no '/' after it)");
    }
  }

  private static ModelException bad(String location, String why) {
    return new ModelException(
        "model location '"
            + location
            + "' is not an OIP model address: "
            + why
            + "; expected "
            + FORM);
  }

  /** {@code /v2/models/NAME[/versions/V]} on the server. */
  URI metadataUri() {
    return URI.create(base + MODELS + model + version.map(v -> VERSIONS + v).orElse(""));
  }

  /** The model's inference route. */
  URI inferUri() {
    return URI.create(metadataUri() + "/infer");
  }

  /** The model's readiness route. */
  URI modelReadyUri() {
    return URI.create(metadataUri() + "/ready");
  }

  /** The server's readiness route. */
  URI serverReadyUri() {
    return URI.create(base + "/v2/health/ready");
  }

  /** The server's metadata route. */
  URI serverUri() {
    return URI.create(base + "/v2");
  }

  @Override
  public String toString() {
    return given;
  }
}
