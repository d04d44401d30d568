package io.dime.modality.timeseries;

import io.dime.api.InputException;
import io.dime.spi.JsonValues;
import io.dime.spi.ReadContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@link Series} from a manifest field: a JSON array of numbers (one channel), an array of
 * arrays (one per channel), or a CSV file. Every problem is an {@link InputException} naming the
 * record, the modality and where the problem is.
 *
 * <p>CSV: comma separated, one column per channel, one row per time step; cells may be quoted with
 * {@code "} ({@code ""} inside a quoted cell is one quote). An optional first row names the
 * channels. Blank lines at the end are ignored. In messages, rows are the file's lines and columns
 * the cells of a line, both counted from 1 (the header, when there is one, is row 1); channels and
 * indices, as everywhere else in the modality, are counted from 0.
 */
final class SeriesReader {
  /** Whether the first CSV row names the channels. */
  enum Header {
    /** A header when no cell of the first row is a number. */
    AUTO,
    PRESENT,
    ABSENT
  }

  /**
   * How a CSV file is written: its header, its field delimiter (0: detected from the first row
   * among comma, semicolon and tab, the one that occurs most; a comma when none does) and its
   * decimal mark ('.' or ',').
   */
  record CsvFormat(Header header, char delimiter, char decimal) {
    /** The format of the settings before this one existed: commas and decimal points. */
    static final CsvFormat DEFAULT = new CsvFormat(Header.AUTO, (char) 0, '.');
  }

  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Set<String> NAN = Set.of("nan", "+nan", "-nan");
  private static final Set<String> INFINITE =
      Set.of("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity");

  private final String modality;
  private final String recordId;

  /**
   * The largest CSV file read: 256 MiB, about ten million values (the default maxValues) at 25
   * bytes each; a larger file fails its record before it is read into memory.
   */
  static final long MAX_CSV_BYTES = 256L << 20;

  private SeriesReader(String modality, String recordId) {
    this.modality = modality;
    this.recordId = recordId;
  }

  static Series readJson(List<?> list, String modality, String recordId) {
    return new SeriesReader(modality, recordId).json(list);
  }

  static Series readCsv(ReadContext context, String file, CsvFormat format, String modality) {
    return new SeriesReader(modality, context.recordId()).csv(context, file, format);
  }

  private InputException fail(String problem) {
    return new InputException(recordId, "modality '" + modality + "': " + problem);
  }

  private InputException fail(String problem, Throwable cause) {
    return new InputException(recordId, "modality '" + modality + "': " + problem, cause);
  }

  // ---- JSON ----------------------------------------------------------------------------------

  private Series json(List<?> list) {
    if (list.isEmpty()) {
      throw fail("empty series (an empty array)");
    }
    boolean nested = list.get(0) instanceof List<?>;
    List<List<?>> rows = new ArrayList<>();
    if (nested) {
      for (int c = 0; c < list.size(); c++) {
        if (!(list.get(c) instanceof List<?> row)) {
          throw fail(
              "element "
                  + c
                  + " is "
                  + describe(list.get(c))
                  + ", but element 0 is an array; give an array of numbers (one channel) or an"
                  + " array of arrays (one per channel)");
        }
        rows.add(row);
      }
    } else {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof List<?>) {
          throw fail(
              "element "
                  + i
                  + " is an array, but element 0 is not; give an array of numbers (one channel) or"
                  + " an array of arrays (one per channel)");
        }
      }
      rows.add(list);
    }
    int length = rows.get(0).size();
    for (int c = 0; c < rows.size(); c++) {
      if (rows.get(c).size() != length) {
        throw fail(
            "ragged channels: channel 0 has "
                + length
                + " values, channel "
                + c
                + " has "
                + rows.get(c).size());
      }
    }
    if (length == 0) {
      throw fail("empty series (channels without values)");
    }
    double[][] data = new double[rows.size()][length];
    for (int c = 0; c < data.length; c++) {
      List<?> row = rows.get(c);
      for (int i = 0; i < length; i++) {
        data[c][i] = jsonValue(row.get(i), c, i);
      }
    }
    return Series.of(data);
  }

  private double jsonValue(Object o, int c, int i) {
    String where = "at channel " + c + " index " + i;
    if (o == null) {
      throw fail("gap (missing value) " + where);
    }
    if (!(o instanceof Number n)) {
      throw fail("not a number " + where + ": " + describe(o));
    }
    double x = n.doubleValue();
    if (Double.isNaN(x)) {
      throw fail("NaN " + where);
    }
    if (Double.isInfinite(x)) {
      throw fail("value " + where + " is not finite: " + o);
    }
    return x;
  }

  // ---- CSV -----------------------------------------------------------------------------------

  private Series csv(ReadContext context, String file, CsvFormat format) {
    if (file.isBlank()) {
      throw fail("empty file name; give a CSV path or an array of numbers");
    }
    List<String> lines;
    try {
      byte[] bytes = context.readFile(file, MAX_CSV_BYTES);
      lines =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString()
              .lines()
              .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    } catch (ReadContext.FileException e) {
      throw fail("cannot read CSV file '" + file + "': " + e.getMessage(), e);
    } catch (CharacterCodingException e) {
      throw fail("cannot read CSV file '" + file + "': not UTF-8 text", e);
    }
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1));
    }
    int end = lines.size();
    while (end > 0 && lines.get(end - 1).isBlank()) {
      end--;
    }
    if (end == 0) {
      throw fail("empty series: CSV file '" + file + "' has no rows");
    }
    char delimiter =
        format.delimiter() != 0
            ? format.delimiter()
            : detect(lines.subList(0, Math.min(end, DETECT_ROWS)), format.decimal());
    List<List<String>> rows = new ArrayList<>(end);
    for (int r = 0; r < end; r++) {
      rows.add(cells(lines.get(r), r + 1, file, delimiter));
    }
    boolean hasHeader =
        switch (format.header()) {
          case PRESENT -> true;
          case ABSENT -> false;
          case AUTO -> rows.get(0).stream().noneMatch(c -> looksNumeric(c, format.decimal()));
        };
    int columns = rows.get(0).size();
    List<String> names = List.of();
    if (hasHeader) {
      names = headerNames(rows.get(0), file);
    }
    int first = hasHeader ? 1 : 0;
    int length = end - first;
    if (length == 0) {
      throw fail("empty series: CSV file '" + file + "' has a header but no values");
    }
    for (int r = first; r < end; r++) {
      if (rows.get(r).size() != columns) {
        throw fail(
            "ragged CSV file '"
                + file
                + "': row "
                + (r + 1)
                + " has "
                + rows.get(r).size()
                + " columns, row 1 has "
                + columns);
      }
    }
    double[][] data = new double[columns][length];
    for (int r = first; r < end; r++) {
      List<String> row = rows.get(r);
      for (int k = 0; k < columns; k++) {
        data[k][r - first] = csvValue(row.get(k), k, r - first, r + 1, file, format.decimal());
      }
    }
    return Series.of(data, names);
  }

  private List<String> headerNames(List<String> row, String file) {
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < row.size(); k++) {
      String name = row.get(k);
      if (name.isBlank()) {
        throw fail(
            "CSV file '" + file + "': the header (row 1) has no channel name in column " + (k + 1));
      }
      if (!seen.add(name)) {
        throw fail(
            "CSV file '"
                + file
                + "': the header (row 1) names channel '"
                + name
                + "' twice (column "
                + (k + 1)
                + ")");
      }
    }
    return row;
  }

  /** Rows read to find the delimiter. */
  static final int DETECT_ROWS = 5;

  /**
   * The delimiter of a file that starts with these rows: of comma, semicolon and tab (never the
   * decimal mark), the one that occurs outside quotes the same number of times, at least once, in
   * every row (the most often of those); when none does, the most frequent in the first row (so a
   * header alone decides a file of ragged rows, which then fails by row); a comma (a semicolon with
   * decimal commas) when none occurs: a one-column file.
   */
  static char detect(List<String> rows, char decimal) {
    char best = 0;
    int most = 0;
    for (char d : new char[] {',', ';', '\t'}) {
      if (d == decimal) {
        continue;
      }
      int n = count(rows.get(0), d);
      for (String row : rows) {
        if (count(row, d) != n) {
          n = 0;
        }
      }
      if (n > most) {
        most = n;
        best = d;
      }
    }
    return best != 0 ? best : detect(rows.get(0), decimal);
  }

  /**
   * The delimiter by one row: the most frequent of comma, semicolon and tab outside quotes (never
   * the decimal mark), a comma (a semicolon with decimal commas) when none occurs.
   */
  static char detect(String line, char decimal) {
    char best = decimal == ',' ? ';' : ',';
    int most = 0;
    for (char d : new char[] {',', ';', '\t'}) {
      if (d == decimal) {
        continue;
      }
      int n = count(line, d);
      if (n > most) {
        most = n;
        best = d;
      }
    }
    return best;
  }

  /** How often {@code d} occurs in {@code line} outside double quotes. */
  private static int count(String line, char d) {
    int n = 0;
    boolean inQuotes = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        inQuotes = !inQuotes;
      } else if (ch == d && !inQuotes) {
        n++;
      }
    }
    return n;
  }

  private double csvValue(String cell, int channel, int index, int row, String file, char decimal) {
    String written = cell;
    if (decimal == ',') {
      cell = cell.replace(',', '.');
    }
    String where =
        "at channel "
            + channel
            + " index "
            + index
            + " (row "
            + row
            + ", column "
            + (channel + 1)
            + " of '"
            + file
            + "')";
    String lower = cell.toLowerCase(Locale.ROOT);
    if (cell.isEmpty()) {
      throw fail("gap (empty cell) " + where);
    }
    if (NAN.contains(lower)) {
      throw fail("NaN " + where);
    }
    if (INFINITE.contains(lower)) {
      throw fail("value " + where + " is not finite: '" + cell + "'");
    }
    if (decimal == ',' && written.indexOf('.') >= 0) {
      // "1.234" in a file of decimal commas is 1234 written with a thousands separator
      throw fail(
          "'"
              + abbreviate(written)
              + "' "
              + where
              + " has a '.', which in a file of decimal commas (decimal: ',') is a thousands"
              + " separator or a decimal point: write the number without thousands separators, or"
              + " set decimal: '.'");
    }
    if (!NUMBER.matcher(cell).matches()) {
      throw fail(
          "not a number at row "
              + row
              + ", column "
              + (channel + 1)
              + " of '"
              + file
              + "' (channel "
              + channel
              + " index "
              + index
              + "): '"
              + abbreviate(written)
              + "'"
              + (decimal == '.' && NUMBER.matcher(cell.replace(',', '.')).matches()
                  ? "; for decimal commas set decimal: ','"
                  : ""));
    }
    double x = Double.parseDouble(cell);
    if (Double.isInfinite(x)) {
      throw fail("value " + where + " is not finite: '" + abbreviate(written) + "'");
    }
    return x;
  }

  /** A number, or a spelling of NaN or infinity: what a header row never holds. */
  private static boolean looksNumeric(String cell, char decimal) {
    if (decimal == ',' && cell.indexOf('.') < 0) {
      cell = cell.replace(',', '.');
    }
    String lower = cell.toLowerCase(Locale.ROOT);
    return NUMBER.matcher(cell).matches() || NAN.contains(lower) || INFINITE.contains(lower);
  }

  /**
   * Splits one line at the delimiter outside quotes; unquoted cells are trimmed, quoted cells keep
   * their content ({@code ""} is one quote).
   */
  private List<String> cells(String line, int row, String file, char delimiter) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean inQuotes = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (inQuotes) {
        if (ch != '"') {
          cell.append(ch);
        } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else {
          inQuotes = false;
        }
      } else if (ch == delimiter) {
        out.add(quoted ? cell.toString() : cell.toString().trim());
        cell.setLength(0);
        quoted = false;
      } else if (ch == '"' && !quoted && cell.toString().isBlank()) {
        cell.setLength(0);
        quoted = true;
        inQuotes = true;
      } else if (quoted) {
        if (!Character.isWhitespace(ch)) {
          throw fail(
              "CSV file '"
                  + file
                  + "': text after a closing quote at row "
                  + row
                  + ", column "
                  + (out.size() + 1));
        }
      } else {
        cell.append(ch);
      }
    }
    if (inQuotes) {
      throw fail(
          "CSV file '" + file + "': unclosed quote at row " + row + ", column " + (out.size() + 1));
    }
    out.add(quoted ? cell.toString() : cell.toString().trim());
    return out;
  }

  static String describe(Object o) {
    return JsonValues.describe(o);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
