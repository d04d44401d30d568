package io.dime.spark;

import io.dime.core.job.EngineRecipe;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The engines of this JVM, one per job, shared by the job's tasks that run here, as Beam's
 * RunInference shares a model per worker: the first task of a job makes it (plugins, pipeline, the
 * broadcast pool, the model adapter), the others use it at once (the engine and the adapters are
 * thread-safe). So one model session serves the executor's cores, with the thread layout of a
 * single-machine run (no session per task competing for the cores), and memory holds one model. An
 * engine is closed when a later job's first task arrives here and nothing uses it, or by the driver
 * at the end of its job (in local mode the driver's JVM is the executor's).
 */
final class ExecutorEngines {
  private static final Map<String, Entry> ENGINES = new HashMap<>();

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
        e = new Entry(spec.engineRecipe().open(spec.poolLines()));
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
