package io.dime.modality.timeseries;

import static io.dime.modality.timeseries.TimeseriesModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.InputException;
import io.dime.spi.ReadContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file of decimal commas (decimal: ',') writes thousands with dots, as German, Italian or Spanish
 * spreadsheets export formatted cells: "1.234" is 1234 there, and was read as 1.234.
 */
class SeriesDecimalCommaTest {
  @TempDir Path dir;

  Series read(String csv) throws Exception {
    Files.writeString(dir.resolve("s.csv"), csv);
    return modality("decimal", ",").read("s.csv", new ReadContext(dir, "r1"));
  }

  String refusal(String csv) throws Exception {
    Files.writeString(dir.resolve("s.csv"), csv);
    return assertThrows(
            InputException.class,
            () -> modality("decimal", ",").read("s.csv", new ReadContext(dir, "r1")))
        .getMessage();
  }

  @Test
  void aDotInAFileOfDecimalCommasIsRefused() throws Exception {
    assertEquals(
        "record 'r1': modality 's': '1.234' at channel 1 index 1 (row 3, column 2 of 's.csv') has"
            + " a '.', which in a file of decimal commas (decimal: ',') is a thousands separator or"
            + " a decimal point: write the number without thousands separators, or set decimal:"
            + " '.'",
        refusal("a;b\n1,5;2\n-3;1.234\n"));
    refusal("a;b\n1.234,5;2\n");
  }

  /**
   * Comma-separated values with their decimal commas quoted ("1,5",2: RFC 4180's way) are found by
   * auto and read, or read with delimiter ',' given (which was refused as 'both ,'); they failed
   * with "text after a closing quote" (a semicolon was taken as the delimiter). A one-column file
   * of unquoted decimal commas stays one column.
   */
  @Test
  void quotedDecimalCommasInCommaSeparatedValuesAreRead() throws Exception {
    Series want = Series.of(new double[][] {{1.5, 2.5, -3}, {2, 2, 0.25}}, List.of("x", "y"));
    String csv = "x,y\n\"1,5\",2\n\"2,5\",2\n-3,\"0,25\"\n";
    assertEquals(want, read(csv));
    Files.writeString(dir.resolve("s.csv"), csv);
    assertEquals(
        want, modality("decimal", ",", "delimiter", ",").read("s.csv", new ReadContext(dir, "r1")));
    assertEquals(Series.of(new double[][] {{1.5, 2.25}}, List.of()), read("1,5\n2,25\n"));
  }

  @Test
  void decimalCommasAndExponentsAreStillRead() throws Exception {
    assertEquals(
        Series.of(new double[][] {{1.5, -3}, {2000, 4.25}}, List.of("a", "b")),
        read("a;b\n1,5;2E3\n-3;4,25\n"));
    assertEquals(
        "record 'r1': modality 's': not a number at row 2, column 1 of 's.csv' (channel 0 index"
            + " 0): '1,5x'",
        refusal("a;b\n1,5x;2\n"));
  }
}
