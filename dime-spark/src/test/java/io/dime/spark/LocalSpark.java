package io.dime.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one local session per test class (a session starts in 15 to 35 s on two cores),
 * bound to the loopback address (the host's name may resolve to nothing else), no UI, few shuffle
 * partitions. Surefire sets {@code SPARK_LOCAL_IP=127.0.0.1} as well.
 */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession start() {
    return start("local[2]");
  }

  static SparkSession start(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("dime-spark tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
