package io.dime.spark;

import io.dime.cli.Main;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class for {@code spark-submit}: takes the arguments of {@code dime explain} (without
 * {@code explain} and {@code --spark}) and runs it on the session spark-submit configured.
 *
 * <pre>
 * spark-submit --master spark://HOST:7077 --class io.dime.spark.SparkExplain \
 *   --jars "$(ls dist/target/lib/*.jar | paste -sd,)" dist/target/spark-lib/dime-spark-VERSION.jar \
 *   --model onnx:/shared/model.onnx --pipeline /shared/pipeline.yaml \
 *   --data /shared/data.jsonl --out /shared/out
 * </pre>
 */
public final class SparkExplain {
  private SparkExplain() {}

  /** Runs the job; exits with its exit code when it is not 0. */
  public static void main(String[] args) {
    int rc = run(args);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /**
   * Runs {@code dime explain --spark MASTER ARGS}, the master being the one spark-submit set
   * ({@code spark.master}) or the active session's; returns the exit code.
   */
  public static int run(String... args) {
    List<String> all = new ArrayList<>(List.of("explain", "--spark", ""));
    for (String a : args) {
      if (a.equals("--spark") || a.startsWith("--spark=")) {
        System.err.println("dime: spark-submit sets the master (--master); leave out --spark");
        return 2;
      }
      all.add(a);
    }
    return Main.run(all.toArray(String[]::new));
  }
}
