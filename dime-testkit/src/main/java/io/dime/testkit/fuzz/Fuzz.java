package io.dime.testkit.fuzz;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bounded, reproducible fuzz run: a {@link Mutator}'s inputs (the seeds themselves first) fed to
 * a target that returns a label for an acceptable outcome and throws for any other. Anything the
 * target throws (an unexpected exception, an assertion about the result or the message, an {@link
 * OutOfMemoryError}), a try that runs past its time limit, and a try that allocates more than its
 * memory limit is a finding: the input is shrunk (slices removed while the same failure remains)
 * and the run fails with the input as hex, ready for a regression test, and the seed to rerun it.
 *
 * <p>The seed is fixed per run name, so CI fuzzes the same inputs every time. System properties
 * make a run longer or different: {@code dime.fuzz.scale} multiplies every run's tries (the Maven
 * profile {@code -Pfuzz} sets 100), {@code dime.fuzz.tries} sets them, {@code dime.fuzz.seed} sets
 * the seed ({@code random} for a new one, printed), and {@code dime.fuzz.maxSeconds} caps the time
 * of one run (60 s by default; the run then stops early, says so, and passes).
 *
 * <pre>{@code
 * Fuzz.of("manifest", new Mutator(seeds, Mutator.TEXT_TOKENS))
 *     .tries(1000)
 *     .run(bytes -> {
 *       try {
 *         read(bytes);
 *         return "valid";
 *       } catch (InputException e) {
 *         return Fuzz.checkMessage(e, "record '");
 *       }
 *     });
 * }</pre>
 */
public final class Fuzz {
  /** What a run checks: the label of an acceptable outcome, or a throw for any other. */
  @FunctionalInterface
  public interface Target {
    /**
     * Runs the code under test on one input.
     *
     * @return a short label of the outcome ("valid", an exception's name), counted in the summary
     * @throws Exception (or any throwable) when the outcome is not acceptable
     */
    String run(byte[] input) throws Exception;
  }

  /** What a run did. */
  public record Report(
      String name,
      long seed,
      int tries,
      double seconds,
      Map<String, Integer> outcomes,
      boolean stoppedEarly) {}

  /** The longest message accepted from a reader: it names the problem, not the whole input. */
  public static final int MAX_MESSAGE_CHARS = 4096;

  private final String name;
  private final Mutator mutator;
  private int tries = 500;
  private Duration timeout = Duration.ofSeconds(10);
  private long maxAllocatedBytes = 1L << 30;

  private Fuzz(String name, Mutator mutator) {
    this.name = requireNonNull(name, "name is null");
    this.mutator = requireNonNull(mutator, "mutator is null");
  }

  /** A run named {@code name} (which fixes its default seed) over the mutator's inputs. */
  public static Fuzz of(String name, Mutator mutator) {
    return new Fuzz(name, mutator);
  }

