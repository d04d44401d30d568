package io.dime.bench;

import io.dime.api.Tensor;
import io.dime.modality.text.TextModalityFactory;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Microseconds per call of the text modality's featurize (CoreNLP tokenisation and sentence
 * splitting), perturb (one random mask drawn as LIME draws text masks: a uniform number of hidden
 * words; hidden words removed) and encode (CoreNLP words of a perturbed text, then WordPiece into
 * input_ids and attention_mask), on a 21-word question (maxLength 32) and a 200-word paragraph
 * (maxLength 256). The vocabulary is a synthetic BERT-sized one (30,522 entries) in which long
 * words are only reachable as a stem and a {@code ##} continuation, so WordPiece splitting is
 * exercised.
 */
public class TextModalityBenchmark extends ModalityMicrobenchmark {
  static final int MASKS = 1024;
  static final int VOCAB_SIZE = 30_522;

  static final String QUESTION =
      "What is the man in the red hat standing next to the small brown dog holding in his left"
          + " hand?";

  static final String PARAGRAPH =
      "The man in the picture is wearing a red hat on his head, and he is standing next to a"
          + " small brown dog. Behind them, a row of old houses lines the street, their windows"
          + " reflecting the late afternoon sun. A woman on a bicycle passes by, carrying a basket"
          + " full of fresh bread and flowers. Nobody seems to be in a hurry; the town feels quiet"
          + " and calm. On the left, two children are playing with a ball near a fountain, while"
          + " their parents sit on a bench and talk. The sky is clear except for a few thin clouds"
          + " drifting slowly towards the hills. Somewhere a radio plays an old song, and a cat"
          + " sleeps on a warm stone wall. The man's hat is clearly the brightest thing in the"
          + " scene, which is why the question asks about it. Would a model look at the hat, or"
          + " would it guess from the words alone? That is exactly what an explanation of the"
          + " unimodal contributions and the multimodal interactions should tell us, word by word"
          + " and region by region, with uncertainty attached to every weight it reports.";

  @State(Scope.Thread)
  public static class Input {
    @Param({"question", "paragraph"})
    public String text;

    Path vocab;
    Modality<String> modality;
    Encoder<String> encoder;
    String value;
    FeatureSet<String> features;
    boolean[][] masks;
    String[] perturbed;
    int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() throws IOException {
      value = text.equals("question") ? QUESTION : PARAGRAPH;
      vocab = Files.createTempFile("dime-bench-vocab", ".txt");
      Files.write(vocab, syntheticVocabulary(), StandardCharsets.UTF_8);
      modality =
          (Modality<String>)
              new TextModalityFactory()
                  .create(
                      "question",
                      PluginConfig.of(
                          "text benchmark",
                          "vocab",
                          vocab.toString(),
                          "maxLength",
                          text.equals("question") ? 32 : 256));
      encoder = modality.encoder();
      features = modality.featurize(value, PoolStatistics.empty(), new SplittableRandom(1));
      SplittableRandom rng = new SplittableRandom(42);
      int d = features.size();
      masks = new boolean[MASKS][];
      perturbed = new String[MASKS];
      for (int r = 0; r < MASKS; r++) {
        masks[r] = uniformCountMask(rng, d);
        perturbed[r] = features.apply(masks[r]);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      Files.deleteIfExists(vocab);
    }

    int nextIndex() {
      int i = next;
      next = (next + 1) % MASKS;
      return i;
    }
  }

  /** LIME's text masks: hide a uniformly drawn number (1 to d - 1) of distinct features. */
  static boolean[] uniformCountMask(SplittableRandom rng, int d) {
    boolean[] keep = new boolean[d];
    java.util.Arrays.fill(keep, true);
    int hide = 1 + rng.nextInt(Math.max(1, d - 1));
    int[] order = new int[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    for (int i = 0; i < hide; i++) {
      int j = i + rng.nextInt(d - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      keep[order[i]] = false;
    }
    return keep;
  }

  /**
   * BERT-style special tokens, punctuation, the texts' words (words longer than six letters only as
   * their first four letters plus a {@code ##} rest), and filler up to {@link #VOCAB_SIZE}.
   */
  static List<String> syntheticVocabulary() {
    Set<String> tokens = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    for (char c : ".,;:?!'\"()-".toCharArray()) {
      tokens.add(String.valueOf(c));
    }
    for (String w : (QUESTION + " " + PARAGRAPH).toLowerCase(Locale.ROOT).split("[^a-z]+")) {
      if (w.isEmpty()) {
        continue;
      }
      if (w.length() > 6) {
        tokens.add(w.substring(0, 4));
        tokens.add("##" + w.substring(4));
      } else {
        tokens.add(w);
      }
    }
    List<String> out = new ArrayList<>(tokens);
    for (int i = 0; out.size() < VOCAB_SIZE; i++) {
      out.add((i % 2 == 0 ? "##" : "") + "filler" + i);
    }
    return out;
  }

  /** Words and sentences of the text, with offsets and names, once per explained text. */
  @Benchmark
  public FeatureSet<String> featurize(Input s) {
    return s.modality.featurize(s.value, PoolStatistics.empty(), new SplittableRandom(1));
  }

  /** One perturbation sample: the text with a random number of its words removed. */
  @Benchmark
  public String perturb(Input s) {
    return s.features.apply(s.masks[s.nextIndex()]);
  }

  /** One row's input_ids and attention_mask from a perturbed text (CoreNLP words, WordPiece). */
  @Benchmark
  public List<Tensor> encode(Input s) {
    return s.encoder.encode(s.perturbed[s.nextIndex()]);
  }
}
