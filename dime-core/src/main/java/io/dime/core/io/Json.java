package io.dime.core.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.FeatureMap;
import io.dime.api.Provenance;
import io.dime.api.RecordError;
import io.dime.api.Term;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The one Jackson configuration, and the one mapping of the api records: records serialise by their
 * components, map keys are sorted (the same seed gives byte-identical JSON), Optional is written as
 * its value or null, no polymorphic typing is ever enabled. The same mapping writes and reads
 * {@code explanations.jsonl}: {@link #line(Object)} and {@link #readResult(String)}.
 *
 * <p>Special forms: a {@link Term} is its key ("g12"); a {@link Provenance} is one flat object
 * ({@link Provenance#toMap()}); a {@link RecordError} is {@code {"schemaVersion", "id", "line",
 * "error": {"stage", "message"}}} with a null id when the record's id could not be read; a {@link
 * FeatureMap} is an object with its {@code kind} ({@code FeatureMapJson}).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(apiModule())
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          // Schubfach writing and FastDoubleParser reading: the same doubles back, the shortest
          // text
          // that gives them on every JDK (17's Double.toString is sometimes longer), 2-4x faster
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // an int or long field refuses a number with a fraction (Jackson's default cuts 3.7 to
          // 3), as SummaryJson and FeatureMapJson read integers
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  private Json() {}

  private static SimpleModule apiModule() {
    SimpleModule m = new SimpleModule("dime");
    m.addSerializer(Term.class, new ToStringSerializer());
    m.addDeserializer(Term.class, new TermDeserializer());
    m.addSerializer(Provenance.class, new ProvenanceSerializer());
    m.addDeserializer(Provenance.class, new ProvenanceDeserializer());
    m.addSerializer(RecordError.class, new RecordErrorSerializer());
    m.addSerializer(FeatureMap.class, new FeatureMapJson.Serializer());
    m.addDeserializer(FeatureMap.class, new FeatureMapJson.Deserializer());
    return m;
  }

  /** The shared mapper (thread-safe; do not reconfigure). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** One compact line. */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Indented. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /**
   * One line of {@code explanations.jsonl} as the record it was written from: a {@link RecordError}
   * for an error line, else an {@link Explanation}.
   *
   * @throws IOException when the line is not JSON or not one of the two forms (the message says
   *     which field is wrong)
   */
  public static ExplainResult readResult(String line) throws IOException {
    JsonNode n = MAPPER.readTree(line);
    if (n == null || !n.isObject()) {
      throw new IOException("not a JSON object");
    }
    if (n.has("error")) {
      return recordError(n);
    }
    return MAPPER.treeToValue(n, Explanation.class);
  }

  /** One explanation line, read straight into an {@link Explanation} (no tree in between). */
  public static Explanation readExplanation(String line) throws IOException {
    return MAPPER.readValue(line, Explanation.class);
  }

  private static RecordError recordError(JsonNode n) throws IOException {
    JsonNode id = n.get("id");
    JsonNode err = n.get("error");
    if (err == null || !err.isObject() || !err.path("stage").isTextual()) {
      throw new IOException("'error' must be an object with a 'stage' and a 'message'");
    }
    return new RecordError(
        id == null || id.isNull() ? Optional.empty() : Optional.of(id.asText()),
        lineNumber(n.get("line")),
        err.path("stage").asText(),
        err.path("message").asText(""));
  }

  /** An error line's manifest line: 0 when absent, else a whole number that fits an int. */
  private static int lineNumber(JsonNode line) throws IOException {
    if (line == null || line.isNull()) {
      return 0;
    }
    if (!line.isIntegralNumber() || !line.canConvertToInt()) {
      throw new IOException("'line' must be an integer, found " + line);
    }
    return line.intValue();
  }

  private static final class TermDeserializer extends JsonDeserializer<Term> {
    @Override
    public Term deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String key = p.getValueAsString();
      if (key == null) {
        return (Term) ctxt.handleUnexpectedToken(Term.class, p);
      }
      return Term.parse(key)
          .orElseThrow(
              () ->
                  new com.fasterxml.jackson.databind.exc.InvalidFormatException(
                      p, "not a term key: '" + key + "'", key, Term.class));
    }
  }

  private static final class ProvenanceSerializer extends JsonSerializer<Provenance> {
    @Override
    public void serialize(Provenance value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      serializers.defaultSerializeValue(value.toMap(), gen);
    }
  }

  private static final class ProvenanceDeserializer extends JsonDeserializer<Provenance> {
    @Override
    public Provenance deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Map<String, Object> m = p.readValueAs(new TypeReference<Map<String, Object>>() {});
      try {
        return Provenance.fromMap(m);
      } catch (IllegalArgumentException e) {
        throw new com.fasterxml.jackson.databind.exc.InvalidFormatException(
            p, e.getMessage(), m, Provenance.class);
      }
    }
  }

  private static final class RecordErrorSerializer extends JsonSerializer<RecordError> {
    @Override
    public void serialize(RecordError value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeStartObject();
      gen.writeNumberField("schemaVersion", Explanation.SCHEMA_VERSION);
      if (value.id().isPresent()) {
        gen.writeStringField("id", value.id().get());
      } else {
        gen.writeNullField("id");
      }
      gen.writeNumberField("line", value.line());
      gen.writeObjectFieldStart("error");
      gen.writeStringField("stage", value.stage());
      gen.writeStringField("message", value.message());
      gen.writeEndObject();
      gen.writeEndObject();
    }
  }
}
