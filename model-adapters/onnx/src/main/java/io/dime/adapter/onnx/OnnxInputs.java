package io.dime.adapter.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.spi.Narrowing;
import io.dime.spi.TextCodes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns rows of DIME tensors into ONNX Runtime tensors, padding a chunk to the fed row count. The
 * direct buffers behind them are kept for the next calls ({@link #release}), so that a call neither
 * allocates nor zeroes native memory for its inputs. Buffers come in power-of-two capacities, and a
 * call takes a kept buffer of exactly its size class: the calls of an explanation (full batches,
 * each datapoint's shorter last batch, a few small ones) then share a few classes, and the most
 * recently released buffers are the ones kept.
 */
final class OnnxInputs {
  /** Buffers kept at most (two calls in flight with a few inputs each). */
  private static final int KEEP = 8;

  /** Buffers larger than this are not kept (a few huge batches must not pin their memory). */
  private static final long KEEP_BYTES = 64L << 20;

  private final List<ByteBuffer> free = new ArrayList<>(); // guarded by itself

  /** Whether {@link #texts} has warned of characters fed as U+FFFD. */
  private final AtomicBoolean warnedChars = new AtomicBoolean();

  /**
   * Copies rows into a direct buffer (which ONNX Runtime uses without another copy), added to
   * {@code taken}: give those back with {@link #release} once the tensors are closed.
   *
   * @param as the type the model takes when it differs from the tensor's ({@code DOUBLE}, {@code
   *     FLOAT16}, {@code BFLOAT16} or {@code UINT8} for a FLOAT32 tensor, {@code INT32} or {@code
   *     BOOL} for an INT64 one), else null
   */
  OnnxTensor toOnnx(
      OrtEnvironment env,
      Path path,
      Tensor t,
      OnnxJavaType as,
      int start,
      int count,
      int fed,
      List<ByteBuffer> taken)
      throws OrtException {
    long[] shape = t.shape().clone();
    int rowSize = rowSize(shape);
    shape[0] = fed;
    int elements = Math.multiplyExact(fed, rowSize);
    int from = start * rowSize;
    int last = (start + count - 1) * rowSize;
    if (as != null) {
      return converted(env, path, t, as, start, count, fed, shape, taken);
    }
    if (t.type() == ElementType.FLOAT32) {
      FloatBuffer buffer = direct(path, elements, Float.BYTES, taken).asFloatBuffer();
      buffer.put(t.floats(), from, count * rowSize);
      for (int r = count; r < fed; r++) {
        buffer.put(t.floats(), last, rowSize);
      }
      buffer.rewind();
      return OnnxTensor.createTensor(env, buffer, shape);
    }
    LongBuffer buffer = direct(path, elements, Long.BYTES, taken).asLongBuffer();
    buffer.put(t.longs(), from, count * rowSize);
    for (int r = count; r < fed; r++) {
      buffer.put(t.longs(), last, rowSize);
    }
    buffer.rewind();
    return OnnxTensor.createTensor(env, buffer, shape);
  }

  /**
   * An input fed as another type than its tensor's: every element of the fed rows (padding rows
   * repeat the last) narrowed or widened one at a time, a value the type cannot hold failing the
   * call with the input and its row.
   */
  private OnnxTensor converted(
      OrtEnvironment env,
      Path path,
      Tensor t,
      OnnxJavaType as,
      int start,
      int count,
      int fed,
      long[] shape,
      List<ByteBuffer> taken)
      throws OrtException {
    int rowSize = rowSize(shape);
    int elements = Math.multiplyExact(fed, rowSize);
    String prefix = "model '" + path + "': ";
    ByteBuffer bytes;
    Element put;
    switch (as) {
      case DOUBLE -> {
        bytes = direct(path, elements, Double.BYTES, taken);
        DoubleBuffer b = bytes.asDoubleBuffer();
        float[] v = t.floats();
        put = (at, row) -> b.put(v[at]);
      }
      case FLOAT16 -> {
        bytes = direct(path, elements, Short.BYTES, taken);
        ShortBuffer b = bytes.asShortBuffer();
        float[] v = t.floats();
        put = (at, row) -> b.put(Narrowing.float16(v[at], prefix, t.name(), row));
      }
      case BFLOAT16 -> {
        bytes = direct(path, elements, Short.BYTES, taken);
        ShortBuffer b = bytes.asShortBuffer();
        float[] v = t.floats();
        put = (at, row) -> b.put(Narrowing.bfloat16(v[at], prefix, t.name(), row));
      }
      case UINT8 -> {
        bytes = direct(path, elements, 1, taken);
        float[] v = t.floats();
        put = (at, row) -> bytes.put((byte) Narrowing.uint8(v[at], prefix, t.name(), row));
      }
      case BOOL -> {
        bytes = direct(path, elements, 1, taken);
        long[] v = t.longs();
        put = (at, row) -> bytes.put(Narrowing.bool(v[at], prefix, t.name(), row));
      }
      case INT32 -> {
        bytes = direct(path, elements, Integer.BYTES, taken);
        IntBuffer b = bytes.asIntBuffer();
        long[] v = t.longs();
        put = (at, row) -> b.put(Narrowing.int32(v[at], prefix, t.name(), row));
      }
      default -> throw new IllegalArgumentException("no conversion to " + as);
    }
    int from = start * rowSize;
    int last = (start + count - 1) * rowSize;
    for (int r = 0; r < fed; r++) {
      int at = r < count ? from + r * rowSize : last;
      int row = start + Math.min(r, count - 1);
      for (int i = 0; i < rowSize; i++) {
        put.put(at + i, row);
      }
    }
    return switch (as) {
      case DOUBLE -> OnnxTensor.createTensor(env, bytes.asDoubleBuffer(), shape);
      case INT32 -> OnnxTensor.createTensor(env, bytes.asIntBuffer(), shape);
      default -> OnnxTensor.createTensor(env, bytes.rewind(), shape, as);
    };
  }

  /**
   * A STRING input: the text of each fed row, unpacked from its {@link TextCodes} row (padding rows
   * repeat the last), as a tensor of shape [fed] or [fed, 1]. ONNX Runtime's Java API hands strings
   * to the runtime in the JVM's modified UTF-8, which is not UTF-8 for a character outside
   * Unicode's basic plane (an emoji) or for U+0000: the runtime's string operators refuse such a
   * text. Those characters are fed as U+FFFD (the replacement character), and the first time it
   * happens a warning says so.
   *
   * @param rank the model input's rank, 1 or 2
   * @throws ModelException for a row that does not hold a packed text, naming input and row
   */
  OnnxTensor texts(OrtEnvironment env, Path path, Tensor t, int rank, int start, int count, int fed)
      throws OrtException {
    int width = rowSize(t.shape());
    String prefix = "model '" + path + "': ";
    String[] texts = new String[fed];
    for (int r = 0; r < fed; r++) {
      int row = start + Math.min(r, count - 1);
      texts[r] =
          r < count
              ? fedText(
                  TextCodes.decode(t.longs(), row * width, width, prefix, t.name(), row),
                  path,
                  t.name())
              : texts[count - 1];
    }
    long[] shape = rank == 1 ? new long[] {fed} : new long[] {fed, 1};
    return OnnxTensor.createTensor(env, texts, shape);
  }

  /** The text with every surrogate and U+0000 replaced by U+FFFD (see {@link #texts}). */
  private String fedText(String text, Path path, String input) {
    int i = 0;
    while (i < text.length() && !unfit(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length()).append(text, 0, i);
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // one character outside the basic plane: one replacement
      }
      sb.append(unfit(c) ? '\uFFFD' : c);
      i++;
    }
    if (!warnedChars.getAndSet(true)) {
      System.getLogger(OnnxModelAdapter.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "model ''{0}'': input ''{1}'': characters outside Unicode''s basic plane (emoji) and"
                  + " U+0000 are fed as U+FFFD; ONNX Runtime''s Java API cannot pass them",
              path,
              input);
    }
    return sb.toString();
  }

  private static boolean unfit(char c) {
    return c == 0 || Character.isSurrogate(c);
  }

  /** Writes the element at {@code at} of a tensor's values, which belongs to row {@code row}. */
  @FunctionalInterface
  private interface Element {
    void put(int at, int row);
  }

  /**
   * Gives back the buffers of closed tensors made by {@link #toOnnx}; when more than {@value #KEEP}
   * are kept, the longest-kept go (so buffers of a size no call needs any more do not stay).
   */
  void release(List<ByteBuffer> taken) {
    synchronized (free) {
      for (ByteBuffer b : taken) {
        if (b.capacity() <= KEEP_BYTES) {
          free.add(b);
        }
      }
      while (free.size() > KEEP) {
        free.remove(0);
      }
    }
  }

  /**
   * The capacity of the buffer for a call of {@code bytes}: the next power of two, at least 4 KiB.
   */
  static long sizeClass(long bytes) {
    long c = 4096;
    while (c < bytes) {
      c <<= 1;
    }
    return c;
  }

  /** A kept buffer of capacity {@code capacity} (the most recently released one), or null. */
  private ByteBuffer reuse(long capacity) {
    synchronized (free) {
      for (int i = free.size() - 1; i >= 0; i--) {
        if (free.get(i).capacity() == capacity) {
          return free.remove(i);
        }
      }
      return null;
    }
  }

  private ByteBuffer direct(Path path, int elements, int bytesPerElement, List<ByteBuffer> taken) {
    long bytes = (long) elements * bytesPerElement;
    if (bytes > Integer.MAX_VALUE) {
      throw new ModelException(
          "model '"
              + path
              + "': one call would need "
              + bytes
              + " bytes for an input; set a smaller '"
              + OnnxModelAdapter.BATCH_SIZE
              + "'");
    }
    // a buffer too large to be kept is not rounded up to a class: it gets exactly what it needs
    long capacity = sizeClass(bytes) <= KEEP_BYTES ? sizeClass(bytes) : bytes;
    ByteBuffer b = reuse(capacity);
    if (b == null) {
      b = ByteBuffer.allocateDirect((int) capacity).order(ByteOrder.nativeOrder());
    }
    b.clear().limit((int) bytes);
    taken.add(b);
    return b;
  }

  /** Elements per row: the product of every dimension but the first. */
  static int rowSize(long[] shape) {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return Math.toIntExact(n);
  }
}
