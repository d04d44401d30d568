package io.dime.core.job;

import io.dime.api.run.JobResult;
import io.dime.api.run.SourceRecord;
import java.util.AbstractList;
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
 *     unreadable), read when it is delivered
 * @param stale kept explanations of ids not in the source, in their stored order
 * @param changed records with a kept explanation of other inputs (explained again)
 */
record JobPlan(
    List<SourceRecord> records,
    List<KeptExplanation> keptByRecord,
    List<KeptExplanation> stale,
    int changed) {
  static JobPlan of(List<SourceRecord> records, Map<String, KeptExplanation> kept) {
    List<KeptExplanation> byRecord = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int changed = 0;
    for (SourceRecord r : records) {
      KeptExplanation e = null;
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
    List<KeptExplanation> stale = new ArrayList<>();
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
  private static boolean inputsChanged(SourceRecord r, KeptExplanation e) {
    return r.inputDigest().isPresent() && !r.inputDigest().equals(e.inputDigest());
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

  /**
   * What the job knows before explaining anything: kept and unreadable, then stale results. Each
   * kept explanation is read as its element is asked for, so going through the list holds one at a
   * time.
   */
  List<JobResult> known() {
    List<Integer> at = new ArrayList<>(); // record indices, then -1 - i for stale i
    for (int i = 0; i < records.size(); i++) {
      if (!records.get(i).readable() || keptByRecord.get(i) != null) {
        at.add(i);
      }
    }
    for (int i = 0; i < stale.size(); i++) {
      at.add(-1 - i);
    }
    return new Known() {
      @Override
      public JobResult get(int index) {
        int i = at.get(index);
        if (i < 0) {
          return staleResult(stale.get(-1 - i));
        }
        SourceRecord r = records.get(i);
        return r.readable() ? kept(i) : unreadable(r);
      }

      @Override
      public int size() {
        return at.size();
      }

      @Override
      public String keptId(int index) {
        int i = at.get(index);
        if (i < 0) {
          return stale.get(-1 - i).id();
        }
        KeptExplanation e = keptByRecord.get(i);
        return e == null ? null : e.id();
      }
    };
  }

  /**
   * {@link #known()}: what a checkpoint that holds the kept explanations itself may copy instead of
   * reading each one (its id), element by element.
   */
  abstract static class Known extends AbstractList<JobResult> {
    /** Element {@code index}'s kept or stale explanation's id; null for an unreadable record. */
    abstract String keptId(int index);
  }

  /** Record i's kept explanation as its result (read now). */
  JobResult kept(int i) {
    SourceRecord r = records.get(i);
    return new JobResult(
        JobResult.Status.RESUMED, r.line(), keptByRecord.get(i).read(), r.datapoint(), Map.of());
  }

  /** A stale explanation as its result (read now). */
  static JobResult staleResult(KeptExplanation e) {
    return new JobResult(JobResult.Status.STALE, 0, e.read(), Optional.empty(), Map.of());
  }

  static JobResult unreadable(SourceRecord r) {
    return new JobResult(
        JobResult.Status.UNREADABLE, r.line(), r.error().get(), Optional.empty(), Map.of());
  }
}
