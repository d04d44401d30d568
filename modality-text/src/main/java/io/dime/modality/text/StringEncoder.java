package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.TextCodes;
import java.util.List;

/**
 * Encoder {@code string}: the text itself goes to the model, for a model whose input is a string (a
 * scikit-learn TF-IDF pipeline exported to ONNX, a served text classifier). The (perturbed) text is
 * packed into one INT64 tensor as {@link TextCodes} says, which the model adapter unpacks into the
 * model's STRING input; the model does its own tokenizing.
 */
final class StringEncoder implements Encoder<String> {
  private final String inputName;
  private final int maxLength;
  private final int width;
  private final List<TensorSpec> outputs;

  /**
   * @param inputName the model input's name
   * @param maxLength the longest text fed, in characters
   */
  StringEncoder(String inputName, int maxLength) {
    this.inputName = requireNonNull(inputName, "inputName is null");
    this.maxLength = maxLength;
    this.width = TextCodes.width(maxLength);
    this.outputs = List.of(new TensorSpec(inputName, ElementType.INT64, new long[] {width}));
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  /**
   * Packs the text.
   *
   * @throws InputException for a text longer than {@code maxLength} (a text with its hidden words
   *     masked can be longer than the text itself)
   */
  @Override
  public List<Tensor> encode(String value) {
    requireNonNull(value, "value is null");
    long[] row = new long[width];
    if (value.length() > maxLength || !TextCodes.encode(value, row, 0, width)) {
      throw new InputException(null, tooLong(value.length(), maxLength));
    }
    return List.of(Tensor.ofLongs(inputName, new long[] {width}, row));
  }

  /** The message for a text of {@code length} characters that the encoder cannot feed. */
  static String tooLong(int length, int maxLength) {
    return "a text of "
        + length
        + " characters is longer than encoder 'string' feeds ("
        + maxLength
        + ", setting '"
        + TextModality.MAX_LENGTH
        + "')";
  }
}
