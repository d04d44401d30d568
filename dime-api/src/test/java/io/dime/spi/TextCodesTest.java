package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextCodesTest {
  @Test
  void widthIsOneLengthElementAndFourCharactersAnElement() {
    assertEquals(1, TextCodes.width(0));
    assertEquals(2, TextCodes.width(1));
    assertEquals(2, TextCodes.width(4));
    assertEquals(3, TextCodes.width(5));
    assertEquals(513, TextCodes.width(2048));
    assertEquals(8, TextCodes.capacity(TextCodes.width(5)));
    assertThrows(IllegalArgumentException.class, () -> TextCodes.width(-1));
  }

  /**
   * Every length up to the capacity, any char (lone surrogates, 0, U+FFFF) comes back as it was.
   */
  @Test
  void textsComeBackExactly() {
    SplittableRandom random = new SplittableRandom(3);
    int width = TextCodes.width(13);
    for (int n = 0; n <= 16; n++) {
      char[] chars = new char[n];
      for (int i = 0; i < n; i++) {
        chars[i] = (char) random.nextInt(0x10000);
      }
      if (n >= 3) {
        chars[0] = 0;
        chars[1] = '\uFFFF';
        chars[2] = '\uD83D';
      }
      String text = new String(chars);
      long[] rows = new long[2 + 2 * width];
      Arrays.fill(rows, 77L); // the row is written whole, over whatever was there
      assertTrue(TextCodes.encode(text, rows, 2, width));
      assertEquals(77L, rows[1]);
      assertEquals(text, TextCodes.decode(rows, 2, width, "", "t", 0));
    }
    long[] row = new long[width];
    assertTrue(TextCodes.encode("good movie", row, 0, width));
    // length 10; 'g' 'o' 'o' 'd' in the first element, lowest bits first
    assertEquals(10, row[0]);
    assertEquals('g' | 'o' << 16 | (long) 'o' << 32 | (long) 'd' << 48, row[1]);
  }

  @Test
  void aTextLongerThanTheRowIsNotWritten() {
    long[] row = new long[3];
    assertFalse(TextCodes.encode("123456789", row, 0, 3));
    assertArrayEquals(new long[3], row);
    assertTrue(TextCodes.encode("12345678", row, 0, 3));
  }

  @Test
  void aRowThatHoldsNoTextFailsNamingInputAndRow() {
    long[] ids = {101, 2023, 102};
    ModelException e =
        assertThrows(
            ModelException.class, () -> TextCodes.decode(ids, 0, 3, "model 'm': ", "t", 4));
    assertEquals(
        "model 'm': input 't' takes a text, but row 4 is not one (its length element is 101 of at"
            + " most 8); fill it with the text modality's encoder 'string'",
        e.getMessage());
    assertThrows(
        ModelException.class, () -> TextCodes.decode(new long[] {-1, 0}, 0, 2, "", "t", 0));
  }
}
