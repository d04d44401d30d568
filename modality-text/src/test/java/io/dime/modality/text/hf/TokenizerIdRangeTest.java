package io.dime.modality.text.hf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An id that a tokenizer.json gives for the model (its {@code padding.pad_id}, a post-processor's
 * special token, an added token's id, Unigram's {@code unk_id}, a type id) was read with {@code
 * asInt} and not checked: one beyond the file's ids, negative, fractional ({@code 2.5} became 2),
 * text ({@code "x"} became 0) or beyond int (wrapped around) reached the model, which failed inside
 * its runtime naming no setting, or read whatever embedding row was there. Such a file is refused
 * when it is read, naming the file, the field, the value and the ids it has.
 */
class TokenizerIdRangeTest {
  /** Three ids: [UNK] 0, a 1, b 2. */
  private static final String MODEL =
      "\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"[UNK]\": 0, \"a\": 1, \"b\": 2},"
          + " \"unk_token\": \"[UNK]\"}";

  private static TokenizerJson parse(String sections) {
    return TokenizerJson.parse(("{" + MODEL + sections + "}").getBytes(UTF_8), "t.json");
  }

  private static String refused(String sections) {
    return assertThrows(TokenizerFileException.class, () -> parse(sections)).getMessage();
  }

  static Stream<Arguments> badIds() {
    String notAnId = ", not an id of the file's 3 ids (0 to 2)";
    return Stream.of(
        Arguments.of(", \"padding\": {\"pad_id\": 3}", "padding.pad_id is 3" + notAnId),
        Arguments.of(", \"padding\": {\"pad_id\": -1}", "padding.pad_id is -1" + notAnId),
        Arguments.of(", \"padding\": {\"pad_id\": 2.5}", "padding.pad_id is 2.5" + notAnId),
        Arguments.of(", \"padding\": {\"pad_id\": \"1\"}", "padding.pad_id is \"1\"" + notAnId),
        Arguments.of(
            ", \"padding\": {\"pad_id\": 4294967297}", "padding.pad_id is 4294967297" + notAnId),
        Arguments.of(
            ", \"post_processor\": {\"type\": \"BertProcessing\", \"cls\": [\"[CLS]\", 7],"
                + " \"sep\": [\"[SEP]\", 2]}",
            "post_processor cls is 7" + notAnId),
        Arguments.of(
            ", \"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"Sequence\":"
                + " {\"id\": \"A\", \"type_id\": 0}}, {\"SpecialToken\": {\"id\": \"</s>\","
                + " \"type_id\": 0}}], \"special_tokens\": {\"</s>\": {\"ids\": [-2]}}}",
            "post_processor special token '</s>' id is -2" + notAnId),
        Arguments.of(
            ", \"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"Sequence\":"
                + " {\"id\": \"A\", \"type_id\": 0}}, {\"SpecialToken\": {\"id\": \"</s>\","
                + " \"type_id\": -1}}], \"special_tokens\": {\"</s>\": {\"ids\": [2]}}}",
            "post_processor special token '</s>' type_id is -1, not a whole number from 0 to"
                + " 2147483647"),
        Arguments.of(
            ", \"added_tokens\": [{\"id\": -3, \"content\": \"<x>\"}]",
            "added token '<x>' id is -3, not a whole number from 0 to 2147483647"),
        Arguments.of(
            ", \"added_tokens\": [{\"id\": 3.5, \"content\": \"<x>\"}]",
            "added token '<x>' id is 3.5, not a whole number from 0 to 2147483647"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badIds")
  void anIdTheModelWouldGetOutsideTheFilesIdsIsRefusedNamingTheFieldAndValue(
      String sections, String message) {
    assertEquals("tokenizer file 't.json': " + message, refused(sections));
  }

  @Test
  void unigramsUnkIdMustBeOneOfItsPieces() {
    String unigram =
        "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"<unk>\", 0], [\"a\", -1]],"
            + " \"unk_id\": %s}}";
    for (String bad : new String[] {"-2", "2", "\"x\"", "0.5"}) {
      assertEquals(
          "tokenizer file 'u.json': model unk_id is "
              + bad
              + ", not an id of the model's 2 pieces (0 to 1)",
          assertThrows(
                  TokenizerFileException.class,
                  () -> TokenizerJson.parse(String.format(unigram, bad).getBytes(UTF_8), "u.json"))
              .getMessage());
    }
    TokenizerJson ok = TokenizerJson.parse(String.format(unigram, "0").getBytes(UTF_8), "u.json");
    assertArrayEquals(new int[] {0}, ok.encode("z").ids());
  }

  @Test
  void idsWithinTheFileAreKept() {
    assertEquals(2, parse(", \"padding\": {\"pad_id\": 2}").paddingId().getAsInt());
    // an added token's id is one of the file's ids
    TokenizerJson added =
        parse(
            ", \"added_tokens\": [{\"id\": 5, \"content\": \"<pad>\"}], \"padding\": {\"pad_id\":"
                + " 5}, \"post_processor\": {\"type\": \"BertProcessing\", \"cls\": [\"<pad>\","
                + " 5], \"sep\": [\"b\", 2]}");
    assertEquals(5, added.paddingId().getAsInt());
    assertArrayEquals(new int[] {5, 0}, added.prefix().get(0));
    assertArrayEquals(new int[] {2, 0}, added.suffix().get(0));
  }
}
