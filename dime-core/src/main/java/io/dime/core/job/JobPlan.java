package io.dime.core.job;

import io.dime.api.Explanation;
import io.dime.api.run.JobResult;
import io.dime.api.run.SourceRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a job does with each record: explain it, keep an earlier run's explanation of it, or report
 * that it could not be read; and which kept explanations are stale (their ids are no longer in the
 * source).
 *
 * @param records the source's records, in order
 * @param keptByRecord per record, the kept explanation (null where the record is explained now or
 *     unreadable)
 * @param stale kept explanations of ids not in the source, in their stored order
 * @param changed records with a kept explanation of other inputs (explained again)
 */
record JobPlan(
    List<SourceRecord> records,
    List<Explanation> keptByRecord,
    List<Explanation> stale,
    int changed) {
  static JobPlan of(List<SourceRecord> records, Map<String, Explanation> kept) {
    List<Explanation> byRecord = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int changed = 0;
    for (SourceRecord r : records) {
      Explanation e = null;
      if (r.readable()) {
        String id = r.datapoint().get().id();
        ids.add(id);
        e = kept.get(id);
        if (e != null && inputsChanged(r, e)) {
          e = null;
          changed++;
        }
      }
      byRecord.add(e);
    }
    List<Explanation> stale = new ArrayList<>();
    kept.forEach(
        (id, e) -> {
          if (!ids.contains(id)) {
            stale.add(e);
          }
        });
    return new JobPlan(records, byRecord, stale, changed);
  }

  /**
   * Whether a kept explanation was made from other inputs than the record now has: their digests
   * differ, or the record has one and the explanation none.
   */
  private static boolean inputsChanged(SourceRecord r, Explanation e) {
    return r.inputDigest().isPresent() && !r.inputDigest().equals(e.provenance().inputDigest());
  }

  /** Records that could not be read. */
  int unreadable() {
    return (int) records.stream().filter(r -> !r.readable()).count();
  }

  /** Records kept from an earlier run. */
  int resumed() {
    return (int) keptByRecord.stream().filter(e -> e != null).count();
  }

  /** Records this run explains. */
  int todo() {
    return records.size() - unreadable() - resumed();
  }

  /** Whether record i is explained in this run. */
  boolean explainsNow(int i) {
    return records.get(i).readable() && keptByRecord.get(i) == null;
  }

  /** What the job knows before explaining anything: kept and unreadable, then stale results. */
  List<JobResult> known() {
    List<JobResult> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      SourceRecord r = records.get(i);
      if (!r.readable()) {
        out.add(unreadable(r));
      } else if (keptByRecord.get(i) != null) {
        out.add(
            new JobResult(
                JobResult.Status.RESUMED, r.line(), keptByRecord.get(i), r.datapoint(), Map.of()));
      }
    }
    for (Explanation e : stale) {
      out.add(new JobResult(JobResult.Status.STALE, 0, e, Optional.empty(), Map.of()));
    }
    return out;
  }

  static JobResult unreadable(SourceRecord r) {
    return new JobResult(
        JobResult.Status.UNREADABLE, r.line(), r.error().get(), Optional.empty(), Map.of());
  }
}
