package io.dime.modality.image;

import io.dime.spi.PluginConfig;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the image settings that take one number or a list of them ({@code mean}, {@code std},
 * {@code fill}, {@code resize}, {@code centerCrop}), failing with a message that names the setting
 * and says what it needs.
 */
final class ListSettings {
  private final PluginConfig config;

  ListSettings(PluginConfig config) {
    this.config = config;
  }

  /**
   * One number per channel of the encoded tensor ({@code mean}, {@code std}): a list of 3, or one
   * number for all; one number with one channel.
   */
  double[] perChannel(String key, double dflt, int channels) {
    Object raw = config.get(key).orElse(null);
    if (channels == 1 && raw instanceof List<?> list && list.size() != 1) {
      throw bad(
          "setting '"
              + key
              + "' needs one number with channelOrder grey (one channel), found "
              + list.size());
    }
    double[] v;
    if (raw == null) {
      v = new double[] {dflt, dflt, dflt};
    } else if (raw instanceof Number n) {
      v = new double[] {n.doubleValue(), n.doubleValue(), n.doubleValue()};
    } else if (!(raw instanceof List<?>)) {
      throw bad(
          "setting '"
              + key
              + "' needs "
              + (channels == 1 ? "one number" : "one number per channel (3) or one for all")
              + ", found '"
              + raw
              + "'");
    } else {
      v = config.getDoubles(key).orElseThrow();
      if (v.length == 1) {
        v = new double[] {v[0], v[0], v[0]};
      }
    }
    if (v.length != 3) {
      throw bad(
          "setting '"
              + key
              + "' needs one number per channel (3) or one for all, found "
              + v.length
              + ": "
              + Arrays.toString(v));
    }
    for (double x : v) {
      if (!Double.isFinite(x)) {
        throw bad("setting '" + key + "' must be finite: " + Arrays.toString(v));
      }
    }
    return v;
  }

  /** The constant perturber's colour: [red, green, blue] or one grey level, 0 to 255. */
  int[] fill() {
    Object raw = config.get("fill").orElse(null);
    double[] v;
    if (raw == null) {
      return new int[] {0, 0, 0};
    } else if (raw instanceof Number n) {
      v = new double[] {n.doubleValue(), n.doubleValue(), n.doubleValue()};
    } else if (raw instanceof List<?>) {
      v = config.getDoubles("fill").orElseThrow();
    } else {
      throw bad("setting 'fill' needs [red, green, blue] or one grey level, found '" + raw + "'");
    }
    if (v.length != 3) {
      throw bad("setting 'fill' needs [red, green, blue] or one grey level, found " + raw);
    }
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      if (!(v[i] >= 0 && v[i] <= 255) || v[i] != Math.rint(v[i])) {
        throw bad("setting 'fill' needs whole numbers from 0 to 255, found " + raw);
      }
      out[i] = (int) v[i];
    }
    return out;
  }

  /** A size: [width, height] or one number; null when not set. */
  ImageSettings.Dims dims(String key, Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof Number n) {
      int s = whole(key, n, raw);
      return new ImageSettings.Dims(s, s);
    }
    if (raw instanceof List<?> list && list.size() == 2) {
      if (list.get(0) instanceof Number w && list.get(1) instanceof Number h) {
        return new ImageSettings.Dims(whole(key, w, raw), whole(key, h, raw));
      }
    }
    throw bad(
        "setting '"
            + key
            + "' must be [width, height] or one number"
            + (key.equals("resize") ? " (the shorter side)" : " (a square)")
            + ", found '"
            + raw
            + "'");
  }

  private int whole(String key, Number n, Object raw) {
    double d = n.doubleValue();
    if (!(d >= 1) || d != Math.rint(d) || d > ImageSettings.MAX_SIDE) {
      throw bad(
          "setting '"
              + key
              + "' needs whole numbers from 1 to "
              + ImageSettings.MAX_SIDE
              + ", found '"
              + raw
              + "'");
    }
    return (int) d;
  }

  private IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(config.component() + ": " + message);
  }
}
