package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.FeatureSet;
import io.dime.spi.PoolStatistics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which pixels of a heat map carry which segment's colour. */
class HeatmapPixelsTest {
  private static final int GREY = Heatmap.BOUNDARY;

  private static Image heatmap(ImageModality m, Image img, double... weights) {
    FeatureSet<Image> fs = m.featurize(img, PoolStatistics.empty(), new SplittableRandom(1));
    byte[] png = (byte[]) m.view(fs, weights, null).data().get("png");
    return OpenCv.decode(png);
  }

  @Test
  void aSegmentThatIsAllBoundaryStillShowsItsWeight() {
    // a 2 x 2 grid on a 2 x 2 image: three of the four one-pixel segments have a right or lower
    // neighbour in another segment; drawn as boundaries, their weights did not show at all
    Image img = Image.ofPackedRgb(2, 2, new int[] {0x102030, 0x405060, 0x708090, 0xA0B0C0});
    ImageModality m = ImageModalityTest.modality("featurizer", "grid", "rows", 2);
    Image map = heatmap(m, img, 1, -1, 0.5, 0);
    assertEquals(0x0072B2, map.rgb(0, 0), "s0, the largest positive weight: the positive colour");
    assertEquals(0xE69F00, map.rgb(1, 0), "s1, the most negative weight: the negative colour");
    // s2 half way from (0x70, 0x80, 0x90) to (0x00, 0x72, 0xB2), rounded
    assertEquals(0x3879A1, map.rgb(0, 1), "s2, half the positive end");
    assertEquals(0xA0B0C0, map.rgb(1, 1), "s3, weight 0: the image");
  }

  @Test
  void segmentsWithAnInteriorKeepTheirBoundaries() {
    // a 2 x 2 grid on a 4 x 4 image: each 2 x 2 cell keeps one interior pixel
    int[] px = new int[16];
    java.util.Arrays.fill(px, 0x646464);
    ImageModality m = ImageModalityTest.modality("featurizer", "grid", "rows", 2);
    Image map = heatmap(m, Image.ofPackedRgb(4, 4, px), 1, 1, 1, 1);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        boolean boundary = x == 1 || y == 1;
        assertEquals(boundary ? GREY : 0x0072B2, map.rgb(x, y), x + "," + y);
      }
    }
  }
}
