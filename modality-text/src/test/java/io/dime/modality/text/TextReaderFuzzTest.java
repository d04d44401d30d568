package io.dime.modality.text;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.testkit.fuzz.Fuzz;
import io.dime.testkit.fuzz.Mutator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the text reader: a mutated text (as a manifest gives it: UTF-8, so never half a surrogate
 * pair) is read, split into words or sentences by CoreNLP and encoded by WordPiece, or refused with
 * an {@link InputException} naming the modality (and the record, where the reader knows it); never
 * another exception or a hang. The spans a text is split into lie in order inside it, so that
 * keeping every feature gives the text back exactly, and any mask gives a text that encodes into
 * the encoder's shapes. The same holds for a text given as a Java string, lone surrogates and all
 * (a program calling the modality is not bound to UTF-8), encoded by WordPiece or GPT-2's
 * byte-level BPE.
 *
 * <p>CI runs 600 tries per unit (300 for each Java-string encoder; about 7 s on 2 cores). A long
 * run: {@code ./mvnw -o -B install -Djacoco.skip -pl modality-text -am -Dtest=TextReaderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddime.fuzz.scale=100 -Ddime.fuzz.maxSeconds=1800} (add
 * {@code -Ddime.fuzz.seed=random} for new inputs).
 */
@Tag("fuzz")
class TextReaderFuzzTest {
  static List<byte[]> texts() {
    return Mutator.utf8(
        TextModalityContractTest.QUESTION,
        TextModalityContractTest.THREE_SENTENCES,
        "Don't stop-believing, Mr. O'Neil! It costs $3.50 (or \u20ac3) at 5 p.m. -- \"really\"?",
        "Caf\u00e9 na\u00efve \u6F22\u5B57 \uD83D\uDE00 e\u0301 \u0627\u0644\u0639\u0631\u0628\u064A\u0629.",
        "a\tb\r\nc\u2028d\u00a0e.\n\nNew paragraph...   Done",
        "http://example.com/a?b=c a@b.com :-) 1,000.5 U.S.A. ``quoted''");
  }

  private static TextModality modality(String unit) {
    return new TextModality(
        "q",
        PluginConfig.of(
            "modality 'q' (plugin text)",
            "vocab",
            TextModalityContractTest.VOCAB,
            "features",
            unit,
            "maxChars",
            20_000));
  }

  @Test
  void mutatedWordTextsAreSplitAndEncodedOrRefused() {
    fuzz("words", 600);
  }

  @Test
  void mutatedSentenceTextsAreSplitAndEncodedOrRefused() {
    fuzz("sentences", 600);
  }

  /**
   * Texts given as Java strings, as a program that calls the modality (or a Spark column) gives
   * them, with lone surrogates that UTF-8 cannot carry, for WordPiece and for GPT-2's byte-level
   * BPE (which encodes the text's UTF-8 bytes).
   */
  @Test
  void mutatedJavaStringsWithLoneSurrogatesAreSplitAndEncodedOrRefused() {
    Mutator strings =
        new Mutator(
            Mutator.utf16(
                texts().stream().map(b -> new String(b, UTF_8) + " x\uD800y \uDC00").toList()),
            Mutator.utf16(
                List.of("\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uD83D\uDE00", "\u200D")));
    fuzz("utf16-wordpiece", modality("words"), strings, Fuzz::utf16, 300);
    TextModality gpt2 =
        TokenizerJsonEncoderTest.modality("gpt2", "maxChars", 20_000, "maxLength", 64);
    fuzz("utf16-gpt2", gpt2, strings, Fuzz::utf16, 300);
  }

  private static void fuzz(String unit, int tries) {
    fuzz(
        unit,
        modality(unit),
        new Mutator(texts(), Mutator.TEXT_TOKENS),
        input -> new String(input, UTF_8),
        tries);
  }

  private static void fuzz(
      String name,
      TextModality m,
      Mutator mutator,
      java.util.function.Function<byte[], String> decode,
      int tries) {
    ReadContext context = new ReadContext(Path.of("."), "t");
    Fuzz.of("text-" + name, mutator)
        .tries(tries)
        .timeout(Duration.ofSeconds(10))
        .maxAllocatedBytes(512L << 20)
        .run(
            input -> {
              String text = decode.apply(input);
              String value;
              try {
                value = m.read(text, context);
              } catch (InputException e) {
                return Fuzz.checkMessage(e, "record 't': ", "modality 'q'");
              }
              FeatureSet<String> f;
              try {
                f = m.featurize(value, PoolStatistics.empty(), new SplittableRandom(1));
              } catch (InputException e) {
                // no words, or none that the encoder gives a token (TextNoTokenTest)
                return Fuzz.checkMessage(
                    e,
                    String.valueOf(e.getMessage()).contains("a token, so the model reads nothing")
                        ? "modality 'q': the encoder gives none of the"
                        : "modality 'q' has no words");
              }
              checkSpans((TextFeatures) f, value);
              boolean[] keep = new boolean[f.size()];
              SplittableRandom rng = new SplittableRandom(Arrays.hashCode(input));
              for (int i = 0; i < keep.length; i++) {
                keep[i] = rng.nextBoolean();
              }
              List<Tensor> whole = m.encoder().encode(value);
              List<Tensor> masked = m.encoder().encode(f.apply(keep));
              for (int i = 0; i < whole.size(); i++) {
                if (!Arrays.equals(whole.get(i).shape(), masked.get(i).shape())) {
                  throw new AssertionError("shape: tensor " + i + " differs when masked");
                }
              }
              return f.size() == 1 ? "one feature" : "features";
            });
  }

  /** Spans in order, inside the text, each its own text; all kept gives the text back. */
  private static void checkSpans(TextFeatures f, String value) {
    int previous = 0;
    for (int i = 0; i < f.size(); i++) {
      if (f.begin(i) < previous || f.end(i) < f.begin(i) || f.end(i) > value.length()) {
        throw new AssertionError(
            "span: feature " + i + " at " + f.begin(i) + ".." + f.end(i) + " after " + previous);
      }
      previous = f.end(i);
    }
    if (f.names().size() != f.size()) {
      throw new AssertionError("names: " + f.names().size() + " for " + f.size() + " features");
    }
    boolean[] all = new boolean[f.size()];
    Arrays.fill(all, true);
    if (!f.apply(all).equals(value)) {
      throw new AssertionError("apply: keeping every feature changed the text");
    }
  }
}
