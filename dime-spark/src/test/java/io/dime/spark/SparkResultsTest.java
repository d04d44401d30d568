package io.dime.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ModelException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Why a Spark job failed, as the driver tells it: the task's own words, never "null". */
class SparkResultsTest {
  private static final String ABORTED =
      "Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times, most recent failure:"
          + " Lost task 1.3 in stage 0.0 (TID 7) (10.0.0.2 executor 1): io.dime.api.ModelException:"
          + " model 'm': gone";

  @Test
  void theTasksExceptionInsideSparksWrappersIsTheReason() {
    IOException refused = new ConnectException();
    refused.initCause(new IOException((String) null));
    ModelException model = new ModelException("model 'm': the server went away", refused);
    Throwable failure = new ExecutionException(new SparkException(ABORTED, model));
    assertEquals("model 'm': the server went away", SparkResults.reason(failure));
  }

  @Test
  void aReasonWithoutWordsIsTheFirstCauseWithSomeOrTheExceptionsClass() {
    Throwable npe = new ExecutionException(new SparkException(ABORTED, new NullPointerException()));
    assertEquals("java.lang.NullPointerException", SparkResults.reason(npe));
    Throwable wrapped =
        new ExecutionException(
            new SparkException(
                ABORTED, new RuntimeException(null, new IllegalArgumentException("bad k"))));
    assertEquals("java.lang.IllegalArgumentException: bad k", SparkResults.reason(wrapped));
  }

  @Test
  void withoutTheTasksExceptionSparksMessageLosesItsStackTrace() {
    Throwable failure =
        new ExecutionException(
            new SparkException(ABORTED + "\n\tat io.dime.Foo.bar(Foo.java:1)\n\tat x.y(Z.java:2)"));
    assertEquals("org.apache.spark.SparkException: " + ABORTED, SparkResults.reason(failure));
  }
}
