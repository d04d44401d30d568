package io.dime.spark;

import io.dime.core.job.EngineRecipe;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * The engines of this JVM, one per job, shared by the job's tasks that run here, as Beam's
 * RunInference shares a model per worker: the first task of a job makes it (plugins, pipeline, the
 * broadcast pool, the model adapter), the others use it at once (the engine and the adapters are
 * thread-safe). So one model session serves the executor's cores, with the thread layout of a
 * single-machine run (no session per task competing for the cores), and memory holds one model. An
 * engine is closed when a later job's first task arrives here and nothing uses it, or by the driver
 * at the end of its job (in local mode the driver's JVM is the executor's). The engine is told that
 * its callers explain as many datapoints at once as the executor has cores ({@link #cores}), so
 * that its model batches' bytes are capped for all of them, as {@code dime explain --threads} caps
 * a single machine's.
 */
final class ExecutorEngines {
  private static final Map<String, Entry> ENGINES = new HashMap<>();

  /** {@code local}, {@code local[N]}, {@code local[*]}, with or without {@code ,F} (failures). */
  private static final Pattern LOCAL =
      Pattern.compile("local(?:\\[\\s*(\\*|\\d+)\\s*(?:,[^\\]]*)?])?");

  /** {@code local-cluster[EXECUTORS, CORES, MEMORY]}. */
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,.*]");

  private static final class Entry {
    final EngineRecipe.Built built;
    int users;

    Entry(EngineRecipe.Built built) {
      this.built = built;
    }
  }

  private ExecutorEngines() {}

  /** The job's engine here, made on first use; give it back with {@link #release}. */
  static EngineRecipe.Built acquire(JobSpec spec) {
    synchronized (ENGINES) {
      Entry e = ENGINES.get(spec.job());
      if (e == null) {
        closeIdle();
        SparkEnv env = SparkEnv.get();
        int cores = env == null ? Runtime.getRuntime().availableProcessors() : cores(env.conf());
        e = new Entry(spec.engineRecipe().open(spec.poolLines(), Math.max(1, cores)));
        ENGINES.put(spec.job(), e);
      }
      e.users++;
      return e.built;
    }
  }

  /** A task is done with its job's engine (kept for the job's next tasks). */
  static void release(JobSpec spec) {
    synchronized (ENGINES) {
      Entry e = ENGINES.get(spec.job());
      if (e != null) {
        e.users--;
      }
    }
  }

  /** Closes the job's engine in this JVM, if there is one. */
  static void close(String job) {
    Entry e;
    synchronized (ENGINES) {
      e = ENGINES.remove(job);
    }
    if (e != null) {
      e.built.close();
    }
  }

  /**
   * The cores of an executor with this configuration: the datapoints it explains at once (its task
   * slots, {@code spark.executor.cores / spark.task.cpus}, each explaining on {@code
   * spark.task.cpus} threads). In local mode the master's N ({@code local[*]}: the processors);
   * else {@code spark.executor.cores}, or the processors when it is not set (a standalone executor
   * takes every core of its worker; one of 1 core, YARN's and Kubernetes' default, is capped as one
   * of as many as the processors anyway).
   */
  static int cores(SparkConf conf) {
    String master = conf.get("spark.master", "");
    int processors = Runtime.getRuntime().availableProcessors();
    Matcher local = LOCAL.matcher(master);
    if (local.matches()) {
      String n = local.group(1);
      return n == null ? 1 : n.equals("*") ? processors : count(n, processors);
    }
    Matcher cluster = LOCAL_CLUSTER.matcher(master);
    if (cluster.matches()) {
      return count(cluster.group(1), processors);
    }
    return conf.contains("spark.executor.cores")
        ? conf.getInt("spark.executor.cores", processors)
        : processors;
  }

  /** A master's count of cores, or the processors when it is beyond an int (Spark refuses it). */
  private static int count(String digits, int processors) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return processors;
    }
  }

  private static void closeIdle() {
    for (Iterator<Entry> it = ENGINES.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.users == 0) {
        it.remove();
        e.built.close();
      }
    }
  }
}
