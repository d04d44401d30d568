package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * CoreNLP's tokenizer from the main jar alone (the module excludes all of CoreNLP's declared
 * dependencies), its agreement between the two entry points, and its thread safety.
 */
class TextTokenizerTest {
  private final CoreNlpTokenizer tokenizer = new CoreNlpTokenizer();

  @Test
  void tokenizesWithoutCoreNlpsOptionalDependencies() {
    for (String absent :
        List.of(
            "org.apache.lucene.util.Version",
            "nu.xom.Document",
            "com.google.protobuf.Message",
            "org.ejml.simple.SimpleMatrix",
            "de.jollyday.HolidayManager")) {
      assertTrue(isAbsent(absent), absent + " should not be on the class path");
    }
    CoreNlpTokenizer.Segmentation s = tokenizer.segment("Dr. Smith isn't here. (He left.)");
    assertEquals(
        List.of("Dr.", "Smith", "is", "n't", "here", ".", "(", "He", "left", ".", ")"),
        s.words().stream().map(Span::text).toList());
    assertEquals(2, s.sentences().size());
  }

  private static boolean isAbsent(String className) {
    try {
      Class.forName(className, false, TextTokenizerTest.class.getClassLoader());
      return false;
    } catch (ClassNotFoundException e) {
      return true;
    }
  }

  @Test
  void bothEntryPointsGiveTheSameWords() {
    String text = Texts.PARAGRAPH + " \"Quotes\" -- and e-mail, U.S.A., 3.5 % ... done";
    assertEquals(tokenizer.segment(text).words(), tokenizer.words(text));
    for (Span s : tokenizer.words(text)) {
      assertEquals(text.substring(s.begin(), s.end()), s.text());
    }
  }

  @Test
  void featurizeAndEncodeAreThreadSafe() throws Exception {
    TextModality m =
        new TextModality(
            "q",
            PluginConfig.of(
                "q",
                "vocab",
                TextModalityContractTest.VOCAB,
                "features",
                "sentences",
                "maxLength",
                64));
    String[] words = Texts.PARAGRAPH.split(" ");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder b = new StringBuilder();
      for (int j = i; j < words.length; j += 1 + i % 3) {
        b.append(words[j]).append(j % 11 == 0 ? ". " : " ");
      }
      texts.add(b.toString());
    }
    List<String> serial = new ArrayList<>();
    for (String t : texts) {
      serial.add(signature(m, t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int k = 0; k < 8; k++) {
        int offset = k * 5;
        futures.add(
            pool.submit(
                () -> {
                  List<String> out = new ArrayList<>();
                  for (int r = 0; r < 3; r++) {
                    for (int i = 0; i < texts.size(); i++) {
                      int j = (i + offset) % texts.size();
                      if (!serial.get(j).equals(signature(m, texts.get(j)))) {
                        out.add("text " + j);
                      }
                    }
                  }
                  return out;
                }));
      }
      for (Future<List<String>> f : futures) {
        assertEquals(List.of(), f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static String signature(TextModality m, String text) {
    FeatureSet<String> fs = m.featurize(text, PoolStatistics.empty(), new SplittableRandom(1));
    return fs.names()
        + java.util.Arrays.toString(m.encoder().encode(text).get(0).longs())
        + java.util.Arrays.toString(
            m.encoder().encode(fs.apply(new boolean[fs.size()])).get(0).longs());
  }
}
