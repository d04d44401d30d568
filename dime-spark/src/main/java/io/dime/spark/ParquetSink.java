package io.dime.spark;

import io.dime.api.ClassExplanation;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.TermValue;
import io.dime.api.run.JobResult;
import io.dime.api.run.ResultSink;
import io.dime.api.run.RunSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code OUT/parquet}: the job's results as rows, written with Spark's DataFrame writer. One row
 * per datapoint, explained class and term of the value decomposition ({@code id}, {@code line},
 * {@code class}, {@code class_name}, {@code term}, {@code value}, {@code standard_error}), and one
 * row per record that failed ({@code id} (null when unreadable), {@code line}, {@code error_stage},
 * {@code error}). It holds the same results as {@code explanations.jsonl}, kept ones included; the
 * rows are written in chunks as they come and the folder is replaced when the job starts writing
 * it. A job that stops early writes the rows of the records it delivered when it closes.
 */
final class ParquetSink implements ResultSink {
  /** The folder under the output folder. */
  static final String FOLDER = "parquet";

  /** The rows' columns. */
  static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, true)
          .add("line", DataTypes.IntegerType, false)
          .add("class", DataTypes.IntegerType, true)
          .add("class_name", DataTypes.StringType, true)
          .add("term", DataTypes.StringType, true)
          .add("value", DataTypes.DoubleType, true)
          .add("standard_error", DataTypes.DoubleType, true)
          .add("error_stage", DataTypes.StringType, true)
          .add("error", DataTypes.StringType, true);

  private static final int CHUNK = 100_000;

  private final SparkSession spark;
  private final Path folder;
  private final List<Row> rows = new ArrayList<>();
  private boolean written;
  private boolean finished;

  ParquetSink(SparkSession spark, Path folder) {
    this.spark = spark;
    this.folder = folder;
  }

  /**
   * The folder as Spark's writer takes it: {@code file:} and the path as it is. Hadoop's {@code
   * Path} reads a string's path without decoding it, so a URI ({@code file:///a%20b}) would be
   * written to a folder named {@code a%20b}, and {@code #} would start no fragment.
   */
  static String location(Path folder) {
    return "file:" + folder.toAbsolutePath().normalize();
  }

  /** The rows of one result. */
  static List<Row> rows(int line, ExplainResult result) {
    List<Row> out = new ArrayList<>();
    if (result instanceof RecordError e) {
      out.add(
          RowFactory.create(
              e.id().orElse(null), e.line(), null, null, null, null, null, e.stage(), e.message()));
    } else if (result instanceof Explanation x) {
      for (ClassExplanation c : x.classes()) {
        for (TermValue t : c.decomposition()) {
          out.add(
              RowFactory.create(
                  x.id(),
                  line,
                  c.classIndex(),
                  c.className(),
                  t.key(),
                  t.value(),
                  t.standardError(),
                  null,
                  null));
        }
      }
    }
    return out;
  }

  @Override
  public void accept(JobResult r) {
    rows.addAll(rows(r.line(), r.result()));
    if (rows.size() >= CHUNK) {
      write();
    }
  }

  @Override
  public void finish(RunSummary summary) {
    finished = true;
    if (!rows.isEmpty() || !written) {
      write();
    }
  }

  /**
   * A job that stopped early (the model failing on records in a row, a failure of the job) still
   * leaves the rows of what it delivered, as {@code explanations.jsonl} keeps those records:
   * before, the rows waiting for their chunk were dropped, and the folder held an earlier run's
   * rows or none. When Spark itself is what failed, the folder is left as it is and the reason
   * logged.
   */
  @Override
  public void close() {
    if (finished || (rows.isEmpty() && written)) {
      return;
    }
    finished = true;
    try {
      write();
    } catch (RuntimeException e) {
      System.err.println(
          "dime: the Parquet rows of the records delivered before the job stopped were not"
              + " written to "
              + folder
              + ": "
              + e.getMessage());
    }
  }

  private void write() {
    spark
        .createDataFrame(rows, SCHEMA)
        .write()
        .mode(written ? SaveMode.Append : SaveMode.Overwrite)
        .parquet(location(folder));
    written = true;
    rows.clear();
  }
}
