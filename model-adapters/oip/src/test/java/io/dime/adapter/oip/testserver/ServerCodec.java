package io.dime.adapter.oip.testserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.dime.adapter.oip.testserver.ServedModel.Data;
import io.dime.spi.Narrowing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The test server's side of the bodies: reads inference requests (flat or nested JSON data, or the
 * binary tensor extension) and writes responses (flat or nested JSON data, or binary).
 */
final class ServerCodec {
  static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  /** An output the request asks for, and whether as binary. */
  record Wanted(String name, boolean binary) {}

  /** A parsed request; {@code outputs} is empty when it names none. */
  record Request(String id, List<Data> inputs, List<Wanted> outputs) {}

  private ServerCodec() {}

  /** Reads a request; fails with IllegalArgumentException (a 400) on anything malformed. */
  static Request read(byte[] body, int jsonLength) throws IOException {
    int end = jsonLength < 0 ? body.length : jsonLength;
    String id = null;
    boolean allBinary = false;
    List<Object[]> inputs = new ArrayList<>(); // name, datatype, shape, values, binary size
    List<Wanted> outputs = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body, 0, end)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "the body is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "id" -> id = p.getText();
          case "parameters" -> allBinary = boolParameter(p, "binary_data_output");
          case "inputs" -> {
            expect(p.currentToken() == JsonToken.START_ARRAY, "'inputs' is not an array");
            while (p.nextToken() == JsonToken.START_OBJECT) {
              inputs.add(readInput(p));
            }
          }
          case "outputs" -> {
            expect(p.currentToken() == JsonToken.START_ARRAY, "'outputs' is not an array");
            while (p.nextToken() == JsonToken.START_OBJECT) {
              outputs.add(readWanted(p));
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    if (allBinary) {
      outputs.replaceAll(w -> new Wanted(w.name(), true));
    }
    List<Data> data = new ArrayList<>();
    ByteBuffer bin = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int at = end;
    for (Object[] in : inputs) {
      String name = (String) in[0];
      String datatype = (String) in[1];
      long[] shape = (long[]) in[2];
      long size = (Long) in[4];
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (size >= 0) {
        expect(at + size <= body.length, "input '" + name + "': binary data past the body's end");
        data.add(fromBinary(name, datatype, shape, bin, at, (int) n, size));
        at += (int) size;
      } else {
        expect(in[3] != null, "input '" + name + "' has no data");
        List<?> values = (List<?>) in[3];
        if (values.size() == 1 && values.get(0) instanceof float[] f) {
          data.add(new Data(name, datatype, shape, f, null, null));
        } else if (values.size() == 1 && values.get(0) instanceof long[] l) {
          data.add(new Data(name, datatype, shape, null, null, l));
        } else {
          data.add(typed(name, datatype, shape, values, n));
        }
      }
    }
    return new Request(id, data, outputs);
  }

  private static Object[] readInput(JsonParser p) throws IOException {
    String name = null;
    String datatype = null;
    long[] shape = null;
    List<Object> values = null;
    long binarySize = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> name = p.getText();
        case "datatype" -> datatype = p.getText();
        case "shape" -> {
          List<Long> dims = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            dims.add(p.getLongValue());
          }
          shape = dims.stream().mapToLong(Long::longValue).toArray();
        }
        case "parameters" -> binarySize = longParameter(p, "binary_data_size");
        case "data" -> {
          Object direct = shape == null ? null : direct(p, datatype, shape);
          if (direct != null) {
            values = List.of(direct);
          } else {
            values = new ArrayList<>();
            flatten(p, datatype, values);
          }
        }
        default -> p.skipChildren();
      }
    }
    expect(name != null && datatype != null && shape != null, "an input lacks name/datatype/shape");
    return new Object[] {name, datatype, shape, values, binarySize};
  }

  /**
   * The data straight into a float[] (FP32) or long[] (INT64) when the datatype and shape came
   * first, as they usually do; null (having read nothing) otherwise.
   */
  private static Object direct(JsonParser p, String datatype, long[] shape) throws IOException {
    boolean f32 = "FP32".equals(datatype);
    if (!f32 && !"INT64".equals(datatype)) {
      return null;
    }
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] floats = f32 ? new float[(int) n] : null;
    long[] longs = f32 ? null : new long[(int) n];
    expect(p.currentToken() == JsonToken.START_ARRAY, "'data' is not an array");
    int depth = 1;
    int at = 0;
    while (depth > 0) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        depth++;
      } else if (t == JsonToken.END_ARRAY) {
        depth--;
      } else {
        expect(t.isNumeric() && at < n, "'data' holds " + t + " or more than " + n + " values");
        if (f32) {
          floats[at++] = p.getFloatValue();
        } else {
          expect(t == JsonToken.VALUE_NUMBER_INT, "INT64 'data' holds " + p.getText());
          longs[at++] = p.getLongValue();
        }
      }
    }
    expect(at == n, "'data' has " + at + " values for " + n + " elements");
    return f32 ? floats : longs;
  }

  /** Appends every number of a (nested) array: floats as Float when FP32, else as text. */
  private static void flatten(JsonParser p, String datatype, List<Object> out) throws IOException {
    expect(p.currentToken() == JsonToken.START_ARRAY, "'data' is not an array");
    int depth = 1;
    while (depth > 0) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        depth++;
      } else if (t == JsonToken.END_ARRAY) {
        depth--;
      } else if ("FP32".equals(datatype) && t.isNumeric()) {
        out.add(p.getFloatValue());
      } else if ("BYTES".equals(datatype)) {
        expect(t == JsonToken.VALUE_STRING, "BYTES 'data' holds " + t + ", not a string");
        out.add(p.getText());
      } else {
        out.add(p.getText());
      }
    }
  }

  private static Data typed(String name, String datatype, long[] shape, List<?> v, long n) {
    expect(
        v.size() == n,
        "input '"
            + name
            + "' has "
            + v.size()
            + " values for shape "
            + java.util.Arrays.toString(shape));
    switch (datatype) {
      case "FP32" -> {
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
          Object o = v.get(i);
          f[i] = o instanceof Float x ? x : Float.parseFloat(o.toString());
        }
        return new Data(name, datatype, shape, f, null, null);
      }
      case "FP16", "BF16" -> { // the number must be a value of the type
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
          f[i] = Float.parseFloat(v.get(i).toString());
          expect(fromHalf(datatype, half(datatype, f[i])) == f[i], datatype + " holds " + v.get(i));
        }
        return new Data(name, datatype, shape, f, null, null);
      }
      case "FP64" -> {
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) {
          d[i] = Double.parseDouble(v.get(i).toString());
        }
        return new Data(name, datatype, shape, null, d, null);
      }
      case "INT64", "INT32" -> {
        long[] l = new long[v.size()];
        for (int i = 0; i < l.length; i++) {
          l[i] = Long.parseLong(v.get(i).toString());
        }
        return new Data(name, datatype, shape, null, null, l);
      }
      case "UINT8" -> {
        long[] l = new long[v.size()];
        for (int i = 0; i < l.length; i++) {
          l[i] = Long.parseLong(v.get(i).toString());
          expect(l[i] >= 0 && l[i] <= 255, "UINT8 input '" + name + "' holds " + l[i]);
        }
        return new Data(name, datatype, shape, null, null, l);
      }
      case "BOOL" -> {
        long[] l = new long[v.size()];
        for (int i = 0; i < l.length; i++) {
          String b = v.get(i).toString();
          // the protocol's JSON form of BOOL is true and false, not numbers
          expect(b.equals("true") || b.equals("false"), "BOOL input '" + name + "' holds " + b);
          l[i] = b.equals("true") ? 1 : 0;
        }
        return new Data(name, datatype, shape, null, null, l);
      }
      case "BYTES" -> {
        String[] texts = v.stream().map(Object::toString).toArray(String[]::new);
        return new Data(name, datatype, shape, null, null, null, texts);
      }
      default ->
          throw new IllegalArgumentException(
              "input '"
                  + name
                  + "': the test server takes FP32, FP64, FP16, BF16, UINT8, INT32, INT64, BOOL and"
                  + " BYTES data, not "
                  + datatype);
    }
  }

  private static Data fromBinary(
      String name, String datatype, long[] shape, ByteBuffer b, int at, int n, long size) {
    b.position(at);
    switch (datatype) {
      case "FP32" -> {
        expect(size == 4L * n, "input '" + name + "': binary_data_size " + size + " for " + n);
        float[] f = new float[n];
        b.asFloatBuffer().get(f);
        return new Data(name, datatype, shape, f, null, null);
      }
      case "INT64" -> {
        expect(size == 8L * n, "input '" + name + "': binary_data_size " + size + " for " + n);
        long[] l = new long[n];
        b.asLongBuffer().get(l);
        return new Data(name, datatype, shape, null, null, l);
      }
      case "FP64" -> {
        expect(size == 8L * n, "input '" + name + "': binary_data_size " + size + " for " + n);
        double[] d = new double[n];
        b.asDoubleBuffer().get(d);
        return new Data(name, datatype, shape, null, d, null);
      }
      case "FP16", "BF16" -> {
        expect(size == 2L * n, "input '" + name + "': binary_data_size " + size + " for " + n);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = fromHalf(datatype, b.getShort(at + 2 * i));
        }
        return new Data(name, datatype, shape, f, null, null);
      }
      case "INT32" -> {
        expect(size == 4L * n, "input '" + name + "': binary_data_size " + size + " for " + n);
        long[] l = new long[n];
        var ints = b.asIntBuffer();
        for (int i = 0; i < n; i++) {
          l[i] = ints.get(i);
        }
        return new Data(name, datatype, shape, null, null, l);
      }
      case "UINT8", "BOOL" -> {
        expect(size == n, "input '" + name + "': binary_data_size " + size + " for " + n);
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = b.get(at + i) & 0xFF;
          expect(!datatype.equals("BOOL") || l[i] <= 1, "BOOL input '" + name + "' holds " + l[i]);
        }
        return new Data(name, datatype, shape, null, null, l);
      }
      case "BYTES" -> {
        return new Data(name, datatype, shape, null, null, null, texts(name, b, at, n, size));
      }
      default ->
          throw new IllegalArgumentException(
              "input '" + name + "': binary " + datatype + " is not supported by the test server");
    }
  }

  /**
   * The binary form of BYTES (KServe v2, Triton): per element a 4-byte little-endian length and
   * that many bytes, which must be UTF-8 (strictly: modified UTF-8 or CESU-8 is a 400).
   */
  private static String[] texts(String name, ByteBuffer b, int at, int n, long size) {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    String[] texts = new String[n];
    long end = at + size;
    int pos = at;
    for (int i = 0; i < n; i++) {
      expect(pos + 4L <= end, "input '" + name + "': binary BYTES end inside element " + i);
      int length = b.getInt(pos);
      pos += 4;
      expect(
          length >= 0 && pos + (long) length <= end,
          "input '"
              + name
              + "': element "
              + i
              + " of "
              + length
              + " bytes passes binary_data_size "
              + size);
      try {
        texts[i] = utf8.decode(b.slice(pos, length)).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException(
            "input '" + name + "': element " + i + " is not UTF-8 (" + e + ")", e);
      }
      pos += length;
    }
    expect(pos == end, "input '" + name + "': binary_data_size " + size + " for " + (pos - at));
    return texts;
  }

  private static Wanted readWanted(JsonParser p) throws IOException {
    String name = null;
    boolean binary = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("name")) {
        name = p.getText();
      } else if (field.equals("parameters")) {
        binary = boolParameter(p, "binary_data");
      } else {
        p.skipChildren();
      }
    }
    expect(name != null, "a requested output has no name");
    return new Wanted(name, binary);
  }

  private static boolean boolParameter(JsonParser p, String key) throws IOException {
    boolean value = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals(key)) {
        value = p.getValueAsBoolean();
      } else {
        p.skipChildren();
      }
    }
    return value;
  }

  private static long longParameter(JsonParser p, String key) throws IOException {
    long value = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals(key)) {
        value = p.getValueAsLong(-1);
      } else {
        p.skipChildren();
      }
    }
    return value;
  }

  /**
   * Writes a response.
   *
   * @return the body and the JSON part's length (-1 when nothing binary follows it)
   */
  static Object[] write(
      String model, String id, List<Data> outputs, List<Boolean> binary, boolean nested)
      throws IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(json)) {
      g.writeStartObject();
      g.writeStringField("model_name", model);
      g.writeStringField("model_version", "1");
      if (id != null) {
        g.writeStringField("id", id);
      }
      g.writeArrayFieldStart("outputs");
      for (int i = 0; i < outputs.size(); i++) {
        Data d = outputs.get(i);
        g.writeStartObject();
        g.writeStringField("name", d.name());
        g.writeStringField("datatype", d.datatype());
        g.writeArrayFieldStart("shape");
        for (long s : d.shape()) {
          g.writeNumber(s);
        }
        g.writeEndArray();
        if (binary.get(i)) {
          byte[] bytes = bytes(d);
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", bytes.length);
          g.writeEndObject();
          bin.write(bytes);
        } else {
          g.writeFieldName("data");
          int[] next = {0};
          writeData(g, d, nested ? d.shape() : new long[] {count(d)}, 0, next);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    if (bin.size() == 0) {
      return new Object[] {json.toByteArray(), -1};
    }
    int length = json.size();
    json.write(bin.toByteArray());
    return new Object[] {json.toByteArray(), length};
  }

  private static long count(Data d) {
    return d.floats() != null
        ? d.floats().length
        : d.doubles() != null ? d.doubles().length : d.longs().length;
  }

  /** Writes the data as arrays nested along {@code dims} (one flat array when dims has one). */
  private static void writeData(JsonGenerator g, Data d, long[] dims, int level, int[] next)
      throws IOException {
    g.writeStartArray();
    for (long i = 0; i < dims[level]; i++) {
      if (level < dims.length - 1) {
        writeData(g, d, dims, level + 1, next);
      } else if (d.floats() != null) {
        g.writeNumber(d.floats()[next[0]++]);
      } else if (d.doubles() != null) {
        g.writeNumber(d.doubles()[next[0]++]);
      } else {
        g.writeNumber(d.longs()[next[0]++]);
      }
    }
    g.writeEndArray();
  }

  private static byte[] bytes(Data d) {
    ByteBuffer b;
    if (d.datatype().equals("FP16") || d.datatype().equals("BF16")) {
      b = ByteBuffer.allocate(d.floats().length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : d.floats()) {
        b.putShort(half(d.datatype(), v));
      }
    } else if (d.floats() != null) {
      b = ByteBuffer.allocate(d.floats().length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(d.floats());
    } else if (d.doubles() != null) {
      b = ByteBuffer.allocate(d.doubles().length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(d.doubles());
    } else if (d.datatype().equals("INT32")) {
      b = ByteBuffer.allocate(d.longs().length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : d.longs()) {
        b.putInt((int) v);
      }
    } else {
      b = ByteBuffer.allocate(d.longs().length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put(d.longs());
    }
    return b.array();
  }

  /** An FP16 or BF16 value's 16 bits (rounded to the nearest). */
  static short half(String datatype, float v) {
    return datatype.equals("FP16")
        ? Narrowing.float16(v, "", "", 0)
        : Narrowing.bfloat16(v, "", "", 0);
  }

  /** The float an FP16 or BF16 value's 16 bits hold. */
  static float fromHalf(String datatype, short bits) {
    return datatype.equals("FP16") ? Narrowing.fromFloat16(bits) : Narrowing.fromBfloat16(bits);
  }

  private static void expect(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
