package io.dime.core.job;

import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@link RecordExplainer#local()}: a thread pool and a bounded window of records in flight. */
final class LocalRecordExplainer implements RecordExplainer {
  static final LocalRecordExplainer INSTANCE = new LocalRecordExplainer(true);

  /**
   * For {@link ExplanationJob#explainAll}: the engine's own results, not passed through the JSON
   * mapping, since nothing is written there (the numbers are the same either way: doubles read back
   * exactly; only the order of map entries and such differ).
   */
  static final LocalRecordExplainer IN_MEMORY = new LocalRecordExplainer(false);

  private final boolean asWritten;

  private LocalRecordExplainer(boolean asWritten) {
    this.asWritten = asWritten;
  }

  @Override
  public Results start(Request request) {
    return new Window(request, asWritten);
  }

  /** The records submitted and not yet taken, in order. */
  private static final class Window implements Results {
    private final Request request;
    private final ExecutorService exec;
    private final Deque<Future<Dime.Outcome>> inFlight = new ArrayDeque<>();
    private final int limit;
    private final boolean asWritten;
    private int submitted;
    private boolean cancelled;

    Window(Request request, boolean asWritten) {
      this.request = request;
      this.asWritten = asWritten;
      this.exec = Executors.newFixedThreadPool(Math.max(1, request.threads()));
      this.limit = Math.max(4, 4 * request.threads());
      fill();
    }

    private void fill() {
      while (!cancelled && submitted < request.work().size() && inFlight.size() <= limit) {
        Work w = request.work().get(submitted++);
        inFlight.add(exec.submit(() -> explain(w)));
      }
    }

    /** One record, its values read again first where the job holds it without them. */
    private Dime.Outcome explain(Work w) {
      SourceRecord r = request.reread().apply(w.record());
      if (!r.readable()) {
        return new Dime.Outcome(r.error().get(), java.util.Map.of());
      }
      return ExplanationJob.explainRecord(request.engine(), r, request.targets(), asWritten);
    }

    @Override
    public Optional<Dime.Outcome> next() throws InterruptedException {
      Future<Dime.Outcome> head = inFlight.poll();
      if (head == null) {
        return Optional.empty();
      }
      if (cancelled && head.cancel(false)) {
        // not started, and neither are the ones after it (the pool takes them in order)
        inFlight.forEach(f -> f.cancel(false));
        inFlight.clear();
        return Optional.empty();
      }
      try {
        Dime.Outcome o = head.get();
        fill();
        return Optional.of(o);
      } catch (ExecutionException e) {
        // explainRecord turns bad input and model failures into errors; anything else is a bug
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public void close() {
      exec.shutdownNow();
    }
  }
}
