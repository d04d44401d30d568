package io.dime.adapter.oip;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.dime.api.ModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an inference response: every output's name, datatype, shape and data, whether the data is a
 * flat array, nested arrays (one level per dimension) or binary (the binary tensor extension).
 * Numbers are read as the output's datatype says, FP32 straight to float, FP16 and BF16 (2 bytes
 * little-endian in binary) to the float the half holds, so a value survives the trip exactly.
 */
final class OipResponse {
  /**
   * One output as the server sent it: FP32, FP64, FP16 and BF16 data in {@code floats} (FP16 and
   * BF16 exactly), INT32 and INT64 in {@code longs}; neither for a datatype this adapter does not
   * read (BOOL, BYTES, ...), kept by name and datatype so that a requested output answered so is
   * refused naming its datatype.
   */
  record Output(String name, String datatype, long[] shape, float[] floats, long[] longs) {
    /** The number of elements the data holds (0 for a datatype this adapter does not read). */
    int size() {
      return floats != null ? floats.length : longs != null ? longs.length : 0;
    }
  }

  private final String prefix;
  private final Map<String, Output> outputs = new LinkedHashMap<>();
  private String id;

  private OipResponse(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Reads a response body.
   *
   * @param prefix the start of messages ("model 'LOCATION': ")
   * @param body the body
   * @param jsonLength the length of the JSON part when binary outputs follow it, or -1
   * @return the outputs by name
   * @throws ModelException for a body that is not a response, or data this adapter cannot read
   */
  static Map<String, Output> read(String prefix, byte[] body, int jsonLength, String requestId) {
    OipResponse r = new OipResponse(prefix);
    int end = jsonLength < 0 ? body.length : jsonLength;
    if (end > body.length) {
      throw r.fail(
          "the response says its JSON part has "
              + jsonLength
              + " bytes, but the body has "
              + body.length);
    }
    List<Pending> binary = new ArrayList<>();
    try (JsonParser p = OipClient.JSON.getFactory().createParser(body, 0, end)) {
      r.readDocument(p, binary);
    } catch (IOException e) {
      if (e instanceof JsonEOFException || endedAt(e, end)) {
        // a body cut short (the connection closed mid-answer) or a JSON part shorter than its
        // header says
        throw r.fail(
            jsonLength < 0
                ? "the response body ended early after " + end + " bytes, inside its JSON"
                : "the response's JSON part ended early after "
                    + end
                    + " bytes (the length its header "
                    + OipClient.HEADER_LENGTH
                    + " gives)");
      }
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw r.fail("the response is not the protocol's JSON: " + why);
    }
    if (r.id != null && !r.id.equals(requestId)) {
      throw r.fail("the response's id is '" + r.id + "', the request's '" + requestId + "'");
    }
    r.readBinary(body, end, binary);
    return r.outputs;
  }

  /** Whether the parser failed for want of more input: at the end of the {@code end} bytes. */
  private static boolean endedAt(IOException e, int end) {
    return e instanceof JsonProcessingException j
        && j.getLocation() != null
        && j.getLocation().getByteOffset() >= end;
  }

  /** An output whose data follows the JSON part. */
  private record Pending(String name, String datatype, long[] shape, long bytes) {}

  private void readDocument(JsonParser p, List<Pending> binary) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw fail("the response is not a JSON object");
    }
    boolean sawOutputs = false;
    String error = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("id") && value != JsonToken.VALUE_NULL) {
        if (!value.isScalarValue()) {
          throw fail("the response's id is not a string but " + value);
        }
        id =
            p.getText(); // a number too: a server that echoes the id as one is checked all the same
      } else if (field.equals("outputs") && value == JsonToken.START_ARRAY) {
        sawOutputs = true;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          readOutput(p, binary);
        }
      } else if (field.equals("error") && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
        error = p.getText();
      } else {
        p.skipChildren();
      }
    }
    if (!sawOutputs) {
      // a server that reports a failure with HTTP 200 and the protocol's error object: its text
      throw fail(
          "the response has no 'outputs'"
              + (error == null ? "" : "; its error: " + OipClient.shorten(error.strip())));
    }
  }

  private void readOutput(JsonParser p, List<Pending> binary) throws IOException {
    String name = null;
    String datatype = null;
    long[] shape = null;
    long binarySize = -1;
    Numbers data = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> name = p.getValueAsString();
        case "datatype" -> datatype = p.getValueAsString();
        case "shape" -> shape = readShape(p);
        case "parameters" -> binarySize = readBinarySize(p);
        case "data" -> {
          data = new Numbers(name, datatype);
          data.read(p);
        }
        default -> p.skipChildren();
      }
    }
    if (name == null || datatype == null || shape == null) {
      throw fail("an output of the response lacks its name, datatype or shape");
    }
    if (binarySize >= 0) {
      binary.add(new Pending(name, datatype, shape, binarySize));
      return;
    }
    if (data == null) {
      throw fail("output '" + name + "' of the response has neither data nor binary_data_size");
    }
    put(data.finish(name, datatype, shape));
  }

  private long[] readShape(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw fail("a shape in the response is not an array");
    }
    List<Long> dims = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
        throw fail("a shape in the response holds " + p.getText() + ", not a size");
      }
      dims.add(p.getLongValue());
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static long readBinarySize(JsonParser p) throws IOException {
    long size = -1;
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return size;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("binary_data_size")) {
        size = p.getValueAsLong(-1);
      } else {
        p.skipChildren();
      }
    }
    return size;
  }

  private void readBinary(byte[] body, int from, List<Pending> pending) {
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int at = from;
    for (Pending o : pending) {
      if (o.bytes() > body.length - at) {
        throw fail(
            String.format(
                "output '%s' has binary_data_size %d; %d bytes are left in the body",
                o.name(), o.bytes(), body.length - at));
      }
      if (OipDatatypes.outputType(o.datatype()) == null) {
        put(new Output(o.name(), o.datatype(), o.shape(), null, null)); // not read: its datatype
        at += (int) o.bytes();
        continue;
      }
      int width = OipDatatypes.bytes(o.datatype());
      long elements = elements(o.name(), o.shape());
      if (o.bytes() != elements * width) {
        throw fail(
            String.format(
                "output '%s' has binary_data_size %d for shape %s of %s (%d bytes expected; %d"
                    + " bytes left in the body)",
                o.name(),
                o.bytes(),
                Arrays.toString(o.shape()),
                o.datatype(),
                elements * width,
                body.length - at));
      }
      int n = (int) elements;
      b.position(at);
      float[] floats = null;
      long[] longs = null;
      switch (o.datatype()) {
        case OipDatatypes.FP32 -> b.asFloatBuffer().get(floats = new float[n]);
        case OipDatatypes.FP64 -> {
          floats = new float[n];
          for (int i = 0; i < n; i++) {
            double v = b.getDouble(at + i * 8);
            floats[i] = (float) v;
            if (Float.isInfinite(floats[i]) && Double.isFinite(v)) {
              throw fail(beyondFloat(o.name(), o.datatype(), Double.toString(v)));
            }
          }
        }
        case OipDatatypes.FP16, OipDatatypes.BF16 -> {
          floats = new float[n];
          for (int i = 0; i < n; i++) {
            floats[i] = OipDatatypes.fromHalf(o.datatype(), b.getShort(at + i * 2));
          }
        }
        case OipDatatypes.INT64 -> b.asLongBuffer().get(longs = new long[n]);
        default -> {
          longs = new long[n];
          for (int i = 0; i < n; i++) {
            longs[i] = b.getInt(at + i * 4);
          }
        }
      }
      put(new Output(o.name(), o.datatype(), o.shape(), floats, longs));
      at += (int) o.bytes();
    }
  }

  private void put(Output o) {
    if (outputs.put(o.name(), o) != null) {
      throw fail("the response holds output '" + o.name() + "' twice");
    }
  }

  /**
   * The number of elements of an output's shape, refused when it is beyond what a response can hold
   * (a Java array's limit), so that {@code elements * width} does not overflow.
   */
  private long elements(String name, long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = d == 0 || n == 0 ? 0 : n > Integer.MAX_VALUE / d ? -1 : n * d;
      if (n < 0) {
        throw fail(
            "output '"
                + name
                + "' has shape "
                + Arrays.toString(shape)
                + ", more values than a response can hold");
      }
    }
    return n;
  }

  private ModelException fail(String message) {
    return new ModelException(prefix + message);
  }

  /**
   * "output 'NAME' (DATATYPE)" for messages, without what is not read yet (data may come before the
   * name and the datatype).
   */
  private static String subject(String name, String datatype) {
    String type = datatype == null ? "" : datatype;
    if (name != null) {
      return "output '" + name + "'" + (type.isEmpty() ? "" : " (" + type + ")");
    }
    return type.isEmpty() ? "an output" : "an output of datatype " + type;
  }

  /**
   * A finite number too large for the float DIME reads FP32 and FP64 outputs as: it would become an
   * infinity, and the record fail as "model returned Infinity", which the model did not.
   */
  private static String beyondFloat(String name, String datatype, String text) {
    return subject(name, datatype) + " holds " + text + ", beyond the range of a 32-bit float";
  }

  /** A JSON token that is not a number, in words. */
  private static String describe(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_NULL -> "null";
      case VALUE_TRUE, VALUE_FALSE -> p.getText();
      case VALUE_STRING -> "the text \"" + OipClient.shorten(p.getText()) + "\"";
      case START_OBJECT -> "an object";
      default -> t.toString();
    };
  }

  /**
   * The numbers of one {@code data} array, flattened in row-major order; kept as text until the
   * datatype is known when the data comes before it, and skipped for a datatype this adapter does
   * not read.
   */
  private final class Numbers {
    private final String name;
    private final String datatype;
    private float[] floats;
    private long[] longs;
    private List<String> texts;
    private int size;

    /**
     * @param name the output's name, or null when its data comes before it
     */
    Numbers(String name, String datatype) {
      this.name = name;
      this.datatype = datatype;
      if (datatype == null) {
        texts = new ArrayList<>();
      } else if (isFloat(datatype)) {
        floats = new float[64];
      } else {
        longs = new long[64];
      }
    }

    void read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw fail("the data of " + subject(name, datatype) + " is not an array");
      }
      if (datatype != null && OipDatatypes.outputType(datatype) == null) {
        p.skipChildren();
        return;
      }
      int depth = 1;
      while (depth > 0) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_ARRAY) {
          depth--;
        } else if (texts != null && t.isScalarValue()) {
          texts.add(p.getText());
        } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          add(p, t);
        } else {
          throw fail(
              subject(name, datatype) + " holds " + describe(p, t) + " where a number belongs");
        }
      }
    }

    private void add(JsonParser p, JsonToken t) throws IOException {
      if (floats != null) {
        if (size == floats.length) {
          floats = Arrays.copyOf(floats, size * 2);
        }
        float v =
            switch (datatype) {
              case OipDatatypes.FP32 -> p.getFloatValue();
              case OipDatatypes.FP16, OipDatatypes.BF16 -> onGrid(p.getFloatValue(), p.getText());
              default -> (float) p.getDoubleValue();
            };
        // the value's text, not getDoubleValue(), which gives back the float once read as one
        if (Float.isInfinite(v) && Double.isFinite(Double.parseDouble(p.getText()))) {
          throw fail(beyondFloat(name, datatype, p.getText()));
        }
        floats[size++] = v;
        return;
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw fail(subject(name, datatype) + " holds " + p.getText() + ", not an integer");
      }
      if (size == longs.length) {
        longs = Arrays.copyOf(longs, size * 2);
      }
      longs[size++] = p.getLongValue();
    }

    /** The output; without data for a datatype this adapter does not read. */
    Output finish(String name, String type, long[] shape) {
      if (OipDatatypes.outputType(type) == null) {
        return new Output(name, type, shape, null, null);
      }
      if (texts != null) {
        Numbers typed = new Numbers(name, type);
        typed.parseTexts(texts);
        return typed.finish(name, type, shape);
      }
      if (elements(name, shape) != size) {
        throw fail(
            String.format(
                "output '%s' has %d values for shape %s", name, size, Arrays.toString(shape)));
      }
      return new Output(
          name,
          type,
          shape,
          floats == null ? null : Arrays.copyOf(floats, size),
          longs == null ? null : Arrays.copyOf(longs, size));
    }

    private void parseTexts(List<String> values) {
      floats = floats == null ? null : new float[values.size()];
      longs = longs == null ? null : new long[values.size()];
      try {
        for (String v : values) {
          if (datatype.equals(OipDatatypes.FP16) || datatype.equals(OipDatatypes.BF16)) {
            floats[size] = onGrid(Float.parseFloat(v), v);
          } else if (floats != null) {
            double d = Double.parseDouble(v);
            floats[size] = datatype.equals(OipDatatypes.FP32) ? Float.parseFloat(v) : (float) d;
            if (Float.isInfinite(floats[size]) && Double.isFinite(d)) {
              throw fail(beyondFloat(name, datatype, v));
            }
          } else {
            longs[size] = Long.parseLong(v);
          }
          size++;
        }
      } catch (NumberFormatException e) {
        throw fail(
            subject(name, datatype)
                + " holds "
                + values.get(size)
                + (floats != null ? ", not a number" : ", not an integer"));
      }
    }

    /**
     * An FP16 or BF16 number as the value of the type nearest to it: exact for the value's exact
     * decimal or its shortest as a float, and for its shortest as a half (numpy writes 0.3333 for
     * the FP16 nearest 1/3).
     */
    private float onGrid(float v, String text) {
      if (!Float.isFinite(v)) {
        return v; // NaN and the infinities are the same in every width
      }
      try {
        return OipDatatypes.fromHalf(datatype, OipDatatypes.half(datatype, v, "", "", 0));
      } catch (ModelException e) {
        throw fail(subject(name, datatype) + " holds " + text + ", beyond its range");
      }
    }
  }

  private static boolean isFloat(String datatype) {
    return OipDatatypes.isFloat(datatype);
  }
}
