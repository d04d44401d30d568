package io.dime.modality.text.hf;

/**
 * Character classes as Hugging Face's tokenizers (Rust) define them; punctuation and CJK are also
 * BERT's (the {@code wordpiece} encoder uses them). Internal to the text plugin.
 */
public final class Chars {
  private Chars() {}

  static String str(int cp) {
    return new String(Character.toChars(cp));
  }

  /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x9 && cp <= 0xD)
        || cp == 0x20
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** BERT's whitespace: tab, newline, carriage return, or White_Space. */
  static boolean isBertWhitespace(int cp) {
    return isWhitespace(cp);
  }

  /** BERT's control: any "other" category (Cc, Cf, Cn, Co, Cs) but tab, newline, return. */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int t = Character.getType(cp);
    return t == Character.CONTROL
        || t == Character.FORMAT
        || t == Character.UNASSIGNED
        || t == Character.PRIVATE_USE
        || t == Character.SURROGATE;
  }

  /** ASCII punctuation or any Unicode punctuation category (P*). */
  public static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    int t = Character.getType(cp);
    return t == Character.CONNECTOR_PUNCTUATION
        || t == Character.DASH_PUNCTUATION
        || t == Character.START_PUNCTUATION
        || t == Character.END_PUNCTUATION
        || t == Character.INITIAL_QUOTE_PUNCTUATION
        || t == Character.FINAL_QUOTE_PUNCTUATION
        || t == Character.OTHER_PUNCTUATION;
  }

  /** BERT's CJK ideograph blocks. */
  public static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
