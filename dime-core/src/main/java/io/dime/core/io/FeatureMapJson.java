package io.dime.core.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.dime.api.FeatureMap;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of a {@link FeatureMap}, as {@code explanations.jsonl} holds it under {@code
 * featureMaps} (documented in {@code docs/schema/explanations.schema.json}):
 *
 * <ul>
 *   <li>{@code {"kind": "pixels", "width": W, "height": H, "encoding": "rle", "runs": [label,
 *       length, ...]}}
 *   <li>{@code {"kind": "spans", "length": N, "spans": [[begin, end], ...]}} (code points)
 *   <li>{@code {"kind": "windows", "channels": C, "length": N, "windows": [[channel, start, end],
 *       ...]}}
 *   <li>{@code {"kind": "entries", "length": N, "entries": [index, ...]}}
 * </ul>
 *
 * Reading checks every field and names the one that is wrong.
 */
final class FeatureMapJson {
  /** The only encoding of an image map so far: run-length pairs. */
  static final String RLE = "rle";

  private FeatureMapJson() {}

  static final class Serializer extends JsonSerializer<FeatureMap> {
    @Override
    public void serialize(FeatureMap value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeStartObject();
      gen.writeStringField("kind", value.kind());
      if (value instanceof FeatureMap.Pixels p) {
        gen.writeNumberField("width", p.width());
        gen.writeNumberField("height", p.height());
        gen.writeStringField("encoding", RLE);
        gen.writeFieldName("runs");
        int[] runs = p.runs();
        gen.writeArray(runs, 0, runs.length);
      } else if (value instanceof FeatureMap.Spans s) {
        gen.writeNumberField("length", s.length());
        gen.writeArrayFieldStart("spans");
        writeTuples(gen, s.begins(), s.ends());
        gen.writeEndArray();
      } else if (value instanceof FeatureMap.Windows w) {
        gen.writeNumberField("channels", w.channelCount());
        gen.writeNumberField("length", w.length());
        gen.writeArrayFieldStart("windows");
        writeTuples(gen, w.channels(), w.starts(), w.ends());
        gen.writeEndArray();
      } else if (value instanceof FeatureMap.Entries e) {
        gen.writeNumberField("length", e.length());
        gen.writeFieldName("entries");
        int[] indices = e.indices();
        gen.writeArray(indices, 0, indices.length);
      }
      gen.writeEndObject();
    }

    private static void writeTuples(JsonGenerator gen, int[]... columns) throws IOException {
      int[] row = new int[columns.length];
      for (int i = 0; i < columns[0].length; i++) {
        for (int c = 0; c < columns.length; c++) {
          row[c] = columns[c][i];
        }
        gen.writeArray(row, 0, row.length);
      }
    }
  }

  static final class Deserializer extends JsonDeserializer<FeatureMap> {
    @Override
    public FeatureMap deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode n = p.readValueAsTree();
      try {
        return read(n);
      } catch (IllegalArgumentException e) {
        throw new InvalidFormatException(
            p, "bad feature map: " + e.getMessage(), n, FeatureMap.class);
      }
    }
  }

  /** The map a JSON object describes. */
  static FeatureMap read(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("expected an object with a 'kind'");
    }
    String kind = n.path("kind").asText("");
    return switch (kind) {
      case FeatureMap.Pixels.KIND -> {
        fields(n, "kind", "width", "height", "encoding", "runs");
        if (!RLE.equals(n.path("encoding").asText(null))) {
          throw new IllegalArgumentException(
              "'encoding' is " + n.get("encoding") + "; only \"rle\" is known");
        }
        yield new FeatureMap.Pixels(
            integer(n, "width"), integer(n, "height"), integers(n.get("runs"), "runs"));
      }
      case FeatureMap.Spans.KIND -> {
        fields(n, "kind", "length", "spans");
        int[][] t = tuples(n.get("spans"), "spans", 2);
        yield new FeatureMap.Spans(integer(n, "length"), t[0], t[1]);
      }
      case FeatureMap.Windows.KIND -> {
        fields(n, "kind", "channels", "length", "windows");
        int[][] t = tuples(n.get("windows"), "windows", 3);
        yield new FeatureMap.Windows(
            integer(n, "channels"), integer(n, "length"), t[0], t[1], t[2]);
      }
      case FeatureMap.Entries.KIND -> {
        fields(n, "kind", "length", "entries");
        yield new FeatureMap.Entries(integer(n, "length"), integers(n.get("entries"), "entries"));
      }
      default ->
          throw new IllegalArgumentException(
              "'kind' is "
                  + n.get("kind")
                  + "; expected one of "
                  + List.of(
                      FeatureMap.Pixels.KIND,
                      FeatureMap.Spans.KIND,
                      FeatureMap.Windows.KIND,
                      FeatureMap.Entries.KIND));
    };
  }

  private static void fields(JsonNode n, String... expected) {
    Set<String> allowed = Set.of(expected);
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new IllegalArgumentException(
            "unknown field '" + f + "' in a " + n.get("kind") + " map");
      }
    }
    for (String f : expected) {
      if (!n.has(f)) {
        throw new IllegalArgumentException("a " + n.get("kind") + " map needs '" + f + "'");
      }
    }
  }

  private static int integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("'" + field + "' must be an integer, found " + v);
    }
    return v.intValue();
  }

  private static int[] integers(JsonNode a, String field) {
    if (!a.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array of integers");
    }
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new IllegalArgumentException(
            "'" + field + "'[" + i + "] must be an integer, found " + v);
      }
      out[i] = v.intValue();
    }
    return out;
  }

  /** Columns of an array of equal-length integer arrays. */
  private static int[][] tuples(JsonNode a, String field, int width) {
    if (!a.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array");
    }
    int[][] out = new int[width][a.size()];
    for (int i = 0; i < a.size(); i++) {
      int[] row = integers(a.get(i), field + "[" + i + "]");
      if (row.length != width) {
        throw new IllegalArgumentException(
            "'" + field + "'[" + i + "] has " + row.length + " numbers; expected " + width);
      }
      for (int c = 0; c < width; c++) {
        out[c][i] = row[c];
      }
    }
    return out;
  }
}
