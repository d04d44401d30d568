package io.dime.core.job;

import io.dime.api.run.RecordSource;
import io.dime.api.run.ResultSink;
import io.dime.core.Targets;
import java.util.List;

/** An {@link ExplanationJob}'s settings, as its builder made them. */
record JobConfig(
    RecordSource source,
    Targets targets,
    int threads,
    RecordExplainer explainer,
    List<ResultSink> sinks,
    Checkpoint checkpoint,
    JobListener listener,
    int poolSize,
    int poolSkipped,
    List<String> notes,
    boolean globalChecks,
    long startedNanos,
    int maxModelFailures) {}
