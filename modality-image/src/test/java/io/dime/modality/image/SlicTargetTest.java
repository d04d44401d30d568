package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.PoolStatistics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The SLIC featurizer's search for the region size that gives the target segment count. */
class SlicTargetTest {
  /** A 28 x 28 crop of the committed test scene (the red disc's edge, sky and the rectangle). */
  private static Image crop28() {
    int[] scene = TestImages.scenePixels();
    int[] px = new int[28 * 28];
    for (int y = 0; y < 28; y++) {
      System.arraycopy(scene, (60 + y) * TestImages.SIZE + 50, px, y * 28, 28);
    }
    return Image.ofPackedRgb(28, 28, px);
  }

  private static int slicCount(Image img, int regionSize) {
    return Segmentation.of(img.width(), img.height(), OpenCv.slic(img, regionSize, 10f, 10, 25))
        .count;
  }

  @Test
  void aTargetNearOneSegmentAPixelIsNotStuckAtRegionSizeOne() {
    Image img = crop28();
    int atOne = slicCount(img, 1);
    int atTwo = slicCount(img, 2);
    // connectivity enforcement makes region size 1 give fewer segments than 2 (36 and 144 here)
    assertTrue(atOne < atTwo, atOne + " segments at region size 1, " + atTwo + " at 2");
    for (int target : new int[] {400, 784}) {
      int got =
          ImageModalityTest.modality("segments", target)
              .featurize(img, PoolStatistics.empty(), new SplittableRandom(1))
              .size();
      assertEquals(atTwo, got, "segments " + target + " on 28 x 28: the count closest to it");
    }
  }
}
