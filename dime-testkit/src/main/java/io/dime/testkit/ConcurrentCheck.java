package io.dime.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs one check on several threads at once, each thread going through every case in its own order,
 * and collects the problems: the contracts' thread-safety tests.
 */
final class ConcurrentCheck {
  /** One case: returns a description of what is wrong, or null when it is right. */
  @FunctionalInterface
  interface Case {
    String check(int index) throws Exception;
  }

  private ConcurrentCheck() {}

  /**
   * @param threads threads started together
   * @param cases number of cases; thread t starts at case t * stride
   * @param stride offset between the threads' starting cases
   * @return every problem found, empty when all agree
   */
  static List<String> run(int threads, int cases, int stride, Case check) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * stride;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> problems = new ArrayList<>();
                  for (int j = 0; j < cases; j++) {
                    String problem = check.check((j + offset) % cases);
                    if (problem != null) {
                      problems.add(problem);
                    }
                  }
                  return problems;
                }));
      }
      start.countDown();
      List<String> problems = new ArrayList<>();
      for (Future<List<String>> f : futures) {
        problems.addAll(f.get(120, TimeUnit.SECONDS));
      }
      return problems;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }
}
