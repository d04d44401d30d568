package io.dime.spark;

import io.dime.api.ExplainResult;
import io.dime.core.Dime;
import io.dime.core.io.Json;
import io.dime.core.job.RecordExplainer;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.Function0;
import scala.Function1;
import scala.Function2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * The driver's side of a Spark job: the job runs asynchronously, each partition's lines arrive as
 * soon as it is done (in any order), and {@link #next()} hands them out in the records' order, so
 * the job writes {@code explanations.jsonl} and reports progress while later partitions still run.
 */
final class SparkResults implements RecordExplainer.Results {
  private final List<RecordExplainer.Work> work;
  private final Broadcast<JobSpec> spec;

  /**
   * The job's spec as the driver made it: {@link #close} runs also after a signal, when Spark's own
   * shutdown hook may have stopped it already, and reading the broadcast then logged a
   * NullPointerException ("SparkEnv.broadcastManager()") after dime's message.
   */
  private final JobSpec jobSpec;

  private final BlockingQueue<List<Explained>> arrivals = new LinkedBlockingQueue<>();
  private final Map<Integer, String> arrived = new HashMap<>();
  private SimpleFutureAction<BoxedUnit> job;
  private int position;
  private boolean cancelled;

  private SparkResults(List<RecordExplainer.Work> work, Broadcast<JobSpec> spec) {
    this.work = work;
    this.spec = spec;
    this.jobSpec = spec.value(); // the driver's own copy, read while Spark runs
  }

  /** Submits the job: one task per partition of {@code items}. */
  static SparkResults submit(
      SparkContext sc,
      RDD<WorkItem> items,
      Broadcast<JobSpec> spec,
      List<RecordExplainer.Work> work) {
    SparkResults r = new SparkResults(work, spec);
    PartitionTask task = new PartitionTask(spec);
    List<Object> partitions = new ArrayList<>();
    for (int p = 0; p < items.getNumPartitions(); p++) {
      partitions.add(p);
    }
    Function1<scala.collection.Iterator<WorkItem>, ArrayList<Explained>> explain =
        (Function1<scala.collection.Iterator<WorkItem>, ArrayList<Explained>> & Serializable)
            it -> task.explain(CollectionConverters.asJava(it));
    Function2<Object, ArrayList<Explained>, BoxedUnit> arrive =
        (partition, lines) -> {
          r.arrivals.add(lines);
          return BoxedUnit.UNIT;
        };
    Function0<BoxedUnit> done = () -> BoxedUnit.UNIT;
    r.job =
        sc.submitJob(
            items, explain, CollectionConverters.asScala(partitions).toSeq(), arrive, done);
    return r;
  }

  @Override
  public Optional<Dime.Outcome> next() throws InterruptedException {
    if (position >= work.size()) {
      return Optional.empty();
    }
    RecordExplainer.Work w = work.get(position);
    String json = take(w.index());
    if (json == null) {
      return Optional.empty();
    }
    position++;
    ExplainResult result;
    try {
      result = Json.readResult(json);
    } catch (IOException e) {
      throw new IllegalStateException("an executor's result does not read back: " + json, e);
    }
    if (!result.recordId().equals(w.record().id())) {
      throw new IllegalStateException(
          "record "
              + w.record().id().orElse("?")
              + " at line "
              + w.record().line()
              + " came back as "
              + result.recordId().orElse("?")
              + ": did the manifest change while the job ran?");
    }
    return Optional.of(new Dime.Outcome(result, Map.of()));
  }

  /** The line of the record at that index; null when the job was cancelled before it. */
  private String take(int index) throws InterruptedException {
    while (!arrived.containsKey(index)) {
      List<Explained> batch = arrivals.poll(100, TimeUnit.MILLISECONDS);
      if (batch != null) {
        keep(batch);
      } else if (job.isCompleted()) {
        for (List<Explained> b = arrivals.poll(); b != null; b = arrivals.poll()) {
          keep(b);
        }
        if (arrived.containsKey(index)) {
          break;
        }
        if (cancelled) {
          return null;
        }
        throw failure(index);
      }
    }
    return arrived.remove(index);
  }

  private void keep(List<Explained> batch) {
    for (Explained e : batch) {
      arrived.put(e.index(), e.json());
    }
  }

  private IllegalStateException failure(int index) {
    try {
      job.get();
      return new IllegalStateException("the Spark job returned no result for record " + index);
    } catch (Exception e) {
      return new IllegalStateException("the Spark job failed: " + reason(e), e);
    }
  }

  /**
   * Why a job failed, in the words of the task's own failure: the cause inside the driver's
   * wrappers ({@link ExecutionException}, and Spark's {@link SparkException} "Job aborted due to
   * stage failure"), or, when that has no message, its first cause that has one (never the deepest,
   * whose message is often empty: a model's error caused by a refused connection). Without the
   * task's exception (an executor's that did not travel) Spark's own message, without the stack
   * trace it holds.
   */
  static String reason(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof ExecutionException || t instanceof SparkException)
        && t.getCause() != null
        && t.getCause() != t) {
      t = t.getCause();
    }
    Throwable worded = t;
    while (blank(worded.getMessage()) && worded.getCause() != null && worded.getCause() != worded) {
      worded = worded.getCause();
    }
    if (blank(worded.getMessage())) {
      return t.getClass().getName();
    }
    String message = worded.getMessage().strip();
    if (worded instanceof SparkException) {
      int trace = message.indexOf("\n\tat ");
      message = trace < 0 ? message : message.substring(0, trace);
    }
    boolean ours = worded.getClass().getName().startsWith("io.dime.");
    return ours ? message : worded.getClass().getName() + ": " + message;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  @Override
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      job.cancel();
    }
  }

  @Override
  public void close() {
    if (!job.isCompleted()) {
      cancelled = true;
      job.cancel();
    }
    ExecutorEngines.close(jobSpec.job()); // local mode: the executor's engine is here
    if (org.apache.spark.SparkEnv.get() != null) { // else Spark has stopped and dropped it
      spec.destroy();
    }
  }
}
