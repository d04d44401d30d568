package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.SurrogateFit;
import io.dime.api.run.JobResult;
import io.dime.api.run.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed report: one page is the in-memory page byte for byte; more records are paged, the
 * cards past the bound are left out but counted, the worst fits are kept in a bounded heap, and
 * what is held and written stays bounded for 20,000 records.
 */
class PagedReportTest {
  private static final List<String> MODS = List.of("image", "question");
  private static final List<String> CLASSES = List.of("yes", "no", "maybe");
  private static final List<List<String>> NAMES =
      List.of(List.of("s0", "s1", "s2"), List.of("what@0", "colour@5", "is@12"));

  static Explanation point(String id, long seed) {
    return Fixtures.explanation(
        id,
        MODS,
        NAMES,
        new double[] {2.5, -1.25, 0.5},
        "yes",
        List.of(
            new Fixtures.ClassSpec(0, "yes", List.of("predicted", "label")),
            new Fixtures.ClassSpec(2, "maybe", List.of("requested"))),
        seed);
  }

  /** The explanation with every UC fit's R² set to {@code r2}. */
  static Explanation withUc(Explanation e, double r2) {
    Explanation out = e;
    for (int c = 0; c < e.classes().size(); c++) {
      ClassExplanation cls = e.classes().get(c);
      for (int m = 0; m < cls.modalities().size(); m++) {
        List<SurrogateFit> fits = cls.modalities().get(m).fits();
        for (int i = 0; i < fits.size(); i++) {
          if (fits.get(i).key().equals("UC")) {
            int mm = m;
            int ii = i;
            out =
                Fixtures.withClass(
                    out,
                    c,
                    k ->
                        Fixtures.withFit(
                            k,
                            mm,
                            ii,
                            f ->
                                new SurrogateFit(
                                    f.key(),
                                    f.kind(),
                                    f.term(),
                                    f.weights(),
                                    f.standardErrors(),
                                    f.intercept(),
                                    r2,
                                    f.localPrediction(),
                                    f.replicateErrors(),
                                    f.faithfulness())));
          }
        }
      }
    }
    return out;
  }

