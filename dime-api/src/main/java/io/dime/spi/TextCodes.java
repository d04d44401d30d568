package io.dime.spi;

import io.dime.api.ModelException;

/**
 * How a text travels to a model that takes the text itself (an ONNX STRING input, an Open Inference
 * Protocol BYTES input: a scikit-learn TF-IDF pipeline, a served text classifier). DIME's tensors
 * hold FLOAT32 and INT64 only, so an encoder packs each row's text into a fixed number of INT64
 * elements, and the model adapter unpacks them into the string the model takes. Both sides use this
 * class, so every adapter reads what every encoder writes.
 *
 * <p>The layout of one row of {@link #width(int) width(capacity)} elements: element 0 holds the
 * text's length in UTF-16 code units (Java {@code char}s), and the code units follow four to an
 * element, the first in the lowest 16 bits; unused bits are 0. An adapter reports such an input to
 * DIME as INT64 with shape [batch, -1], and its model type (by {@link ModelAdapter#modelTypes()})
 * as {@value #STRING}.
 *
 * @since 0.3
 */
public final class TextCodes {
  /** The model type an ONNX model declares for an input fed this way. */
  public static final String STRING = "STRING";

  /** The datatype the Open Inference Protocol declares for an input fed this way. */
  public static final String BYTES = "BYTES";

  private static final int PER_ELEMENT = 4;
  private static final int BITS = 16;

  private TextCodes() {}

  /** Whether a model type of {@link ModelAdapter#modelTypes()} is a text fed this way. */
  public static boolean isText(String modelType) {
    return STRING.equals(modelType) || BYTES.equals(modelType);
  }

  /**
   * The elements a row takes for texts of at most {@code capacity} characters.
   *
   * @throws IllegalArgumentException for a negative capacity or one too large for a row
   */
  public static int width(int capacity) {
    if (capacity < 0 || capacity > Integer.MAX_VALUE - PER_ELEMENT) {
      throw new IllegalArgumentException("capacity " + capacity + " is out of range");
    }
    return 1 + (capacity + PER_ELEMENT - 1) / PER_ELEMENT;
  }

  /** The most characters a row of {@code width} elements holds. */
  public static long capacity(int width) {
    return (long) Math.max(0, width - 1) * PER_ELEMENT;
  }

  /**
   * Packs {@code text} into {@code row} from {@code offset}, over {@code width} elements (all of
   * them written).
   *
   * @return false, writing nothing, when the text is longer than the row holds
   */
  public static boolean encode(String text, long[] row, int offset, int width) {
    if (text.length() > capacity(width)) {
      return false;
    }
    row[offset] = text.length();
    for (int e = 1; e < width; e++) {
      long packed = 0;
      int from = (e - 1) * PER_ELEMENT;
      int to = Math.min(text.length(), from + PER_ELEMENT);
      for (int i = from; i < to; i++) {
        packed |= (long) text.charAt(i) << (BITS * (i - from));
      }
      row[offset + e] = packed;
    }
    return true;
  }

  /**
   * Unpacks the text of one row.
   *
   * @param prefix the start of an error message ({@code "model 'm.onnx': "}), not null
   * @param input the input's name, for the message
   * @param rowIndex the row's index in the call, for the message
   * @throws ModelException when the row's length element is negative or larger than the row holds
   *     (the row was not written by {@link #encode}: the input is filled by a modality other than a
   *     text encoding the text itself)
   */
  public static String decode(
      long[] row, int offset, int width, String prefix, String input, int rowIndex) {
    long length = row[offset];
    if (length < 0 || length > capacity(width)) {
      throw new ModelException(
          prefix
              + "input '"
              + input
              + "' takes a text, but row "
              + rowIndex
              + " is not one (its length element is "
              + length
              + " of at most "
              + capacity(width)
              + "); fill it with the text modality's encoder 'string'");
    }
    char[] chars = new char[(int) length];
    for (int i = 0; i < chars.length; i++) {
      long packed = row[offset + 1 + i / PER_ELEMENT];
      chars[i] = (char) (packed >>> (BITS * (i % PER_ELEMENT)));
    }
    return new String(chars);
  }
}
