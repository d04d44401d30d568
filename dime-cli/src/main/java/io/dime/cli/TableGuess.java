package io.dime.cli;

import io.dime.api.ElementType;
import io.dime.cli.PipelineSkeleton.Guess;
import io.dime.cli.PipelineSkeleton.Tensor;
import io.dime.spi.TextCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Inputs of one value a row ([batch, 1] or [batch]) are a table's columns, as a scikit-learn
 * pipeline over a table (a ColumnTransformer) is exported: one input per column, float, int64 or
 * string. Two or more make one {@code table} modality, not a modality each: the columns are one
 * modality's features. A string input named like free text (review, comment, ...) is a text, not a
 * category.
 */
final class TableGuess {
  /** Names of a string input that holds free text rather than a category. */
  private static final Pattern TEXT =
      Pattern.compile(
          "text|review|comment|descr|title|body|sentence|question|content|message|summary"
              + "|abstract|document|query|caption|utterance|tweet|prompt|note");

  /** Int64 inputs named like a text model's companions are never columns. */
  private static final Pattern TOKENS = Pattern.compile("ids|mask|token|segment|position");

  private TableGuess() {}

  /**
   * Whether {@code t} holds one value a row of a kind a table column has (a string input always
   * holds one text a row: the adapters take no other).
   */
  static boolean isColumn(Tensor t) {
    String lower = t.name().toLowerCase(Locale.ROOT);
    if (TextCodes.isText(t.modelType())) {
      return !TEXT.matcher(lower).find();
    }
    boolean one = t.rank() == 1 || (t.rank() == 2 && t.dim(1) == 1);
    return one
        && (t.type() == ElementType.FLOAT32
            || (t.type() == ElementType.INT64 && !TOKENS.matcher(lower).find()));
  }

  /** The table modality over these columns (two or more). */
  static Guess table(List<Tensor> columns) {
    Guess g =
        new Guess(
            "table",
            columns.get(0),
            "guess: "
                + columns.size()
                + " inputs of one value a row are the columns of a table, one modality");
    g.name = "columns";
    List<Object> entries =
        columns.stream()
            .map(
                t -> {
                  String type = type(t);
                  if (type.equals("number")) {
                    return (Object) t.name();
                  }
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("name", t.name());
                  m.put("type", type);
                  return m;
                })
            .toList();
    g.set(
        "columns",
        entries,
        "a record gives them as an object keyed by these names or an array in this order; a"
            + " hidden number takes the pool's mean, an integer or category the pool's most"
            + " frequent");
    return g;
  }

  private static String type(Tensor t) {
    if (TextCodes.isText(t.modelType())) {
      return "category";
    }
    return t.type() == ElementType.INT64 ? "integer" : "number";
  }
}