  private static List<DatapointReport> records(int n) {
    List<DatapointReport> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          i % 5 == 3
              ? DatapointReport.of(Fixtures.errorLine("bad" + i, i + 1, "read", "broken " + i))
              : DatapointReport.of(point("p" + i, i)));
    }
    return out;
  }

  private static List<String> cardIds(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<section class=\"card[^\"]*\" id=\"card-(\\d+)\"").matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String read(Path p) throws Exception {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A page of a DIME report (its first lines as {@link Page#open} writes them). */
  private static String page(String title) {
    StringBuilder sb = new StringBuilder();
    Page.open(sb, title, title);
    return sb.append("</header>\n").append(Page.TAIL).toString();
  }

  @Test
  void onlyStalePagesThisToolWroteAreDeleted(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("index.html");
    Files.writeString(dir.resolve("index-2.html"), "mine");
    Files.writeString(dir.resolve("index-3.html"), page("old"));
    // a page of a DIME from before the generator mark: its exact Content-Security-Policy element
    String legacy =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta http-equiv=\"Content-Security-Policy\" content=\""
            + Html.escape(HtmlReport.CONTENT_SECURITY_POLICY)
            + "\">\n</head></html>\n";
    Files.writeString(dir.resolve("index-4.html"), legacy);
    Files.writeString(dir.resolve("index-5.html"), "<!DOCTYPE html>\n<p>mine too</p>\n");
    Files.writeString(dir.resolve("index-7.html"), page("not next to the others"));
    try (PagedReport r = PagedReport.builder(file).cardsPerPage(3).build()) {
      for (DatapointReport d : records(2)) {
        r.add(d);
      }
      r.finish(null);
      assertEquals(
          List.of(
              "kept "
                  + dir.resolve("index-2.html").toAbsolutePath()
                  + ": named like a page of this report, but not written by DIME (no DIME report"
                  + " mark at its top), so not deleted",
              "kept "
                  + dir.resolve("index-5.html").toAbsolutePath()
                  + ": named like a page of this report, but not written by DIME (no DIME report"
                  + " mark at its top), so not deleted"),
          r.warnings());
    }
    assertEquals(List.of("index-2.html", "index-5.html", "index-7.html", "index.html"), files(dir));
    assertEquals("mine", read(dir.resolve("index-2.html")));
    assertTrue(read(file).contains(Page.GENERATOR), "the pages carry the mark");
  }

  @Test
  void aPageNameTakenBySomeoneElsesFileWritesNoPage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("index.html");
    Files.writeString(dir.resolve("index-3.html"), "mine");
    PagedReport r = PagedReport.builder(file).cardsPerPage(2).build();
    for (DatapointReport d : records(5)) {
      r.add(d);
    }
    IOException e = assertThrows(IOException.class, () -> r.finish(null));
    assertEquals(
        dir.resolve("index-3.html").toAbsolutePath()
            + " exists and was not written by DIME (no DIME report mark at its top): this report"
            + " needs that name for its page 3; move the file or name the report otherwise. No"
            + " page was written",
        e.getMessage());
    r.close();
    assertEquals(List.of("index-3.html"), files(dir), "no page and no temporary file");
    assertEquals("mine", read(dir.resolve("index-3.html")));
  }

  @Test
  void onePageOfRecordsIsTheInMemoryPageByteForByte(@TempDir Path dir) throws Exception {
    List<DatapointReport> points = records(7);
    RunSummary summary = Fixtures.summary(MODS, CLASSES);
    Path file = dir.resolve("report.html");
    try (PagedReport r = PagedReport.builder(file).classNames(CLASSES).cardsPerPage(7).build()) {
      for (DatapointReport d : points) {
        r.add(d);
      }
      r.finish(summary);
      assertEquals(List.of(file), r.files());
    }
    String expected = HtmlReport.render(ReportInput.of(summary, points).withClassNames(CLASSES));
    assertEquals(expected, read(file));
    assertEquals(List.of("report.html"), files(dir), "no temporary file is left");
  }

  /**
   * Symbolic links planted under the temporary names beside the pages (a run folder from someone
   * else, given to {@code dime report}) are replaced, never written through: each page's {@code
   * .tmp} and the cards' file were opened with CREATE and TRUNCATE_EXISTING, so the links' targets
   * (any file of the user's) were overwritten with report pages.
   */
  @Test
  void linksUnderTheTemporaryNamesAreNotWrittenThrough(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    List<Path> victims = new java.util.ArrayList<>();
    for (String tmp : List.of("report.html.tmp", "report-2.html.tmp", "report.html.cards.tmp")) {
      Path victim = Files.writeString(dir.resolve("victim-" + tmp + ".txt"), "keep me\n");
      Files.createSymbolicLink(dir.resolve(tmp), victim);
      victims.add(victim);
    }
    try (PagedReport r = PagedReport.builder(file).cardsPerPage(3).worstCards(0).build()) {
      for (DatapointReport d : records(5)) {
        r.add(d);
      }
      r.finish(null);
    }
    for (Path victim : victims) {
      assertEquals("keep me\n", Files.readString(victim), victim.toString());
    }
    assertEquals(List.of("0", "1", "2"), cardIds(read(file)));
    assertEquals(List.of("3", "4"), cardIds(read(dir.resolve("report-2.html"))));
  }

  @Test
  void recordsArePagedWithAnIndexAndLinksBetweenThePages(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    // a page left from an earlier, longer report goes
    Files.writeString(dir.resolve("report-5.html"), page("old"));
    Files.writeString(dir.resolve("report-4.html"), page("old"));
    try (PagedReport r = PagedReport.builder(file).cardsPerPage(3).worstCards(0).build()) {
      for (DatapointReport d : records(9)) {
        r.add(d);
      }
      r.finish(null);
      assertEquals(
          List.of(file, dir.resolve("report-2.html"), dir.resolve("report-3.html")), r.files());
    }
    assertEquals(List.of("report-2.html", "report-3.html", "report.html"), files(dir));
    String first = read(file);
    assertEquals(List.of("0", "1", "2"), cardIds(first));
    assertEquals(List.of("3", "4", "5"), cardIds(read(dir.resolve("report-2.html"))));
    assertEquals(List.of("6", "7", "8"), cardIds(read(dir.resolve("report-3.html"))));
    // counts of every record (3 and 8 failed), the index with each page's range and failures
    assertTrue(first.contains("<p class=\"muted\">7 explained, 2 failed"), first);
    assertTrue(first.contains("All 9 records: 9 cards on 3 pages"));
    assertTrue(
        first.contains(
            "<li><a href=\"./report-2.html\">report-2.html</a>: records 4 to 6"
                + " <span class=\"stage\">1 failed</span></li>"));
    assertTrue(first.contains("<a href=\"./report-3.html\">report-3.html</a>: records 7 to 9"));
    // a failed record on a later page is linked to its card there
    assertTrue(first.contains("<li><a href=\"./report-3.html#card-8\">&#39;bad8&#39;</a>"));
    assertTrue(first.contains("<li><a href=\"./report-2.html#card-3\">&#39;bad3&#39;</a>"));
    String third = read(dir.resolve("report-3.html"));
    assertTrue(third.contains("Records 7 to 9 of 9 (page 3 of 3)"));
    assertTrue(
        third.contains(
            "<nav class=\"pager\"><a href=\"./report.html\">summary (page 1)</a>"
                + " \u00b7 <a href=\"./report-2.html\">previous (page 2)</a></nav>"));
    assertTrue(third.endsWith("</main>\n</body>\n</html>\n"));
  }

  @Test
  void cardsPastTheBoundAreLeftOutButCountedAndTheWorstFitsAreKept(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("report.html");
    // R² per record: 0.9 but for records 2 (0.5), 6 (0.1), 8 (0.3) and 9 (0.1, a tie with 6)
    double[] r2 = {0.9, 0.9, 0.5, 0.9, 0.9, 0.9, 0.1, 0.9, 0.3, 0.1, 0.9, 0.9};
    try (PagedReport r =
        PagedReport.builder(file).cardsPerPage(2).maxCards(4).worstCards(3).build()) {
      for (int i = 0; i < r2.length; i++) {
        if (i == 7) {
          r.add(DatapointReport.of(Fixtures.errorLine("late", 8, "model", "NaN <b>")));
        } else {
          Explanation e = withUc(point("p" + i, i), r2[i]);
          assertEquals(i < 4 || r2[i] <= 0.3, r.wantsCard(e), "record " + i);
          r.add(DatapointReport.of(e));
        }
      }
      r.finish(null);
      assertTrue(r.heldChars() > 0);
    }
    assertEquals(List.of("report-2.html", "report.html"), files(dir));
    String first = read(file);
    // the first page's two cards, then the worst fits not among them: 6, 9 (the tie, later) and 8
    assertEquals(List.of("0", "1", "6", "9", "8"), cardIds(first));
    assertEquals(List.of("2", "3"), cardIds(read(dir.resolve("report-2.html"))));
    List<String> worstRows = new ArrayList<>();
    Matcher m =
        Pattern.compile(
                "<tr><td><a href=\"#card-(\\d+)\">(p\\d+)</a></td><td>[^<]*</td><td>[^<]*"
                    + "</td><td class=\"num\">([^<]*)</td></tr>")
            .matcher(first);
    while (m.find()) {
      worstRows.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
    }
    assertEquals(List.of("6 p6 0.1", "9 p9 0.1", "8 p8 0.3"), worstRows);
    assertTrue(first.contains("<p class=\"muted\">11 explained, 1 failed"));
    assertTrue(first.contains("All 12 records: 4 cards on 2 pages"));
    assertTrue(first.contains("The last 8 records have no card (the report shows the first 4)"));
    // the failure past the bound is listed, without a link, its message escaped
    assertTrue(
        first.contains(
            "<li><b>&#39;late&#39;</b> <span class=\"stage\">model</span> NaN &lt;b&gt;</li>"),
        first);
    for (int i : new int[] {4, 5, 10, 11}) {
      assertFalse(first.contains("data-id=\"p" + i + "\""), "no card for record " + i);
    }
  }

  @Test
  void noCardsAtAllStillGivesTheSummaryAndTheWorstFits(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    try (PagedReport r = PagedReport.builder(file).maxCards(0).worstCards(1).build()) {
      r.add(DatapointReport.of(withUc(point("a", 1), 0.7)));
      r.add(DatapointReport.of(withUc(point("b", 2), 0.2)));
      r.finish(null);
    }
    String first = read(file);
    assertEquals(List.of("1"), cardIds(first));
    assertTrue(first.contains("All 2 records: 0 cards on 0 pages"));
    assertEquals(List.of("report.html"), files(dir));
  }

  @Test
  void aReportClosedBeforeItsEndLeavesNoFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    Files.writeString(file, "the earlier report");
    try (PagedReport r = PagedReport.builder(file).build()) {
      r.add(DatapointReport.of(point("a", 1)));
      assertTrue(Files.exists(dir.resolve("report.html.cards.tmp")));
    }
    assertEquals(List.of("report.html"), files(dir));
    assertEquals("the earlier report", read(file));
  }

  @Test
  void badSettingsAreRefused(@TempDir Path dir) {
    PagedReport.Builder b = PagedReport.builder(dir.resolve("r.html"));
    assertThrows(IllegalArgumentException.class, () -> b.cardsPerPage(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxCards(-1));
    assertThrows(IllegalArgumentException.class, () -> b.worstCards(-1));
  }

  /**
   * 20,000 results through the job's sink, every tenth failed: the pages are those of the first 500
   * records, each under a bound, the summary counts all 20,000, and a card past the bound is
   * nowhere.
   */
  @Test
  void twentyThousandResultsGiveBoundedPages(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    int n = 20_000;
    Explanation template = point("t", 7);
    try (HtmlReportSink sink = HtmlReportSink.builder(file, List.of()).build()) {
      for (int i = 0; i < n; i++) {
        ExplainResult r =
            i % 10 == 9
                ? Fixtures.errorLine("bad" + i, i + 1, "read", "broken record " + i)
                : withId(template, "p" + i);
        sink.accept(
            new JobResult(JobResult.Status.EXPLAINED, i + 1, r, Optional.empty(), Map.of()));
      }
      sink.finish(null);
      assertEquals(5, sink.files().size());
    }
    List<String> names = files(dir);
    assertEquals(
        List.of("report-2.html", "report-3.html", "report-4.html", "report-5.html", "report.html"),
        names);
    long total = 0;
    for (String name : names) {
      long size = Files.size(dir.resolve(name));
      total += size;
      assertTrue(size < 3_000_000, name + ": " + size + " bytes");
    }
    assertTrue(total < 10_000_000, "the report is " + total + " bytes");
    String first = read(file);
    assertTrue(first.contains("<p class=\"muted\">18000 explained, 2000 failed"));
    assertTrue(first.contains("Failed records (2000)"));
    assertTrue(first.contains("1000 more failed records are not listed here"));
    assertFalse(first.contains("data-id=\"p12345\""));
    for (String name : names) {
      String html = read(dir.resolve(name));
      for (String id : cardIds(html)) {
        assertTrue(Integer.parseInt(id) < 500, name + " has card " + id);
      }
    }
  }

  private static Explanation withId(Explanation e, String id) {
    return new Explanation(
        e.schemaVersion(),
        id,
        e.modalities(),
        e.outputs(),
        e.predicted(),
        e.label(),
        e.classes(),
        e.passes(),
        e.warnings(),
        e.provenance(),
        e.timings());
  }
}
