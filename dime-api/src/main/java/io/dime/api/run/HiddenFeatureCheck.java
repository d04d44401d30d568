package io.dime.api.run;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The hidden-feature check of a run: per modality, what the model answers with all of that
 * modality's features hidden.
 *
 * @param modalities one entry per modality that could be checked, in pipeline order
 * @param error why the check failed; empty when it ran
 * @since 0.1
 */
public record HiddenFeatureCheck(List<HiddenModality> modalities, Optional<String> error) {
  public HiddenFeatureCheck {
    modalities = List.copyOf(modalities);
    requireNonNull(error, "error is null");
  }

  /** A check that ran. */
  public static HiddenFeatureCheck of(List<HiddenModality> modalities) {
    return new HiddenFeatureCheck(modalities, Optional.empty());
  }

  /** A check that could not run. */
  public static HiddenFeatureCheck failed(String error) {
    return new HiddenFeatureCheck(List.of(), Optional.of(error));
  }
}
