package io.dime.adapter.oip;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Narrowing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
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
   * @param specs the model's inputs, in order
   * @param datatypes each input's datatype on the wire (FP32, FP64, UINT8, INT64, INT32, BOOL)
   * @param given the run's inputs, checked against {@code specs}
   * @param outputs the outputs to ask for
   * @param rows the rows to send
   * @param binary whether to use the binary tensor extension
   */
  static OipRequest encode(
      String prefix,
      String id,
      Collection<TensorSpec> specs,
      Map<String, String> datatypes,
      Map<String, Tensor> given,
      List<String> outputs,
      Rows rows,
      boolean binary) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    long binaryBytes = 0;
    try (JsonGenerator g = OipClient.JSON.getFactory().createGenerator(json)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeArrayFieldStart("inputs");
      for (TensorSpec spec : specs) {
        Tensor t = given.get(spec.name());
        long[] shape = t.shape().clone();
        shape[0] = rows.fed();
        g.writeStartObject();
        g.writeStringField("name", spec.name());
        g.writeArrayFieldStart("shape");
        for (long d : shape) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        String datatype = datatypes.get(spec.name());
        g.writeStringField("datatype", datatype);
        if (binary) {
          long bytes = (long) rows.fed() * rowSize(t) * OipDatatypes.bytes(datatype);
          binaryBytes += bytes;
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", bytes);
          g.writeEndObject();
        } else {
          g.writeFieldName("data");
          writeData(g, prefix, t, datatype, rows);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
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
      putBinary(prefix, body, given.get(spec.name()), datatypes.get(spec.name()), rows);
    }
    return new OipRequest(body.array(), json.size());
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
