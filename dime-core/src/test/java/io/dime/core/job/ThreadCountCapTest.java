package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java API's counts of threads are capped at {@link DimeBuilder#MAX_THREADS}, as the command
 * line's are: a job's threads and an engine's model batches at once took any int, and a job of 2^29
 * threads or more overflowed its window of 4 x threads records (falling back to 4) after trying to
 * make that many threads.
 */
class ThreadCountCapTest {
  @Test
  void theCapIsTheOnnxAdaptersAndTakenAtItsEdge() {
    assertEquals(1024, DimeBuilder.MAX_THREADS);
    Dime.builder().inferenceThreads(DimeBuilder.MAX_THREADS); // no exception
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Dime.builder().inferenceThreads(1025));
    assertEquals("inferenceThreads must be at most 1024, found 1025", e.getMessage());
  }

  @Test
  void aJobsThreadsAreCapped() {
    try (Dime engine = ExplanationJobTest.engine(ExplanationJobTest.model(), 1)) {
      ExplanationJob.Builder b = ExplanationJob.builder(engine).threads(DimeBuilder.MAX_THREADS);
      for (int n : new int[] {1025, 1 << 29, Integer.MAX_VALUE}) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> b.threads(n));
        assertEquals("threads must be at most 1024, found " + n, e.getMessage());
      }
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new RecordExplainer.Request(engine, List.of(), Targets.predicted(), 1 << 29));
      assertEquals("threads must be from 1 to 1024, found 536870912", e.getMessage());
    }
  }
}
