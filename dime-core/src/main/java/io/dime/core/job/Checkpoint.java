package io.dime.core.job;

import io.dime.api.Explanation;
import io.dime.api.Provenance;
import io.dime.api.run.JobResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a job keeps what it has done, so that a stopped job resumes: the explanations of an earlier
 * run with the same settings are kept, the rest is explained again. {@link ExplanationsFile} is the
 * one for {@code explanations.jsonl}.
 */
public interface Checkpoint {
  /**
   * The explanations an earlier run left, by record id, in their stored order (errors are not kept:
   * those records are tried again).
   *
   * @param provenance the engine's provenance for this run
   * @throws IllegalArgumentException when they were made with other settings (the message names the
   *     setting and the record)
   * @throws IOException when the checkpoint cannot be read
   */
  Map<String, Explanation> restore(Provenance provenance) throws IOException;

  /**
   * What {@link #restore} returns, each explanation read only when the job delivers it, so that a
   * resume of many records does not hold them all. The default holds what {@link #restore} read; a
   * checkpoint that can read one explanation again (as {@link ExplanationsFile} does) should
   * override it.
   *
   * @param provenance the engine's provenance for this run
   * @throws IllegalArgumentException as {@link #restore} does
   * @throws IOException when the checkpoint cannot be read
   */
  default Map<String, KeptExplanation> keep(Provenance provenance) throws IOException {
    Map<String, KeptExplanation> out = new java.util.LinkedHashMap<>();
    restore(provenance).forEach((id, e) -> out.put(id, KeptExplanation.of(e)));
    return out;
  }

  /**
   * Before the first new result: what this run keeps, so that a crash from here on loses nothing
   * kept. Called once, with the kept and unreadable records in source order, then the stale ones
   * (kept explanations of ids no longer in the source).
   */
  void begin(List<JobResult> known) throws IOException;
}
