package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.Explanation;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A card's verdict (correct or wrong) and its label badge follow the label as the engine reads it:
 * a class name, or an output index such as {@code "label": 1}.
 */
class CardVerdictTest {
  private static final List<String> MODS = List.of("a", "b");
  private static final List<List<String>> NAMES = List.of(List.of("x0", "x1"), List.of("y0"));
  private static final List<String> CLASSES = List.of("negative", "positive");

  private static String card(String label, List<Fixtures.ClassSpec> explained, List<String> names) {
    Explanation line =
        Fixtures.explanation("r", MODS, NAMES, new double[] {-2.0, 2.0}, label, explained, 3);
    ReportInput input = ReportInput.of(null, List.of(DatapointReport.of(line)));
    return HtmlReport.render(names.isEmpty() ? input : input.withClassNames(names));
  }

  /** The verdict badge's word and the classes of the output rows with the label badge. */
  private static List<String> verdict(String html) {
    Matcher v = Pattern.compile("class=\"badge (?:ok|bad)\">(\\w+)</span>").matcher(html);
    String word = v.find() ? v.group(1) : "none";
    Matcher rows =
        Pattern.compile("<tr[^>]*><td>([^<]*)</td><td class=\"num\">[^<]*</td><td>(.*?)</td></tr>")
            .matcher(html);
    StringBuilder labelled = new StringBuilder();
    while (rows.find()) {
      if (rows.group(2).contains("label</span>")) {
        labelled.append(rows.group(1));
      }
    }
    return List.of(word, labelled.toString());
  }

  @Test
  void aLabelGivenAsTheIndexOfThePredictedClassIsCorrect() {
    String html =
        card(
            "1",
            List.of(new Fixtures.ClassSpec(1, "positive", List.of("predicted", "label"))),
            CLASSES);
    assertEquals(List.of("correct", "positive"), verdict(html));
    assertEquals(true, html.contains("label <b>1</b> <span class=\"muted\">(positive)</span>"));
  }

  @Test
  void aLabelGivenAsTheIndexOfAnotherClassIsWrong() {
    String html =
        card(
            "0",
            List.of(
                new Fixtures.ClassSpec(1, "positive", List.of("predicted")),
                new Fixtures.ClassSpec(0, "negative", List.of("label"))),
            CLASSES);
    assertEquals(List.of("wrong", "negative"), verdict(html));
  }

  @Test
  void anIndexLabelNotExplainedIsReadAsTheEngineReadsIt() {
    // only the predicted class explained: the label is still an output index
    String html =
        card("1", List.of(new Fixtures.ClassSpec(1, "positive", List.of("predicted"))), CLASSES);
    assertEquals(List.of("correct", "positive"), verdict(html));
  }

  @Test
  void aLabelByNameIsUnchanged() {
    assertEquals(
        List.of("correct", "positive"),
        verdict(
            card(
                "positive",
                List.of(new Fixtures.ClassSpec(1, "positive", List.of("predicted", "label"))),
                CLASSES)));
    assertEquals(
        List.of("wrong", ""),
        verdict(
            card(
                "maybe",
                List.of(new Fixtures.ClassSpec(1, "positive", List.of("predicted"))),
                CLASSES)));
    // a class named "1" is read by its name, not as index 1
    assertEquals(
        List.of("wrong", "1"),
        verdict(
            card(
                "1",
                List.of(new Fixtures.ClassSpec(1, "0", List.of("predicted"))),
                List.of("1", "0"))));
  }

  /**
   * A label that names a class the pipeline lists twice is the first output of that name (as
   * List.indexOf read it before the names were indexed once per report).
   */
  @Test
  void aLabelNamingARepeatedClassIsItsFirstOutput() {
    assertEquals(
        List.of("wrong", "positive"),
        verdict(
            card(
                "positive",
                List.of(new Fixtures.ClassSpec(1, "positive", List.of("predicted"))),
                List.of("positive", "positive"))));
  }

  /**
   * With 50,000 class names and 300 cards each card's label still resolves by name: the first 100
   * name the predicted output (correct), the next 100 the other one (wrong), the last 100 no output
   * at all (wrong, no row marked).
   */
  @Test
  void manyClassNamesAndCardsResolveEachLabel() {
    List<String> names = new java.util.ArrayList<>(List.of("negative", "positive"));
    for (int i = 2; i < 50_000; i++) {
      names.add("c" + i);
    }
    List<DatapointReport> points = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String label = i < 100 ? "positive" : i < 200 ? "negative" : "unknown" + i;
      points.add(
          DatapointReport.of(
              Fixtures.explanation(
                  "r" + i,
                  MODS,
                  NAMES,
                  new double[] {-2.0, 2.0},
                  label,
                  List.of(new Fixtures.ClassSpec(1, "positive", List.of("predicted"))),
                  3)));
    }
    String html = HtmlReport.render(ReportInput.of(null, points).withClassNames(names));
    String[] cards = html.split("<section class=\"card", -1);
    assertEquals(301, cards.length);
    for (int i = 0; i < 300; i++) {
      List<String> expected =
          i < 100
              ? List.of("correct", "positive")
              : i < 200 ? List.of("wrong", "negative") : List.of("wrong", "");
      assertEquals(expected, verdict(cards[i + 1]), "card " + i);
    }
  }
}
