package io.dime.adapter.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;
import io.dime.api.ModelException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs in progress, by thread, so that another thread can end one ({@link #end}): ONNX Runtime
 * does not answer a Java interrupt, but it checks a run's terminate flag between graph nodes. A
 * call ({@link #begin} to {@link #finish}) may make several runs (chunks of a fixed or capped batch
 * size); once ended, it starts no further run. Every change to a call's state happens under the
 * map's lock for its thread, so a run's options are never closed while another thread sets them.
 */
final class OnnxCalls {
  /** One thread's call: the options of its run in progress (null between runs), and its end. */
  private static final class Call {
    RunOptions running;
    boolean ended;
  }

  private final ConcurrentHashMap<Thread, Call> calls = new ConcurrentHashMap<>();

  /** Starts a call on this thread (one at a time per thread). */
  void begin() {
    calls.put(Thread.currentThread(), new Call());
  }

  /**
   * The options for this thread's next run, to be given back with {@link #afterRun}.
   *
   * @throws ModelException when the call has been ended ({@code model}: for the message)
   */
  RunOptions beforeRun(String model) throws OrtException {
    RunOptions options = new RunOptions();
    Call call =
        calls.compute(
            Thread.currentThread(),
            (t, c) -> {
              if (c != null && !c.ended) {
                c.running = options;
              }
              return c;
            });
    if (call == null || call.running != options) {
      options.close();
      throw ended(model, null);
    }
    return options;
  }

  /** Closes the options of this thread's run, which has returned. */
  void afterRun(RunOptions options) {
    calls.computeIfPresent(
        Thread.currentThread(),
        (t, c) -> {
          c.running = null;
          return c;
        });
    options.close();
  }

  /** Whether this thread's call has been ended (a run's failure is then the end's doing). */
  boolean wasEnded() {
    Call c = calls.get(Thread.currentThread());
    return c != null && c.ended;
  }

  /** Ends the call on this thread. */
  void finish() {
    calls.remove(Thread.currentThread());
  }

  /** Ends the call running on {@code thread}, if any: its run stops at the next graph node. */
  void end(Thread thread) {
    calls.computeIfPresent(
        thread,
        (t, c) -> {
          c.ended = true;
          if (c.running != null) {
            try {
              c.running.setTerminate(true);
            } catch (OrtException e) {
              // the run goes on to its end; the call still starts no further run
            }
          }
          return c;
        });
  }

  /** The failure of an ended call. */
  static ModelException ended(String model, Throwable cause) {
    return new ModelException(
        "model '" + model + "': the call was ended before it finished (interrupted)", cause);
  }
}
