package io.dime.adapter.oip;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Narrowing;
import io.dime.spi.TextCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of one inference request: rows {@code [start, start + count)} of every input, padded to
 * {@code fed} rows by repeating the last one (for a model with a fixed batch dimension), with the
 * outputs requested by name.
 *
 * <p>As JSON, each input carries its {@code data} as one flat array in row-major order. With the
 * binary tensor extension the JSON part gives each input's {@code binary_data_size} and asks for
 * every output as binary ({@code binary_data}); the tensors follow it, little-endian, in the order
 * of the inputs, and {@link #jsonLength()} is the length of the JSON part.
 *
 * <p>An FP16 or BF16 input's floats are rounded to the nearest value of the type, ties to even
 * ({@link io.dime.spi.Narrowing#float16}, {@link io.dime.spi.Narrowing#bfloat16}): as JSON each
 * goes as the number it rounds to, written exactly; in the binary extension as its 16 bits, 2 bytes
 * little-endian.
 *
 * <p>A BYTES input goes as one text per row, each unpacked from its INT64 row by {@link
 * TextCodes#decode} (an unpaired surrogate becomes U+FFFD), with shape {@code [fed]} or {@code
 * [fed, 1]} as the model declares it: as JSON strings, or in the binary extension as a 4-byte
 * little-endian length followed by the text's UTF-8 bytes for each (the KServe v2 / Triton layout).
 * Either way a character outside the basic plane (an emoji) goes as its 4-byte UTF-8 sequence.
 *
 * @param body the bytes to send
 * @param jsonLength the length of the JSON part when binary tensors follow it, or -1 for JSON only
 */
record OipRequest(byte[] body, int jsonLength) {
  /** Which rows go into one request. */
  record Rows(int start, int count, int fed) {}

  /**
   * Encodes a request.
   *
   * @param prefix the start of messages ("model 'LOCATION': ")
   * @param id the request's {@code id}
   * @param signature the model's inputs, in order, with their datatypes on the wire
   * @param given the run's inputs, checked against the signature
   * @param outputs the outputs to ask for
   * @param rows the rows to send
   * @param binary whether to use the binary tensor extension
   */
  static OipRequest encode(
      String prefix,
      String id,
      OipSignature signature,
      Map<String, Tensor> given,
      List<String> outputs,
      Rows rows,
      boolean binary) {
    Collection<TensorSpec> specs = signature.inputs.values();
    Map<String, String[]> texts = new HashMap<>();
    Map<String, byte[][]> utf8 = new HashMap<>();
    for (String name : signature.textRanks.keySet()) {
      String[] t = texts(prefix, given.get(name), rows);
      texts.put(name, t);
      if (binary) {
        utf8.put(name, utf8(t));
      }
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    long binaryBytes = 0;
    try (JsonGenerator g = OipClient.JSON.getFactory().createGenerator(json)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeArrayFieldStart("inputs");
      for (TensorSpec spec : specs) {
        Tensor t = given.get(spec.name());
        g.writeStartObject();
        g.writeStringField("name", spec.name());
        g.writeArrayFieldStart("shape");
        for (long d : signature.wireShape(spec.name(), t, rows.fed())) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        String datatype = signature.datatypes.get(spec.name());
        g.writeStringField("datatype", datatype);
        if (binary) {
          byte[][] encoded = utf8.get(spec.name());
          long bytes =
              encoded != null
                  ? size(encoded)
                  : (long) rows.fed() * rowSize(t) * OipDatatypes.bytes(datatype);
          binaryBytes += bytes;
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", bytes);
          g.writeEndObject();
        } else if (texts.containsKey(spec.name())) {
          g.writeFieldName("data");
          g.writeArray(texts.get(spec.name()), 0, rows.fed());
        } else {
          g.writeFieldName("data");
          writeData(g, prefix, t, datatype, rows);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      writeOutputs(g, outputs, binary);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!binary) {
      return new OipRequest(json.toByteArray(), -1);
    }
    long total = json.size() + binaryBytes;
    if (total > Integer.MAX_VALUE - 16) {
      throw new ModelException(
          prefix + "one request would need " + total + " bytes; set a smaller 'batchSize'");
    }
    ByteBuffer body = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    body.put(json.toByteArray());
    for (TensorSpec spec : specs) {
      byte[][] encoded = utf8.get(spec.name());
      if (encoded != null) {
        for (byte[] text : encoded) {
          body.putInt(text.length).put(text);
        }
      } else {
        String datatype = signature.datatypes.get(spec.name());
        putBinary(prefix, body, given.get(spec.name()), datatype, rows);
      }
    }
    return new OipRequest(body.array(), json.size());
  }

  private static void writeOutputs(JsonGenerator g, List<String> outputs, boolean binary)
      throws IOException {
    g.writeArrayFieldStart("outputs");
    for (String name : outputs) {
      g.writeStartObject();
      g.writeStringField("name", name);
      if (binary) {
        g.writeObjectFieldStart("parameters");
        g.writeBooleanField("binary_data", true);
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /**
   * The texts of a BYTES input's fed rows, unpacked (padding rows repeat the last).
   *
   * @throws ModelException naming the input and row when a row holds no packed text
   */
  private static String[] texts(String prefix, Tensor t, Rows rows) {
    int width = rowSize(t);
    if (width == 0) {
      throw new ModelException(
          prefix
              + "input '"
              + t.name()
              + "' takes a text, but its rows have no elements; fill it with the text modality's"
              + " encoder 'string'");
    }
    String[] out = new String[rows.fed()];
    for (int r = 0; r < rows.fed(); r++) {
      int row = rows.start() + r;
      out[r] =
          r < rows.count()
              ? wellFormed(TextCodes.decode(t.longs(), row * width, width, prefix, t.name(), row))
              : out[rows.count() - 1];
    }
    return out;
  }

  /**
   * The text with every unpaired surrogate replaced by U+FFFD: UTF-8 has no form for one (a pair, a
   * character outside the basic plane, is kept).
   */
  private static String wellFormed(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        if (sb != null) {
          sb.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (sb == null) {
          sb = new StringBuilder(text.length()).append(text, 0, i);
        }
        sb.append('\uFFFD');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? text : sb.toString();
  }

  private static byte[][] utf8(String[] texts) {
    byte[][] out = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      // a padding row repeats the very same string: encoded once
      out[i] = i > 0 && texts[i] == texts[i - 1] ? out[i - 1] : texts[i].getBytes(UTF_8);
    }
    return out;
  }

  /** The binary size of texts: a 4-byte length and the bytes, each. */
  private static long size(byte[][] texts) {
    long n = 0;
    for (byte[] t : texts) {
      n += Integer.BYTES + t.length;
    }
    return n;
  }

  private static void writeData(
      JsonGenerator g, String prefix, Tensor t, String datatype, Rows rows) throws IOException {
    int rowSize = rowSize(t);
    g.writeStartArray();
    for (int r = 0; r < rows.fed(); r++) {
      int row = rows.start() + Math.min(r, rows.count() - 1);
      for (int i = row * rowSize; i < (row + 1) * rowSize; i++) {
        if (t.type() == ElementType.FLOAT32) {
          float v = t.floats()[i];
          if (!Float.isFinite(v) && !datatype.equals(OipDatatypes.UINT8)) {
            throw new ModelException(
                prefix
                    + "input '"
                    + t.name()
                    + "' holds "
                    + v
                    + ", which JSON cannot carry; set 'tensorEncoding' to binary");
          }
          switch (datatype) {
            case OipDatatypes.FP64 -> g.writeNumber((double) v); // its exact value
            case OipDatatypes.FP16, OipDatatypes.BF16 -> // the half's exact value
                g.writeNumber(
                    (double)
                        OipDatatypes.fromHalf(
                            datatype, OipDatatypes.half(datatype, v, prefix, t.name(), row)));
            case OipDatatypes.UINT8 -> g.writeNumber(Narrowing.uint8(v, prefix, t.name(), row));
            default -> g.writeNumber(v);
          }
        } else {
          long v = t.longs()[i];
          switch (datatype) {
            case OipDatatypes.INT32 -> g.writeNumber(Narrowing.int32(v, prefix, t.name(), row));
            case OipDatatypes.BOOL -> g.writeBoolean(Narrowing.bool(v, prefix, t.name(), row) != 0);
            default -> g.writeNumber(v);
          }
        }
      }
    }
    g.writeEndArray();
  }

  private static void putBinary(
      String prefix, ByteBuffer body, Tensor t, String datatype, Rows rows) {
    int rowSize = rowSize(t);
    int from = rows.start() * rowSize;
    int last = (rows.start() + rows.count() - 1) * rowSize;
    int at = body.position();
    if (!datatype.equals(OipDatatypes.FP32) && !datatype.equals(OipDatatypes.INT64)) {
      for (int r = 0; r < rows.fed(); r++) {
        int row = rows.start() + Math.min(r, rows.count() - 1);
        for (int i = row * rowSize; i < (row + 1) * rowSize; i++) {
          switch (datatype) {
            case OipDatatypes.FP64 -> body.putDouble(t.floats()[i]);
            case OipDatatypes.FP16, OipDatatypes.BF16 ->
                body.putShort(OipDatatypes.half(datatype, t.floats()[i], prefix, t.name(), row));
            case OipDatatypes.UINT8 ->
                body.put((byte) Narrowing.uint8(t.floats()[i], prefix, t.name(), row));
            case OipDatatypes.INT32 ->
                body.putInt(Narrowing.int32(t.longs()[i], prefix, t.name(), row));
            case OipDatatypes.BOOL -> body.put(Narrowing.bool(t.longs()[i], prefix, t.name(), row));
            default -> throw new IllegalStateException("no conversion to " + datatype);
          }
        }
      }
      return;
    }
    if (t.type() == ElementType.FLOAT32) {
      var view = body.asFloatBuffer();
      view.put(t.floats(), from, rows.count() * rowSize);
      for (int r = rows.count(); r < rows.fed(); r++) {
        view.put(t.floats(), last, rowSize);
      }
      body.position(at + view.position() * Float.BYTES);
    } else {
      var view = body.asLongBuffer();
      view.put(t.longs(), from, rows.count() * rowSize);
      for (int r = rows.count(); r < rows.fed(); r++) {
        view.put(t.longs(), last, rowSize);
      }
      body.position(at + view.position() * Long.BYTES);
    }
  }

  /** Elements per row: the product of every dimension but the first. */
  static int rowSize(Tensor t) {
    long[] shape = t.shape();
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n = Math.multiplyExact(n, shape[i]);
    }
    return Math.toIntExact(n);
  }
}
