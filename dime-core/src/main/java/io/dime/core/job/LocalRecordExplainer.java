package io.dime.core.job;

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
  static final LocalRecordExplainer INSTANCE = new LocalRecordExplainer();

  private LocalRecordExplainer() {}

  @Override
  public Results start(Request request) {
    return new Window(request);
  }

  /** The records submitted and not yet taken, in order. */
  private static final class Window implements Results {
    private final Request request;
    private final ExecutorService exec;
    private final Deque<Future<Dime.Outcome>> inFlight = new ArrayDeque<>();
    private final int limit;
    private int submitted;
    private boolean cancelled;

    Window(Request request) {
      this.request = request;
      this.exec = Executors.newFixedThreadPool(Math.max(1, request.threads()));
      this.limit = Math.max(4, 4 * request.threads());
      fill();
    }

    private void fill() {
      while (!cancelled && submitted < request.work().size() && inFlight.size() <= limit) {
        Work w = request.work().get(submitted++);
        inFlight.add(
            exec.submit(
                () ->
                    ExplanationJob.explainRecord(request.engine(), w.record(), request.targets())));
      }
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
