package io.dime.core.infer;

/**
 * A {@link BatchRunner.Destination} that reads every row in place: a whole output vector is the
 * ranged call on all of it, which implementations must give.
 */
public interface InPlaceDestination extends BatchRunner.Destination {
  @Override
  default void accept(double[] output) {
    accept(output, 0, output.length);
  }

  @Override
  void accept(double[] out, int from, int length);
}
