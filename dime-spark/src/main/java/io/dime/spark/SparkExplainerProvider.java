package io.dime.spark;

import io.dime.core.job.RemoteExplainer;
import io.dime.core.job.RemoteExplainerProvider;

/**
 * The "spark" remote explainer, registered in {@code
 * META-INF/services/io.dime.core.job.RemoteExplainerProvider}. Loads without Spark on the class
 * path, and says what is missing when it is opened there.
 */
public final class SparkExplainerProvider implements RemoteExplainerProvider {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public RemoteExplainer open(RemoteExplainer.Setup setup) {
    try {
      Class.forName(
          "org.apache.spark.sql.SparkSession",
          false,
          SparkExplainerProvider.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "dime-spark is on the class path but Spark's jars are not: add them (the"
              + " distribution's dist/target/spark-lib, or run with spark-submit)");
    }
    return SparkExplainer.open(setup);
  }
}
