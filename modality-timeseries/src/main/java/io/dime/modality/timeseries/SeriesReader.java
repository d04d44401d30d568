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

  /**
   * Reads a CSV file, failing the record once its values pass {@code maxValues} (channels x
   * length), before the rest of the file is read into memory.
   */
  static Series readCsv(
      ReadContext context, String file, CsvFormat format, String modality, int maxValues) {
    return new SeriesReader(modality, context.recordId()).csv(context, file, format, maxValues);
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

  private Series csv(ReadContext context, String file, CsvFormat format, int maxValues) {
    if (file.isBlank()) {
      throw fail("empty file name; give a CSV path or an array of numbers");
    }
    String text = csvText(context, file);
    // the rows up to the last that is not blank, read one at a time: a file of millions of short
    // rows is never held as one object per row, and fails at the value limit as it is passed
    int end = endOfLastNonBlankLine(text);
    if (end == 0) {
      throw fail("empty series: CSV file '" + file + "' has no rows");
    }
    java.util.Iterator<String> lines = new Lines(text, end);
    List<String> head = new ArrayList<>(DETECT_ROWS);
    while (head.size() < DETECT_ROWS && lines.hasNext()) {
      head.add(lines.next());
    }
    char delimiter = format.delimiter() != 0 ? format.delimiter() : detect(head, format.decimal());
    List<String> first = cells(head.get(0), 1, file, delimiter);
    boolean hasHeader =
        switch (format.header()) {
          case PRESENT -> true;
          case ABSENT -> false;
          case AUTO -> first.stream().noneMatch(c -> looksNumeric(c, format.decimal()));
        };
    int columns = first.size();
    List<String> names = hasHeader ? headerNames(first, file) : List.of();
    Columns data = new Columns(columns);
    int r = 0; // rows read so far (1-based row numbers in messages)
    java.util.Iterator<String> rest = head.iterator();
    while (rest.hasNext() || lines.hasNext()) {
      String line = rest.hasNext() ? rest.next() : lines.next();
      r++;
      List<String> row = r == 1 ? first : cells(line, r, file, delimiter);
      if (r == 1 && hasHeader) {
        continue;
      }
      if (row.size() != columns) {
        throw fail(
            "ragged CSV file '"
                + file
                + "': row "
                + r
                + " has "
                + row.size()
                + (row.size() == 1 ? " column" : " columns")
                + ", row 1 has "
                + columns);
      }
      int t = data.length;
      if ((long) (t + 1) * columns > maxValues) {
        throw tooManyValues(file, maxValues, columns, r);
      }
      double[] values = new double[columns];
      for (int k = 0; k < columns; k++) {
        values[k] = csvValue(row.get(k), k, t, r, file, format.decimal());
      }
      data.add(values);
    }
    if (data.length == 0) {
      throw fail("empty series: CSV file '" + file + "' has a header but no values");
    }
    return Series.of(data.trimmed(), names);
  }

  /** The file's text: UTF-8, without a byte order mark. */
  private String csvText(ReadContext context, String file) {
    String text;
    try {
      byte[] bytes = context.readFile(file, MAX_CSV_BYTES);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (ReadContext.FileException e) {
      throw fail("cannot read CSV file '" + file + "': " + e.getMessage(), e);
    } catch (CharacterCodingException e) {
      throw fail("cannot read CSV file '" + file + "': not UTF-8 text", e);
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private InputException tooManyValues(String file, int maxValues, int columns, int row) {
    return fail(
        "CSV file '"
            + file
            + "' has more than "
            + maxValues
            + " values ("
            + columns
            + (columns == 1 ? " channel" : " channels")
            + "; reading stopped at row "
            + row
            + "); the most is "
            + maxValues
            + " (setting 'maxValues')");
  }

  /** Where {@code text}'s last line with a character other than white space ends (0: none). */
  static int endOfLastNonBlankLine(String text) {
    int p = text.length() - 1;
    while (p >= 0 && Character.isWhitespace(text.charAt(p))) {
      p--;
    }
    if (p < 0) {
      return 0;
    }
    int end = p + 1;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    return end;
  }

  /** The lines of {@code text} before {@code end} (ended by \n, \r or \r\n), one at a time. */
  private static final class Lines implements java.util.Iterator<String> {
    private final String text;
    private final int end;
    private int at;

    Lines(String text, int end) {
      this.text = text;
      this.end = end;
    }

    @Override
    public boolean hasNext() {
      return at < end;
    }

    @Override
    public String next() {
      if (at >= end) {
        throw new java.util.NoSuchElementException();
      }
      int i = at;
      while (i < end && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
        i++;
      }
      String line = text.substring(at, i);
      boolean crlf = i + 1 < text.length() && text.charAt(i) == '\r' && text.charAt(i + 1) == '\n';
      at = i + (crlf ? 2 : 1);
      return line;
    }
  }

  /** Per channel, its values so far, grown by doubling. */
  private static final class Columns {
    double[][] data;
    int length;

    Columns(int channels) {
      data = new double[channels][16];
    }

    void add(double[] row) {
      if (length == data[0].length) {
        for (int k = 0; k < data.length; k++) {
          data[k] = java.util.Arrays.copyOf(data[k], 2 * length);
        }
      }
      for (int k = 0; k < data.length; k++) {
        data[k][length] = row[k];
      }
      length++;
    }

    double[][] trimmed() {
      double[][] out = new double[data.length][];
      for (int k = 0; k < data.length; k++) {
        out[k] = java.util.Arrays.copyOf(data[k], length);
      }
      return out;
    }
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
   * decimal commas) when none occurs: a one-column file. With decimal commas, a comma all the same
   * when neither other delimiter occurs, commas outside quotes are equally many in every row, and
   * some value is quoted with its decimal comma inside ({@code "1,5",2}, as RFC 4180 writes it).
   */
  static char detect(List<String> rows, char decimal) {
    if (decimal == ',' && quotedDecimalCommas(rows)) {
      return ',';
    }
    return detectOther(rows, decimal);
  }

  /** A quoted cell with a comma inside: "1,5". */
  private static final java.util.regex.Pattern QUOTED_COMMA =
      java.util.regex.Pattern.compile("\"[^\"]*,[^\"]*\"");

  /** Whether rows of decimal commas are comma-separated with their decimal values quoted. */
  private static boolean quotedDecimalCommas(List<String> rows) {
    boolean quoted = false;
    int n = count(rows.get(0), ',');
    for (String row : rows) {
      if (count(row, ';') > 0 || count(row, '\t') > 0 || count(row, ',') != n) {
        return false;
      }
      quoted |= QUOTED_COMMA.matcher(row).find();
    }
    return n > 0 && quoted;
  }

  private static char detectOther(List<String> rows, char decimal) {
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
