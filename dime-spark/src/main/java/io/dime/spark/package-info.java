/**
 * The explanation job on Apache Spark. {@link io.dime.spark.SparkExplainerProvider} (found by the
 * command line's {@code --spark} through {@link java.util.ServiceLoader}) opens a {@link
 * io.dime.spark.SparkExplainer}: the records to explain become an RDD of {@link
 * io.dime.spark.WorkItem}s (their manifest lines), each partition makes the job's engine once
 * ({@link io.dime.spark.PartitionTask}, from the broadcast {@link io.dime.spark.JobSpec}) and
 * explains its records as the job does on one machine, and the JSON lines come back to the driver
 * ({@link io.dime.spark.SparkResults}), where the job hands them to its sinks in manifest order.
 * {@link io.dime.spark.ParquetSink} adds {@code OUT/parquet}; {@link io.dime.spark.SparkExplain} is
 * the main class for {@code spark-submit}.
 */
package io.dime.spark;
