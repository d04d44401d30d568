package io.dime.core.job;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Makes {@link RemoteExplainer}s; found through {@link ServiceLoader} ({@code
 * META-INF/services/io.dime.core.job.RemoteExplainerProvider}), so that the command line reaches an
 * optional part (dime-spark, with Spark's jars) only when it is on the class path. A provider must
 * load without the cluster's libraries: it touches them only in {@link #open}.
 */
public interface RemoteExplainerProvider {
  /** A stable lower-case name: "spark". */
  String name();

  /**
   * Opens an explainer (and the cluster session it needs).
   *
   * @throws IllegalArgumentException when the setup cannot be run (a bad master), with a message
   */
  RemoteExplainer open(RemoteExplainer.Setup setup);

  /**
   * The provider of that name found with the class loader.
   *
   * @throws IllegalStateException naming the providers found when none has the name
   */
  static RemoteExplainerProvider find(String name, ClassLoader loader) {
    List<String> found = new ArrayList<>();
    for (RemoteExplainerProvider p : ServiceLoader.load(RemoteExplainerProvider.class, loader)) {
      if (p.name().equals(name)) {
        return p;
      }
      found.add(p.name());
    }
    throw new IllegalStateException(
        "no remote explainer '" + name + "' on the class path; found: " + found);
  }
}
