package io.dime.modality.text;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.TokenizerAnnotator;
import edu.stanford.nlp.process.Tokenizer;
import edu.stanford.nlp.util.CoreMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Words and sentences from Stanford CoreNLP's English {@code tokenize} annotator, which since
 * CoreNLP 4.5 also splits sentences (what {@code tokenize,ssplit} does in a pipeline). Needs only
 * the CoreNLP main jar (no models).
 *
 * <p>Spans carry the text as written in the input ({@code text.substring(begin, end)}), not
 * CoreNLP's normalised word ({@code -LRB-}, straightened quotes): removal and the encoders work on
 * the original characters. Characters CoreNLP cannot tokenise (control characters) are dropped
 * silently, so they belong to no word.
 *
 * <p>One instance per modality; {@link #segment} and {@link #words} are thread-safe (CoreNLP's
 * tokenizer annotator keeps only immutable state and makes a fresh lexer per call; checked by
 * {@code TextTokenizerTest}).
 */
final class CoreNlpTokenizer {
  /** The words and the sentences of one text. */
  record Segmentation(List<Span> words, List<Span> sentences) {
    Segmentation {
      words = List.copyOf(words);
      sentences = List.copyOf(sentences);
    }
  }

  private static final String OPTIONS = "untokenizable=noneDelete";
  private final TokenizerAnnotator annotator;

  CoreNlpTokenizer() {
    Properties p = new Properties();
    p.setProperty("tokenize.language", "en");
    p.setProperty("tokenize.options", OPTIONS);
    this.annotator = new TokenizerAnnotator(false, p);
  }

  /** The tokenizer's settings, for provenance. */
  static String description() {
    return "CoreNLP tokenize (en, sentence split included, options " + OPTIONS + ")";
  }

  /** Words and sentences of a text, in order. */
  Segmentation segment(String text) {
    Annotation annotation = new Annotation(text);
    annotator.annotate(annotation);
    List<Span> words = new ArrayList<>();
    for (CoreLabel token : annotation.get(CoreAnnotations.TokensAnnotation.class)) {
      words.add(span(text, token.beginPosition(), token.endPosition()));
    }
    List<Span> sentences = new ArrayList<>();
    List<CoreMap> found = annotation.get(CoreAnnotations.SentencesAnnotation.class);
    if (found != null) {
      for (CoreMap sentence : found) {
        sentences.add(
            span(
                text,
                sentence.get(CoreAnnotations.CharacterOffsetBeginAnnotation.class),
                sentence.get(CoreAnnotations.CharacterOffsetEndAnnotation.class)));
      }
    }
    return new Segmentation(words, sentences);
  }

  /** The words of a text, in order (the tokenizer alone, without sentence splitting). */
  List<Span> words(String text) {
    List<Span> words = new ArrayList<>();
    forEachWord(text, words::add);
    return words;
  }

  /**
   * Hands the words of a text, in order, to {@code consumer} until it returns false; the rest of
   * the text is then not tokenised.
   */
  void forEachWord(String text, Predicate<Span> consumer) {
    Tokenizer<CoreLabel> tokens = annotator.getTokenizer(new StringReader(text));
    while (tokens.hasNext()) {
      CoreLabel token = tokens.next();
      if (!consumer.test(span(text, token.beginPosition(), token.endPosition()))) {
        return;
      }
    }
  }

  private static Span span(String text, int begin, int end) {
    return new Span(text.substring(begin, end), begin, end);
  }

  /**
   * The CoreNLP version on the class path: the jar's Implementation-Version, else the version this
   * module was built against (shaded jars lose the manifest), else "unknown".
   */
  static String version() {
    Package p = TokenizerAnnotator.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in = CoreNlpTokenizer.class.getResourceAsStream("text-modality.properties")) {
      if (in != null) {
        Properties props = new Properties();
        props.load(in);
        String built = props.getProperty("corenlp.version");
        if (built != null && !built.startsWith("$")) {
          return built + " (build)";
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "unknown";
  }
}
