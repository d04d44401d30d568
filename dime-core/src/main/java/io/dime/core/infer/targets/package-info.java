/**
 * Targets: the explained scores computed from any model output (an element, slice or reduction of a
 * map, the score of a decoded sequence, the similarity of two embeddings), named in a pipeline's
 * {@code targets} section.
 */
package io.dime.core.infer.targets;
