package io.dime.core;

import io.dime.api.Term;
import io.dime.core.FitTargets.ColumnSpec;
import io.dime.spi.FeatureSet;
import java.util.List;

/**
 * What one modality's samples are evaluated for: its features, the target columns of its fits, and
 * the estimator's slots (the terms whose values vary with the modality's mask) with each subset's
 * slot.
 *
 * @param m the modality's index
 * @param features its features
 * @param specs the target columns, one per fit
 * @param slots the terms the estimator evaluates per sample
 * @param slotOf per subset bits, its slot in {@code slots}, or -1 when it is taken from the point
 */
record ModalityTargets(
    int m, FeatureSet<?> features, List<ColumnSpec> specs, List<Term> slots, int[] slotOf) {}
