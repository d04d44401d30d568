package io.dime.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * After a signal only dime's lines and blank lines reach standard error: a stack trace printed by
 * one of Spark's threads on its way out is dropped whole, and dime's message, printed between its
 * lines or after them, comes through as it was written.
 */
class DimeLinesOnlyTest {
  @Test
  void onlyDimesLinesAndBlankLinesGetThrough() {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(new DimeLinesOnly(seen), true, StandardCharsets.UTF_8);
    new RejectedExecutionException("Task Future(<not completed>) rejected").printStackTrace(err);
    err.println();
    err.println("dime: stopped by a signal before the job ended; the records ... are kept in é");
    err.print("24/12/07 ERROR Executor: launch task rejected\n");
    err.print("dime: a last line without its end");
    err.close();
    assertEquals(
        "\ndime: stopped by a signal before the job ended; the records ... are kept in é\n"
            + "dime: a last line without its end\n",
        seen.toString(StandardCharsets.UTF_8));
  }
}
