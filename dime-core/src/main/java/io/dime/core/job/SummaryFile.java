package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import io.dime.api.run.JobResult;
import io.dime.api.run.ResultSink;
import io.dime.api.run.RunSummary;
import io.dime.core.io.AtomicFiles;
import io.dime.core.io.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;

/** {@code summary.json}: the job's {@link RunSummary}, written atomically when the job finishes. */
public final class SummaryFile implements ResultSink {
  /** The file name the command line writes. */
  public static final String NAME = "summary.json";

  private final Path file;

  public SummaryFile(Path file) {
    this.file = requireNonNull(file, "file is null");
  }

  @Override
  public void accept(JobResult result) {}

  @Override
  public void finish(RunSummary summary) throws IOException {
    String json = SummaryJson.write(summary);
    AtomicFiles.write(file, w -> w.write(json + "\n"));
  }
}
