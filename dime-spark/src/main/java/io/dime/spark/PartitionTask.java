package io.dime.spark;

import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.io.Json;
import io.dime.core.job.EngineRecipe;
import io.dime.core.job.JsonlManifest;
import io.dime.core.job.RecordExplainer;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one partition does on its executor: takes the job's engine in this JVM ({@link
 * ExecutorEngines}: made once from the broadcast recipe and pool, shared by the job's tasks here),
 * reads each record from its manifest line, explains the records on the task's cores ({@code
 * spark.task.cpus}) through the job layer's own step, and returns each result as its JSON line. A
 * record that cannot be read here, or fails to be explained, is an error line as on one machine;
 * only a failure to make the engine fails the task.
 */
final class PartitionTask implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<JobSpec> spec;

  PartitionTask(Broadcast<JobSpec> spec) {
    this.spec = spec;
  }

  /** Explains one partition's records; the results in the items' order. */
  ArrayList<Explained> explain(Iterator<WorkItem> items) {
    List<WorkItem> todo = new ArrayList<>();
    items.forEachRemaining(todo::add);
    ArrayList<Explained> out = new ArrayList<>(todo.size());
    if (todo.isEmpty()) {
      return out; // no engine for an empty partition
    }
    JobSpec s = spec.value();
    Path base = Path.of(s.manifestBase());
    Targets targets = Targets.parse(s.targets());
    TaskContext task = TaskContext.get();
    int cores = task == null ? 1 : Math.max(1, task.cpus());
    EngineRecipe.Built built = ExecutorEngines.acquire(s);
    try {
      String[] lines = new String[todo.size()];
      List<RecordExplainer.Work> work = new ArrayList<>();
      for (int i = 0; i < todo.size(); i++) {
        WorkItem item = todo.get(i);
        SourceRecord r =
            JsonlManifest.readLine(
                item.line(),
                item.text(),
                base,
                built.recipe().dataRootPath(),
                built.recipe().allowOutsidePaths(),
                built.modalities());
        if (r.readable()) {
          work.add(new RecordExplainer.Work(i, r));
        } else {
          lines[i] = Json.line(r.error().get());
        }
      }
      RecordExplainer.Request request =
          new RecordExplainer.Request(built.engine(), work, targets, cores);
      try (RecordExplainer.Results results = RecordExplainer.local().start(request)) {
        for (RecordExplainer.Work w : work) {
          Dime.Outcome o =
              results
                  .next()
                  .orElseThrow(() -> new IllegalStateException("the partition was cancelled"));
          lines[w.index()] = Json.line(o.result());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("the task was interrupted", e);
      }
      for (int i = 0; i < todo.size(); i++) {
        out.add(new Explained(todo.get(i).index(), lines[i]));
      }
    } finally {
      ExecutorEngines.release(s);
    }
    return out;
  }
}
