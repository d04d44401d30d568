package io.dime.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session {@code dime explain --spark} starts when none is active: no limit on the total size
 * of a job's results (Spark's default, 1 GiB over the whole job, failed jobs of some 40,000 of the
 * demo's records), unless the user's configuration (spark-submit's {@code --conf}, system
 * properties) sets one; an active session is used as it is.
 */
class SparkSessionTest {
  @BeforeEach
  @AfterEach
  void noSession() {
    SparkSession.getDefaultSession()
        .foreach(
            s -> {
              s.stop();
              return null;
            });
    SparkSession.clearDefaultSession();
    SparkSession.clearActiveSession();
    System.clearProperty(SparkExplainer.MAX_RESULT_SIZE);
    System.clearProperty("spark.driver.host");
    System.clearProperty("spark.driver.bindAddress");
    System.clearProperty("spark.ui.enabled");
  }

  private static void loopback() {
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    System.setProperty("spark.ui.enabled", "false");
  }

  @Test
  void aSessionStartedForTheJobHasNoLimitOnTheResultsTotalSize() {
    loopback();
    SparkSession s = SparkExplainer.session("local[1]");
    assertEquals("0", s.sparkContext().getConf().get(SparkExplainer.MAX_RESULT_SIZE));
  }

  @Test
  void theUsersLimitAndAnActiveSessionAreLeftAsTheyAre() {
    loopback();
    System.setProperty(SparkExplainer.MAX_RESULT_SIZE, "2g");
    SparkSession s = SparkExplainer.session("local[1]");
    assertEquals("2g", s.sparkContext().getConf().get(SparkExplainer.MAX_RESULT_SIZE));
    s.stop();
    SparkSession.clearDefaultSession();
    SparkSession.clearActiveSession();
    System.clearProperty(SparkExplainer.MAX_RESULT_SIZE);
    SparkSession mine = LocalSpark.start();
    assertTrue(SparkExplainer.session("local[1]") == mine, "the active session is used");
    assertTrue(
        !mine.sparkContext().getConf().contains(SparkExplainer.MAX_RESULT_SIZE),
        "and left as it is");
  }
}
