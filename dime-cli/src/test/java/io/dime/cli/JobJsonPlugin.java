package io.dime.cli;

import io.dime.spi.DimePlugin;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plugin registered only by a jar that {@link ReportPluginsTest} writes into a folder that a
 * run's {@code job.json} names; it counts how often it was made, i.e. how often its code ran.
 */
public final class JobJsonPlugin implements DimePlugin {
  /** How many times a plugin loader made one. */
  static final AtomicInteger MADE = new AtomicInteger();

  /** Made by {@link java.util.ServiceLoader}. */
  public JobJsonPlugin() {
    MADE.incrementAndGet();
  }

  @Override
  public String name() {
    return "job_json_test";
  }
}
