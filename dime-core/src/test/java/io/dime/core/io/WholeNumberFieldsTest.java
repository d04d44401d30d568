package io.dime.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.run.RunSummary;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A count in a hand-edited summary or explanations file that is not a whole number, or too large
 * for its field, is refused with the field's name. Before, 3.7 was read as 3 and 1e30 as the
 * largest long (or int), silently.
 */
class WholeNumberFieldsTest {
  private static final Path SUMMARY =
      Path.of("..", "dime-cli", "src", "test", "resources", "golden", "demo-summary.json");

  /** The demo's golden summary, with timings (the golden file masks them). */
  private static ObjectNode summary() throws IOException {
    ObjectNode n = (ObjectNode) Json.mapper().readTree(Files.readString(SUMMARY));
    n.putObject("timings").put("totalSeconds", 2.0).put("explainSeconds", 1.0);
    return n;
  }

  private static String refused(JsonNode summary) {
    return assertThrows(IOException.class, () -> SummaryJson.read(Json.line(summary))).getMessage();
  }

  @Test
  void aFractionalOrHugeRowCountInTheSummaryIsRefused() throws IOException {
    RunSummary s = SummaryJson.read(Json.line(summary()));
    assertEquals(1691061L, s.passes().totalRows());
    ObjectNode n = summary();
    ((ObjectNode) n.get("passes")).put("totalRows", 3.7);
    assertEquals("summary: 'totalRows' must be an integer, found 3.7", refused(n));
    n = summary();
    ((ObjectNode) n.get("passes")).put("cachedRows", new BigInteger("1000000000000000000000"));
    assertEquals(
        "summary: 'cachedRows' must be an integer, found 1000000000000000000000", refused(n));
    n = summary();
    ((ObjectNode) n.get("globalAnalysis")).put("rows", 2500.5);
    assertEquals("summary: 'rows' must be an integer, found 2500.5", refused(n));
  }

  @Test
  void aFractionalCountInTheSummarysProvenanceIsRefused() throws IOException {
    ObjectNode n = summary();
    ((ObjectNode) n.get("provenance")).put("samples", 1000.7);
    assertTrue(refused(n).contains("provenance: 'samples' must be int, found 1000.7"), refused(n));
    n = summary();
    ((ObjectNode) n.get("provenance")).put("samples", 1e12);
    assertTrue(refused(n).contains("provenance: 'samples' must be int, found 1.0E12"), refused(n));
  }

  @Test
  void aFractionalIntegerInAnExplanationLineIsRefused() throws IOException {
    Explanation e = FeatureMapJsonTest.explainOne();
    ObjectNode n = Json.mapper().valueToTree(e);
    assertEquals(e.predicted(), ((Explanation) Json.readResult(Json.line(n))).predicted());
    n.put("predicted", e.predicted() + 0.7);
    ObjectNode fractional = n;
    IOException x = assertThrows(IOException.class, () -> Json.readResult(Json.line(fractional)));
    assertTrue(x.getMessage().contains("predicted"), x.getMessage());
    assertThrows(IOException.class, () -> Json.readExplanation(Json.line(fractional)));
  }

  @Test
  void aFractionalLineNumberOfAnErrorLineIsRefused() throws IOException {
    String line =
        "{\"schemaVersion\":1,\"id\":\"a\",\"line\":%s,\"error\":{\"stage\":\"read\","
            + "\"message\":\"m\"}}";
    RecordError r = assertInstanceOf(RecordError.class, Json.readResult(line.formatted("3")));
    assertEquals(3, r.line());
    for (String bad : new String[] {"3.7", "1e12", "5000000000", "\"3\""}) {
      IOException x =
          assertThrows(IOException.class, () -> Json.readResult(line.formatted(bad)), bad);
      assertEquals(
          "'line' must be an integer, found " + Json.mapper().readTree(bad), x.getMessage());
    }
  }
}