  /** The tries of a CI run (before {@code dime.fuzz.scale}); 500 by default. */
  public Fuzz tries(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("tries must be at least 1: " + n);
    }
    this.tries = n;
    return this;
  }

  /** The time one try may take before it is a hang; 10 s by default. */
  public Fuzz timeout(Duration perTry) {
    this.timeout = requireNonNull(perTry, "perTry is null");
    return this;
  }

  /** The heap one try may allocate (on the target's thread); 1 GiB by default. */
  public Fuzz maxAllocatedBytes(long bytes) {
    this.maxAllocatedBytes = bytes;
    return this;
  }

  /**
   * Runs the tries.
   *
   * @throws AssertionError at the first finding, with the shrunk input and the seed
   */
  public Report run(Target target) {
    requireNonNull(target, "target is null");
    long seed = seed();
    int n = effectiveTries();
    long started = System.nanoTime();
    long deadline = started + (long) (maxSeconds() * 1e9);
    SplittableRandom master = new SplittableRandom(seed);
    List<byte[]> seeds = mutator.seeds();
    Map<String, Integer> outcomes = new TreeMap<>();
    ExecutorService worker = newWorker();
    int done = 0;
    try {
      for (; done < n; done++) {
        long trySeed = master.nextLong();
        if (System.nanoTime() > deadline) {
          break;
        }
        byte[] input =
            done < seeds.size() ? seeds.get(done) : mutator.mutate(new SplittableRandom(trySeed));
        Attempt a = attempt(worker, target, input);
        if (a.failure() != null) {
          if (a.hang()) {
            worker.shutdownNow();
            worker = newWorker();
          }
          throw finding(target, worker, done, n, seed, input, a, deadline);
        }
        outcomes.merge(a.label(), 1, Integer::sum);
      }
    } finally {
      worker.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    boolean early = done < n;
    System.out.printf(
        "fuzz %s: %d tries%s in %.1f s, seed %d: %s%n",
        name,
        done,
        early ? " of " + n + " (time cap dime.fuzz.maxSeconds)" : "",
        seconds,
        seed,
        outcomes);
    return new Report(name, seed, done, seconds, Map.copyOf(outcomes), early);
  }

  /** One try's outcome: a label, or the failure (a hang when the try ran past its time). */
  private record Attempt(String label, Throwable failure, boolean hang) {}

  private Attempt attempt(ExecutorService worker, Target target, byte[] input) {
    Future<String> f =
        worker.submit(
            () -> {
              long before = allocated();
              String label = target.run(input.clone());
              long used = allocated() - before;
              if (before >= 0 && used > maxAllocatedBytes) {
                throw new AssertionError(
                    "allocation: one try allocated "
                        + used
                        + " bytes (the limit is "
                        + maxAllocatedBytes
                        + ") for an input of "
                        + input.length
                        + " bytes");
              }
              return label == null ? "ok" : label;
            });
    try {
      return new Attempt(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS), null, false);
    } catch (ExecutionException e) {
      return new Attempt(null, e.getCause(), false);
    } catch (TimeoutException e) {
      f.cancel(true);
      return new Attempt(
          null, new AssertionError("hang: one try ran longer than " + timeout), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("fuzz " + name + " interrupted", e);
    }
  }

  private AssertionError finding(
      Target target,
      ExecutorService worker,
      int at,
      int n,
      long seed,
      byte[] input,
      Attempt a,
      long deadline) {
    byte[] small = input;
    Throwable failure = a.failure();
    if (!a.hang()) {
      String kind = kind(failure);
      long shrinkUntil = Math.max(deadline, System.nanoTime() + 30_000_000_000L);
      small = shrink(worker, target, input, kind, shrinkUntil);
      Attempt again = attempt(worker, target, small);
      failure = again.failure() != null ? again.failure() : failure;
    }
    AssertionError e =
        new AssertionError(
            String.format(
                "fuzz %s failed at try %d of %d (seed %d; rerun with -Ddime.fuzz.seed=%d): %s%n"
                    + "input, %d bytes (shrunk from %d), as hex:%n%s%nas text: \"%s\"",
                name,
                at + 1,
                n,
                seed,
                seed,
                failure,
                small.length,
                input.length,
                HexFormat.of().formatHex(small, 0, Math.min(small.length, 8192)),
                escape(small)),
            failure);
    return e;
  }

  /**
   * Removes slices (halves, quarters, ... single bytes) while the target still fails the same way.
   */
  private byte[] shrink(
      ExecutorService worker, Target target, byte[] input, String kind, long until) {
    byte[] best = input;
    int runs = 0;
    for (int chunk = Math.max(1, best.length / 2); chunk >= 1; chunk /= 2) {
      for (int start = 0; start < best.length; ) {
        if (runs++ > 4000 || System.nanoTime() > until) {
          return best;
        }
        int end = Math.min(best.length, start + chunk);
        byte[] candidate = new byte[best.length - (end - start)];
        System.arraycopy(best, 0, candidate, 0, start);
        System.arraycopy(best, end, candidate, start, best.length - end);
        Attempt a = attempt(worker, target, candidate);
        if (a.failure() != null && !a.hang() && kind(a.failure()).equals(kind)) {
          best = candidate;
        } else {
          start += chunk;
        }
      }
    }
    return best;
  }

  /** The kind of a failure: its class, where it was thrown, and an assertion's first word. */
  private static String kind(Throwable t) {
    String where = t.getStackTrace().length > 0 ? t.getStackTrace()[0].toString() : "";
    if (t instanceof AssertionError) {
      String m = String.valueOf(t.getMessage());
      int colon = m.indexOf(':');
      return "AssertionError " + (colon > 0 ? m.substring(0, colon) : m);
    }
    return t.getClass().getName() + " at " + where.replaceAll(":\\d+\\)", ")");
  }

  /**
   * Checks the message of a reader's documented exception: present, not blank, holding each
   * fragment (the record, the line, the file), well-formed Unicode and at most {@link
   * #MAX_MESSAGE_CHARS} characters.
   *
   * @return the exception's simple class name, as an outcome label
   * @throws AssertionError when the message is not so
   */
  public static String checkMessage(Throwable e, String... fragments) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      throw new AssertionError("message: " + e.getClass().getName() + " without a message", e);
    }
    for (String f : fragments) {
      if (!m.contains(f)) {
        throw new AssertionError("message: does not name '" + f + "': " + m, e);
      }
    }
    if (!wellFormed(m)) {
      throw new AssertionError("message: holds an unpaired surrogate: " + escape(m), e);
    }
    if (m.length() > MAX_MESSAGE_CHARS) {
      throw new AssertionError(
          "message: " + m.length() + " characters: " + m.substring(0, 200) + "...", e);
    }
    for (String root : absoluteRoots()) {
      if (m.contains(root)) {
        throw new AssertionError("path: message holds the absolute path " + root + ": " + m, e);
      }
    }
    return e.getClass().getSimpleName();
  }

  /**
   * The absolute paths no message may hold: the working directory, the temporary folder and the
   * home folder (a message names a file as it was given, which {@link #workFile} makes relative).
   */
  public static List<String> absoluteRoots() {
    List<String> roots = new java.util.ArrayList<>();
    roots.add(Path.of("").toAbsolutePath().toString());
    for (String p : new String[] {"java.io.tmpdir", "user.home"}) {
      String v = System.getProperty(p, "");
      while (v.length() > 1 && v.endsWith(java.io.File.separator)) {
        v = v.substring(0, v.length() - 1);
      }
      if (v.length() > 1) {
        roots.add(v);
      }
    }
    return roots;
  }

  /**
   * A relative path for a fuzz input, {@code target/fuzz/NAME} under the working directory (its
   * folder made), so that a reader that names its file names it as given, never absolutely.
   */
  public static Path workFile(String name) throws java.io.IOException {
    Path dir = Path.of("target", "fuzz");
    java.nio.file.Files.createDirectories(dir);
    return dir.resolve(name);
  }

  /** Whether every surrogate in {@code s} is half of a pair (so it can be written as UTF-8). */
  public static boolean wellFormed(String s) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(s);
  }

  /** Bytes as UTF-16BE text (an odd last byte dropped): for targets that fuzz Java strings. */
  public static String utf16(byte[] b) {
    return new String(b, 0, b.length & ~1, StandardCharsets.UTF_16BE);
  }

  private static String escape(byte[] b) {
    // new String replaces what is not UTF-8 (a decoder set to REPLACE would declare an exception)
    String s = new String(b, 0, Math.min(b.length, 2048), StandardCharsets.UTF_8);
    return escape(s) + (b.length > 2048 ? "..." : "");
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7E) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private long seed() {
    String s = System.getProperty("dime.fuzz.seed", "").strip();
    if (s.isEmpty()) {
      long h = 1125899906842597L;
      for (char c : name.toCharArray()) {
        h = 31 * h + c;
      }
      return h;
    }
    return s.equals("random") ? System.nanoTime() : Long.decode(s);
  }

  private int effectiveTries() {
    String t = System.getProperty("dime.fuzz.tries", "").strip();
    if (!t.isEmpty()) {
      return Integer.parseInt(t);
    }
    double scale = Double.parseDouble(System.getProperty("dime.fuzz.scale", "1").strip());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(tries * scale)));
  }

  private static double maxSeconds() {
    return Double.parseDouble(System.getProperty("dime.fuzz.maxSeconds", "60").strip());
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "fuzz-target");
          t.setDaemon(true);
          return t;
        });
  }

  private static long allocated() {
    java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
    if (b instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemoryEnabled()) {
      return sun.getCurrentThreadAllocatedBytes();
    }
    return -1;
  }
}
