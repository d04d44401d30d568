package io.dime.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FeatureMapTest {
  @Test
  void pixelsAreMaximalRunsInRowMajorOrderThatDecodeToTheLabels() {
    // 4 x 3: a run of label 1 continues from the end of row 0 onto row 1
    int[] labels = {0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0};
    FeatureMap.Pixels p = FeatureMap.Pixels.of(4, 3, labels);
    assertArrayEquals(new int[] {0, 2, 1, 3, 2, 3, 0, 4}, p.runs());
    assertArrayEquals(labels, p.labels());
    assertArrayEquals(labels, p.owners());
    assertEquals(3, p.size());
    assertEquals(12, p.elementCount());
    assertEquals("pixels", p.kind());
    assertEquals(p, new FeatureMap.Pixels(4, 3, new int[] {0, 2, 1, 3, 2, 3, 0, 4}));
    assertNotEquals(p, new FeatureMap.Pixels(3, 4, new int[] {0, 2, 1, 3, 2, 3, 0, 4}));
  }

  @Test
  void pixelsRefuseRunsThatDoNotTileTheImage() {
    fails("runs cover 11 pixels; the image has 4 x 3", () -> new FeatureMap.Pixels(4, 3, runs(11)));
    fails("got 3 numbers", () -> new FeatureMap.Pixels(1, 1, new int[] {0, 1, 0}));
    fails(
        "run 1 has label 1 and length 0",
        () -> new FeatureMap.Pixels(1, 1, new int[] {0, 1, 1, 0}));
    fails("positive width and height, got 0 x 3", () -> new FeatureMap.Pixels(0, 3, runs(0)));
    fails("5 labels for a 2 x 2 image", () -> FeatureMap.Pixels.of(2, 2, new int[5]));
  }

  @Test
  void spansCountCodePointsAndLeaveGapsToNoFeature() {
    String text = "a \uD83D\uDE00 bc"; // "a", an emoji (two chars), "bc"
    FeatureMap.Spans s = FeatureMap.Spans.ofChars(text, new int[] {0, 2, 5}, new int[] {1, 4, 7});
    assertEquals(6, s.length());
    assertArrayEquals(new int[] {0, 2, 4}, s.begins());
    assertArrayEquals(new int[] {1, 3, 6}, s.ends());
    assertArrayEquals(new int[] {0, -1, 1, -1, 2, 2}, s.owners());
    int[] cps = text.codePoints().toArray();
    assertEquals("bc", new String(cps, s.begins()[2], s.ends()[2] - s.begins()[2]));
  }

  @Test
  void spansRefuseOverlapsAndEmptyOrOutsideSpans() {
    fails("span 1 overlaps span 0 at 2", () -> spans(5, 0, 3, 2, 4));
    fails("span 0 is [2, 2); it must be non-empty and end at most at 5", () -> spans(5, 2, 2));
    fails("span 0 is [3, 6)", () -> spans(5, 3, 6));
    fails("0 begins and 0 ends", () -> new FeatureMap.Spans(5, new int[0], new int[0]));
  }

  @Test
  void windowsNumberSamplesChannelByChannel() {
    FeatureMap.Windows w =
        new FeatureMap.Windows(2, 3, new int[] {1, 0, 0}, new int[] {0, 0, 2}, new int[] {3, 2, 3});
    assertArrayEquals(new int[] {1, 1, 2, 0, 0, 0}, w.owners());
    assertEquals(3, w.size());
    fails(
        "window 1 overlaps window 0 at 1",
        () -> new FeatureMap.Windows(1, 3, new int[] {0, 0}, new int[] {0, 1}, new int[] {2, 3}));
    fails(
        "window 0 is on channel 2 of 2",
        () -> new FeatureMap.Windows(2, 3, new int[] {2}, new int[] {0}, new int[] {1}));
  }

  @Test
  void entriesAreDistinctIndicesInsideTheVector() {
    FeatureMap.Entries e = new FeatureMap.Entries(4, new int[] {3, 1});
    assertArrayEquals(new int[] {-1, 1, -1, 0}, e.owners());
    assertArrayEquals(new int[] {0, 1, 2}, FeatureMap.Entries.identity(3).indices());
    fails("entry 1 is given to two features", () -> new FeatureMap.Entries(4, new int[] {1, 1}));
    fails(
        "feature 0 is entry 4 of a vector of length 4",
        () -> new FeatureMap.Entries(4, new int[] {4}));
  }

  @Test
  void arraysAreCopiedInAndOut() {
    int[] indices = {0, 1};
    FeatureMap.Entries e = new FeatureMap.Entries(2, indices);
    indices[0] = 1;
    e.indices()[1] = 0;
    assertArrayEquals(new int[] {0, 1}, e.indices());
  }

  @Test
  void anExplanationHoldsMapsOfItsOwnModalitiesOnly() {
    Map<String, FeatureMap> maps = Map.of("text", spans(5, 0, 3));
    Explanation e = explanation(maps);
    assertEquals(maps, e.featureMaps());
    assertEquals(maps, e.withProvenance(e.provenance()).featureMaps());
    assertEquals(Map.of(), explanation(null).featureMaps(), "null reads as no maps");
    fails(
        "record 'x': a feature map for 'audio', which is not one of the modalities [image, text]",
        () -> explanation(Map.of("audio", spans(5, 0, 3))));
  }

  private static Explanation explanation(Map<String, FeatureMap> maps) {
    return new Explanation(
        Explanation.SCHEMA_VERSION,
        "x",
        List.of("image", "text"),
        new double[] {1},
        0,
        Optional.empty(),
        List.of(),
        new PassCount(0, 0, 0),
        List.of(),
        new Provenance(
            "dev",
            Map.of(),
            0,
            1,
            1,
            1,
            1,
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            "logits",
            "raw",
            new Provenance.PoolIdentity(0, ""),
            Map.of(),
            Map.of(),
            List.of(),
            Optional.empty()),
        new Timings(0, 0),
        maps);
  }

  private static FeatureMap.Spans spans(int length, int... beginEnd) {
    int[] b = new int[beginEnd.length / 2];
    int[] e = new int[beginEnd.length / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = beginEnd[2 * i];
      e[i] = beginEnd[2 * i + 1];
    }
    return new FeatureMap.Spans(length, b, e);
  }

  private static int[] runs(int length) {
    return new int[] {0, length};
  }

  private static void fails(String message, Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    if (!x.getMessage().contains(message)) {
      throw new AssertionError("expected a message with '" + message + "', got: " + x.getMessage());
    }
  }
}
