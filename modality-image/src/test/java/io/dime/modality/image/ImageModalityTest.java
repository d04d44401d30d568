package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.ViewOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Reading, encoding, settings and the value type, with small images of known pixels. */
class ImageModalityTest {
  private static final Path IMAGES = ImageModalityContractTest.imagesDirectory();

  static ImageModality modality(Object... settings) {
    return new ImageModality("photo", PluginConfig.of("modality 'photo' (plugin image)", settings));
  }

  /** A w x h image whose pixel (x, y) is (10 x + y, 100 + x, 200 - y). */
  static Image ramp(int w, int h) {
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = (10 * x + y) << 16 | (100 + x) << 8 | (200 - y);
      }
    }
    return Image.ofPackedRgb(w, h, px);
  }

  @Nested
  class Reading {
    @TempDir Path dir;

    private InputException fails(Object field, Path base) {
      InputException e =
          assertThrows(
              InputException.class, () -> modality().read(field, new ReadContext(base, "rec-9")));
      assertEquals(Optional.of("rec-9"), e.recordId());
      assertTrue(e.getMessage().contains("rec-9"), e.getMessage());
      assertTrue(e.getMessage().contains("modality 'photo'"), e.getMessage());
      return e;
    }

    @Test
    void missingFileNamesThePathAndTheProblem() {
      String m = fails("sub/missing.png", IMAGES).getMessage();
      assertTrue(m.contains("cannot read image 'sub/missing.png': no such file"), m);
      // The message names the path as the manifest gives it, never the machine's absolute path.
      assertFalse(m.contains(IMAGES.toAbsolutePath().toString()), m);
    }

    @Test
    void aTextFileNamedPngIsNotAnImage() {
      String m = fails(TestImages.NOT_AN_IMAGE, IMAGES).getMessage();
      assertTrue(m.contains("cannot read image 'not-an-image.png': not an image"), m);
    }

    @Test
    void emptyPathAndEmptyFileAreRejected() throws IOException {
      assertTrue(fails("", IMAGES).getMessage().contains("empty image path"));
      assertTrue(fails("  ", IMAGES).getMessage().contains("empty image path"));
      Files.write(dir.resolve("zero.png"), new byte[0]);
      String m = fails("zero.png", dir).getMessage();
      assertTrue(m.contains("cannot read image 'zero.png': the file is empty"), m);
      assertTrue(fails(new byte[0], dir).getMessage().contains("empty"));
      assertTrue(fails(new byte[] {1, 2, 3}, dir).getMessage().contains("not an image"));
    }

    @Test
    void bytesBase64DataUrlAndPathObjectGiveTheSameImage() throws IOException {
      byte[] png = Files.readAllBytes(IMAGES.resolve(TestImages.SCENE));
      ReadContext ctx = new ReadContext(IMAGES, "r");
      Image fromPath = modality().read(TestImages.SCENE, ctx);
      String b64 = Base64.getEncoder().encodeToString(png);
      assertEquals(fromPath, modality().read(png, ctx));
      assertEquals(fromPath, modality().read(Map.of("base64", b64), ctx));
      assertEquals(
          fromPath, modality().read(Map.of("base64", "data:image/png;base64," + b64), ctx));
      // a data URL as the field itself (it was read as a file name: "no such file", or "File name
      // too long" for a large image)
      assertEquals(fromPath, modality().read("data:image/png;base64," + b64, ctx));
      assertTrue(
          fails("data:image/png,rawbytes", dir)
              .getMessage()
              .contains("a data URL must be 'data:...;base64,...'"));
      assertEquals(fromPath, modality().read(Map.of("path", TestImages.SCENE), ctx));
      Files.copy(IMAGES.resolve(TestImages.SCENE), dir.resolve("copy.png"));
      // An absolute path outside the data root needs outside paths allowed.
      String outside = dir.resolve("copy.png").toString();
      InputException refused =
          assertThrows(InputException.class, () -> modality().read(outside, ctx));
      assertTrue(refused.getMessage().contains("leaves the data root"), refused.getMessage());
      ReadContext open = new ReadContext(IMAGES, "r", IMAGES, true);
      assertEquals(fromPath, modality().read(outside, open));
    }

    @Test
    void jpegIsDecodedToo() throws IOException {
      java.awt.image.BufferedImage img =
          new java.awt.image.BufferedImage(16, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 16; x++) {
          img.setRGB(x, y, 0x3080C0);
        }
      }
      Path jpg = dir.resolve("blue.jpg");
      assertTrue(javax.imageio.ImageIO.write(img, "jpeg", jpg.toFile()));
      Image read = modality().read("blue.jpg", new ReadContext(dir, "r"));
      assertEquals(16, read.width());
      assertEquals(8, read.height());
      for (int c = 0; c < 3; c++) {
        int expected = (0x3080C0 >> (16 - 8 * c)) & 0xFF;
        assertTrue(Math.abs(read.sample(5, 5, c) - expected) <= 3, "channel " + c);
      }
    }

    /**
     * Resize and crop happen once, when the image is read: what is segmented, hidden and drawn is
     * the image the model takes, and checking it again (as the engine does) changes nothing.
     */
    @Test
    void anImageIsReadAtTheModelsSize() throws IOException {
      Path png = dir.resolve("big.png");
      java.awt.image.BufferedImage big =
          new java.awt.image.BufferedImage(400, 300, java.awt.image.BufferedImage.TYPE_INT_RGB);
      assertTrue(javax.imageio.ImageIO.write(big, "png", png.toFile()));
      ImageModality resize = modality("resize", List.of(40, 30));
      Image read = resize.read("big.png", new ReadContext(dir, "r"));
      assertEquals(40, read.width());
      assertEquals(30, read.height());
      assertTrue(read == resize.check(read, "r"), "already at the model's size");
      ImageModality cropped = modality("resize", 32, "centerCrop", 24);
      Image crop = cropped.read("big.png", new ReadContext(dir, "r"));
      assertEquals(24, crop.width());
      assertEquals(24, crop.height());
      assertTrue(crop == cropped.check(crop, "r"), "not resized and cropped a second time");
      // the same tensor as encoding the full image: the encoder finds nothing left to do
      Image full = modality().read("big.png", new ReadContext(dir, "r"));
      assertArrayEquals(
          cropped.encoder().encode(full).get(0).floats(),
          cropped.encoder().encode(crop).get(0).floats());
      // an image built in code is brought to size by check, naming the record when it cannot be
      assertEquals(40, resize.check(ramp(80, 60), "r").width());
      InputException small =
          assertThrows(
              InputException.class, () -> modality("centerCrop", 50).check(ramp(20, 20), "r7"));
      assertTrue(small.getMessage().contains("'r7'"), small.getMessage());
      assertTrue(small.getMessage().contains("smaller than centerCrop 50x50"), small.getMessage());
    }

    /**
     * A JPEG cut short is refused (OpenCV would fill its missing rows with grey and only warn on
     * standard error); a PNG cut short names its format, size and the damage.
     */
    @Test
    void truncatedImagesAreRefusedSayingSo() throws IOException {
      java.awt.image.BufferedImage img =
          new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 64; x++) {
          img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 77);
        }
      }
      for (String format : new String[] {"jpeg", "png"}) {
        Path whole = dir.resolve("whole." + format);
        assertTrue(javax.imageio.ImageIO.write(img, format, whole.toFile()));
        byte[] bytes = Files.readAllBytes(whole);
        if (format.equals("jpeg")) {
          assertTrue(EncodedIntegrity.jpegEnds(bytes));
        }
        Files.write(
            dir.resolve("half." + format), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals(64, modality().read("whole." + format, new ReadContext(dir, "r")).width());
        InputException e =
            assertThrows(
                InputException.class,
                () -> modality().read("half." + format, new ReadContext(dir, "r4")));
        assertTrue(e.getMessage().contains("'r4'"), e.getMessage());
        assertTrue(
            e.getMessage()
                .contains(
                    format.equals("jpeg")
                        ? "the JPEG file is truncated (its image data has no end-of-image marker)"
                        : "the PNG file is truncated (it ends after "
                            + bytes.length / 2
                            + " bytes,"),
            e.getMessage());
      }
    }

    /**
     * A PNG's chunks are checked before libpng sees them (it would print its own message on
     * standard error, outside the record's error): cut anywhere, a critical chunk's byte changed,
     * or its end chunk missing, it is refused naming the problem; bytes after the end chunk and a
     * damaged ancillary chunk are left to the decoder, which reads the image.
     */
    @Test
    void aPngsChunksAreCheckedBeforeDecoding() throws IOException {
      java.awt.image.BufferedImage img =
          new java.awt.image.BufferedImage(32, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 32; x++) {
          img.setRGB(x, y, (x * 8) << 16 | (y * 16) << 8 | 5);
        }
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      assertTrue(javax.imageio.ImageIO.write(img, "png", out));
      byte[] png = out.toByteArray();
      assertNull(EncodedIntegrity.pngProblem(png));
      for (int cut = 9; cut < png.length; cut += 7) {
        String p = EncodedIntegrity.pngProblem(java.util.Arrays.copyOf(png, cut));
        assertTrue(p != null && p.startsWith("the PNG file is truncated"), cut + ": " + p);
      }
      // IHDR's chunk starts at byte 8; its data at 16 (the width's last byte is 19)
      byte[] damaged = png.clone();
      damaged[19] ^= 1;
      assertEquals(
          "the PNG file is damaged (its 'IHDR' chunk at byte 8 fails its checksum)",
          EncodedIntegrity.pngProblem(damaged));
      byte[] idat = png.clone();
      idat[idat.length - 20] ^= 0x40; // inside IDAT, before its checksum and IEND's 12 bytes
      assertTrue(
          EncodedIntegrity.pngProblem(idat)
              .matches(".*'IDAT' chunk at byte \\d+ fails its checksum.*"),
          EncodedIntegrity.pngProblem(idat));
      byte[] trailing = java.util.Arrays.copyOf(png, png.length + 5);
      assertNull(EncodedIntegrity.pngProblem(trailing));
      Files.write(dir.resolve("trailing.png"), trailing);
      assertEquals(32, modality().read("trailing.png", new ReadContext(dir, "r")).width());
      // an ancillary chunk ('tEXt') with a wrong checksum, inserted after IHDR (8 + 25 bytes)
      byte[] text = {0, 0, 0, 1, 't', 'E', 'X', 't', 'a', 1, 2, 3, 4};
      byte[] withText = new byte[png.length + text.length];
      System.arraycopy(png, 0, withText, 0, 33);
      System.arraycopy(text, 0, withText, 33, text.length);
      System.arraycopy(png, 33, withText, 33 + text.length, png.length - 33);
      assertNull(EncodedIntegrity.pngProblem(withText));
      Files.write(dir.resolve("damaged.png"), damaged);
      InputException e =
          assertThrows(
              InputException.class,
              () -> modality().read("damaged.png", new ReadContext(dir, "r9")));
      assertTrue(e.getMessage().contains("'r9'"), e.getMessage());
      assertTrue(e.getMessage().endsWith("fails its checksum)"), e.getMessage());
    }

    /** A file larger than the largest image could need is refused before it is read. */
    @Test
    void aFileLargerThanAnyAllowedImageIsRefusedUnread() throws IOException {
      Path huge = dir.resolve("huge.png");
      try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
        f.setLength(3L << 20); // sparse: 3 MiB of nothing
      }
      InputException e =
          assertThrows(
              InputException.class,
              () -> modality("maxPixels", 1000).read("huge.png", new ReadContext(dir, "r")));
      assertTrue(
          e.getMessage().contains("the file has 3145728 bytes; the most is 1056576"),
          e.getMessage());
    }

    @Test
    void otherFieldTypesAreRejected() {
      assertTrue(fails(List.of(1, 2), IMAGES).getMessage().contains("expects an image path"));
      assertTrue(fails(Map.of("base64", 5), IMAGES).getMessage().contains("found an object"));
      assertTrue(fails("a\u0000b", IMAGES).getMessage().contains("not a valid path"));
    }
  }

  @Nested
  class Encoding {
    private Tensor encode(Image image, Object... settings) {
      ImageModality m = modality(settings);
      List<Tensor> t = m.encoder().encode(image);
      assertEquals(1, t.size());
      TensorSpec spec = m.encoder().outputs().get(0);
      assertEquals(spec.name(), t.get(0).name());
      assertEquals(ElementType.FLOAT32, t.get(0).type());
      long[] declared = spec.shape();
      for (int i = 0; i < declared.length; i++) {
        assertTrue(declared[i] == -1 || declared[i] == t.get(0).shape()[i]);
      }
      return t.get(0);
    }

    @Test
    void nchwScalesAndNormalisesEachChannel() {
      Image img = ramp(3, 2);
      Tensor t =
          encode(img, "mean", List.of(0.5, 0.25, 0.0), "std", List.of(0.5, 2.0, 4.0), "input", "x");
      assertEquals("x", t.name());
      assertArrayEquals(new long[] {3, 2, 3}, t.shape());
      double[] mean = {0.5, 0.25, 0};
      double[] std = {0.5, 2, 4};
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 2; y++) {
          for (int x = 0; x < 3; x++) {
            double expected = (img.sample(x, y, c) / 255.0 - mean[c]) / std[c];
            assertEquals(
                expected, t.floats()[c * 6 + y * 3 + x], 1e-6, "c" + c + " " + x + "," + y);
          }
        }
      }
      assertEquals(
          List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {3, -1, -1})),
          modality("input", "x").encoder().outputs());
    }

    @Test
    void nhwcBgrWithScaleOne() {
      Image img = ramp(3, 2);
      Tensor t = encode(img, "layout", "nhwc", "channelOrder", "bgr", "scale", 1);
      assertEquals("photo", t.name(), "the tensor is named after the modality by default");
      assertArrayEquals(new long[] {2, 3, 3}, t.shape());
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          int o = (y * 3 + x) * 3;
          assertEquals(img.sample(x, y, 2), t.floats()[o], 0);
          assertEquals(img.sample(x, y, 1), t.floats()[o + 1], 0);
          assertEquals(img.sample(x, y, 0), t.floats()[o + 2], 0);
        }
      }
    }

    @Test
    void greyKeepsAGreyImagesLevelsAndTakesOpenCvsLumaOfColour() {
      // every level once, as a grey image read into RGB (r = g = b)
      int[] px = new int[256];
      for (int v = 0; v < 256; v++) {
        px[v] = v << 16 | v << 8 | v;
      }
      Image levels = Image.ofPackedRgb(16, 16, px);
      for (String layout : List.of("nchw", "nhwc")) {
        Tensor t = encode(levels, "channelOrder", "grey", "layout", layout, "scale", 1);
        assertArrayEquals(
            layout.equals("nchw") ? new long[] {1, 16, 16} : new long[] {16, 16, 1}, t.shape());
        for (int v = 0; v < 256; v++) {
          assertEquals(v, t.floats()[v], 0, "level " + v);
        }
      }
      // colour: the level OpenCV's own RGB-to-grey conversion gives, pixel by pixel
      OpenCv.ensureLoaded();
      SplittableRandom rng = new SplittableRandom(3);
      byte[] rgb = new byte[3 * 64 * 64];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (byte) rng.nextInt(256);
      }
      Image colour = Image.ofRgb(64, 64, rgb);
      Mat m = new Mat(64, 64, CvType.CV_8UC3);
      m.put(0, 0, rgb);
      Mat grey = new Mat();
      Imgproc.cvtColor(m, grey, Imgproc.COLOR_RGB2GRAY);
      byte[] want = new byte[64 * 64];
      grey.get(0, 0, want);
      Tensor t = encode(colour, "channelOrder", "gray", "mean", 0.5, "std", List.of(0.25));
      for (int i = 0; i < want.length; i++) {
        assertEquals(((want[i] & 0xFF) / 255.0 - 0.5) / 0.25, t.floats()[i], 1e-5, "pixel " + i);
      }
      assertEquals(
          List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {1, -1, -1})),
          modality("input", "x", "channelOrder", "grey").encoder().outputs());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> modality("channelOrder", "grey", "mean", List.of(0.4, 0.5, 0.6)));
      assertTrue(e.getMessage().contains("one number with channelOrder grey"), e.getMessage());
    }

    @Test
    void centreCropTakesTheMiddle() {
      Image img = ramp(5, 5);
      Tensor t = encode(img, "centerCrop", 3, "scale", 1);
      assertArrayEquals(new long[] {3, 3, 3}, t.shape());
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 3; x++) {
          assertEquals(img.sample(x + 1, y + 1, 0), t.floats()[y * 3 + x], 0);
        }
      }
      // an odd margin: the extra column is on the right
      Tensor t2 = encode(ramp(6, 4), "centerCrop", List.of(3, 2), "scale", 1);
      assertArrayEquals(new long[] {3, 2, 3}, t2.shape());
      assertEquals(ramp(6, 4).sample(1, 1, 0), t2.floats()[0], 0);
      InputException e =
          assertThrows(InputException.class, () -> modality("centerCrop", 8).encoder().encode(img));
      assertTrue(e.getMessage().contains("smaller than centerCrop 8x8"), e.getMessage());
    }

    @Test
    void resizeToAFixedSizeAndByTheShorterSide() {
      // 4 x 4 in 2 x 2 blocks of one colour each; area interpolation halves it exactly
      int[] px = new int[16];
      int[] colours = {0x102030, 0x405060, 0x708090, 0xA0B0C0};
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          px[y * 4 + x] = colours[(y / 2) * 2 + x / 2];
        }
      }
      Tensor t =
          encode(
              Image.ofPackedRgb(4, 4, px),
              "resize",
              List.of(2, 2),
              "interpolation",
              "area",
              "scale",
              1);
      assertArrayEquals(new long[] {3, 2, 2}, t.shape());
      for (int i = 0; i < 4; i++) {
        assertEquals((colours[i] >> 16) & 0xFF, t.floats()[i], 0, "red of block " + i);
        assertEquals(colours[i] & 0xFF, t.floats()[8 + i], 0, "blue of block " + i);
      }
      assertArrayEquals(new long[] {3, 10, 20}, encode(ramp(40, 20), "resize", 10).shape());
      assertArrayEquals(new long[] {3, 21, 10}, encode(ramp(20, 42), "resize", 10).shape());
      Tensor cropped = encode(ramp(40, 20), "resize", 16, "centerCrop", 16);
      assertArrayEquals(new long[] {3, 16, 16}, cropped.shape());
      assertEquals(
          List.of(new TensorSpec("photo", ElementType.FLOAT32, new long[] {7, 9, 3})),
          modality("resize", List.of(9, 7), "layout", "nhwc").encoder().outputs());
    }
  }

  @Nested
  class Settings {
    private String rejects(Object... settings) {
      return assertThrows(IllegalArgumentException.class, () -> modality(settings)).getMessage();
    }

    @Test
    void badAndInapplicableSettingsAreRejectedNamingThem() {
      assertTrue(rejects("k", 100).contains("'k' applies to featurizer 'felzenszwalb'"));
      assertTrue(rejects("fill", 0).contains("'fill' applies to perturber 'constant'"));
      assertTrue(rejects("featurizer", "grid", "regionSize", 10).contains("regionSize"));
      assertTrue(rejects("segments", 10, "regionSize", 10).contains("not both"));
      assertTrue(rejects("featurizer", "felzenszwalb", "segments", 10).contains("segments"));
      assertTrue(rejects("featurizer", "quickshift").contains("allowed"));
      assertTrue(rejects("segments", 0).contains("'segments'"));
      assertTrue(rejects("std", List.of(1, 0, 1)).contains("'std'"));
      assertTrue(rejects("mean", List.of(1, 2)).contains("'mean'"));
      assertTrue(rejects("perturber", "constant", "fill", List.of(1, 2, 300)).contains("fill"));
      assertTrue(rejects("resize", List.of(10, 10), "centerCrop", 20).contains("larger"));
      assertTrue(rejects("interpolation", "area").contains("only with 'resize'"));
      assertTrue(rejects("resize", "big").contains("'resize'"));
      assertTrue(rejects("palette", "rainbow").contains("palette"));
      assertTrue(rejects("scale", 0).contains("'scale'"));
      assertTrue(rejects("input", " ").contains("'input'"));
    }

    @Test
    void provenanceListsEffectiveSettingsAndOpenCvVersion() {
      Map<String, Object> p = modality().provenance();
      assertEquals("slic", p.get("featurizer"));
      assertEquals(50, p.get("segments"));
      assertEquals(10.0, p.get("compactness"));
      assertEquals("mean", p.get("perturber"));
      assertEquals("photo", p.get("input"));
      assertEquals(1.0 / 255, p.get("scale"));
      assertEquals("nchw", p.get("layout"));
      assertEquals("diverging", p.get("palette"));
      assertEquals(org.opencv.core.Core.VERSION, p.get("opencv"));
      assertTrue(((String) p.get("opencv")).startsWith("4.10"));
      Map<String, Object> f = modality("featurizer", "felzenszwalb").provenance();
      assertEquals(List.of(0.5, 300.0, 100), List.of(f.get("sigma"), f.get("k"), f.get("minSize")));
      assertEquals(SamplingHints.DENSE, modality().samplingHints());
    }

    @Test
    void explicitRegionSizeRunsSlicOnce() {
      Modality<Image> m = modality("regionSize", 56, "minSizePercent", 0);
      FeatureSet<Image> fs =
          m.featurize(ramp(224, 224), PoolStatistics.empty(), new SplittableRandom(1));
      assertEquals(16, fs.size(), "a 4 x 4 grid of seeds on a smooth ramp");
    }
  }

  @Nested
  class Views {
    @Test
    void viewRejectsWrongWeightsAndTopN() {
      ImageModality m = modality("featurizer", "grid", "rows", 2, "cols", 2);
      FeatureSet<Image> fs =
          m.featurize(ramp(8, 8), PoolStatistics.empty(), new SplittableRandom(1));
      ViewOptions o = ViewOptions.defaults("t");
      assertThrows(IllegalArgumentException.class, () -> m.view(fs, new double[3], o));
      assertThrows(
          IllegalArgumentException.class, () -> m.view(fs, new double[] {0, Double.NaN, 0, 0}, o));
      assertThrows(
          IllegalArgumentException.class,
          () -> m.view(fs, new double[4], new ViewOptions("rainbow", 0, "t")));
      assertThrows(
          IllegalArgumentException.class,
          () -> m.view(fs, new double[4], new ViewOptions(null, -1, "t")));
      Map<String, Object> data = m.view(fs, new double[4], o).data();
      assertEquals(0.0, data.get("scaleMin"));
      assertEquals(0.0, data.get("scaleMax"));
      assertArrayEquals(new int[0], (int[]) data.get("coloredSegments"));
      assertEquals("t", data.get("title"));
    }

    @Test
    void paletteSettingAppliesWhenTheOptionsNameNone() {
      ImageModality m = modality("featurizer", "grid", "rows", 2, "palette", "green_red");
      FeatureSet<Image> fs =
          m.featurize(ramp(8, 8), PoolStatistics.empty(), new SplittableRandom(1));
      Map<String, Object> data =
          m.view(fs, new double[] {1, -1, 0, 0}, new ViewOptions(null, 0, null)).data();
      assertEquals("green_red", data.get("palette"));
      assertEquals("#1A9850", data.get("positiveColor"));
      assertEquals("#D73027", data.get("negativeColor"));
      assertEquals(
          "green_red",
          m.view(fs, new double[4], ViewOptions.defaults("t")).data().get("palette"),
          "the default options leave the palette to the modality");
      assertEquals(
          "diverging",
          m.view(fs, new double[4], new ViewOptions("diverging", 0, "t")).data().get("palette"),
          "an explicit palette in the options wins");
    }
  }

  @Nested
  class Values {
    @Test
    void imageIsAValueWithCopiesInAndOut() {
      byte[] rgb = {1, 2, 3, 4, 5, 6};
      Image a = Image.ofRgb(2, 1, rgb);
      rgb[0] = 99;
      assertEquals(1, a.sample(0, 0, 0), "the array is copied in");
      a.toRgbBytes()[0] = 99;
      assertEquals(1, a.sample(0, 0, 0), "the array is copied out");
      Image b = Image.ofPackedRgb(2, 1, new int[] {0x010203, 0xFF040506});
      assertEquals(a, b);
      assertEquals(a.hashCode(), b.hashCode());
      assertNotEquals(a, Image.ofRgb(1, 2, new byte[] {1, 2, 3, 4, 5, 6}));
      assertEquals(0x040506, a.rgb(1, 0));
      assertEquals(3, a.channels());
      assertEquals("Image[2x1 RGB]", a.toString());
      assertThrows(IllegalArgumentException.class, () -> Image.ofRgb(2, 2, rgb));
      assertThrows(IllegalArgumentException.class, () -> Image.ofRgb(0, 1, new byte[0]));
      assertThrows(IndexOutOfBoundsException.class, () -> a.rgb(2, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> a.sample(0, 0, 3));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"slic", "felzenszwalb"})
    void tinyImagesGiveOneSegmentAtLeast(String featurizer) {
      for (int[] wh : new int[][] {{1, 1}, {1, 7}, {2, 3}, {6, 6}}) {
        Image img = ramp(wh[0], wh[1]);
        FeatureSet<Image> fs =
            modality("featurizer", featurizer)
                .featurize(img, PoolStatistics.empty(), new SplittableRandom(1));
        assertTrue(fs.size() >= 1);
        assertSame(img, fs.apply(allTrue(fs.size())));
        assertEquals(img.pixelCount(), ((int[]) fs.layout().get("segments")).length);
      }
    }

    @Test
    void gridLargerThanTheImageIsAnInputError() {
      InputException e =
          assertThrows(
              InputException.class,
              () ->
                  modality("featurizer", "grid", "rows", 4)
                      .featurize(ramp(3, 3), PoolStatistics.empty(), new SplittableRandom(1)));
      assertTrue(e.getMessage().contains("smaller than the grid"), e.getMessage());
    }

    @Test
    void applyChecksTheMaskLength() {
      FeatureSet<Image> fs =
          modality("featurizer", "grid", "rows", 2)
              .featurize(ramp(4, 4), PoolStatistics.empty(), new SplittableRandom(1));
      assertThrows(IllegalArgumentException.class, () -> fs.apply(new boolean[3]));
    }

    private static boolean[] allTrue(int d) {
      boolean[] b = new boolean[d];
      java.util.Arrays.fill(b, true);
      return b;
    }
  }

  /** The perturbers that take hidden pixels from the reference pool. */
  @Nested
  class PoolPerturbers {
    private Image uniform(int w, int h, int r, int g, int b) {
      int[] px = new int[w * h];
      java.util.Arrays.fill(px, r << 16 | g << 8 | b);
      return Image.ofPackedRgb(w, h, px);
    }

    private PoolStatistics pool(Image... images) {
      return new PoolStatistics(List.of((Object[]) images));
    }

    private FeatureSet<Image> grid(String perturber, Image value, PoolStatistics pool, long seed) {
      return modality("featurizer", "grid", "rows", 2, "cols", 2, "perturber", perturber)
          .featurize(value, pool, new SplittableRandom(seed));
    }

    @Test
    void poolMeanHidesWithTheRoundedPixelMeanOfThePool() {
      Image value = ramp(4, 4);
      PoolStatistics pool = pool(uniform(4, 4, 10, 20, 30), uniform(4, 4, 11, 41, 50));
      FeatureSet<Image> fs = grid("pool-mean", value, pool, 1);
      assertEquals(4, fs.size());
      Image hidden = fs.apply(new boolean[4]);
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          // (10 + 11) / 2 = 10.5 and (20 + 41) / 2 = 30.5 round half up; (30 + 50) / 2 = 40
          assertEquals(11 << 16 | 31 << 8 | 40, hidden.rgb(x, y));
        }
      }
      boolean[] keepAllButTopLeft = {false, true, true, true};
      Image mixed = fs.apply(keepAllButTopLeft);
      assertEquals(hidden.rgb(0, 0), mixed.rgb(0, 0));
      assertEquals(hidden.rgb(1, 1), mixed.rgb(1, 1));
      assertEquals(value.rgb(2, 0), mixed.rgb(2, 0));
      assertEquals(value.rgb(3, 3), mixed.rgb(3, 3));
      assertEquals(value, fs.apply(new boolean[] {true, true, true, true}));
    }

    @Test
    void referenceHidesWithOnePoolImageChosenByTheSeed() {
      Image value = ramp(4, 4);
      List<Image> images =
          List.of(
              uniform(4, 4, 1, 2, 3),
              uniform(4, 4, 4, 5, 6),
              uniform(4, 4, 7, 8, 9),
              uniform(4, 4, 10, 11, 12));
      PoolStatistics pool = pool(images.toArray(new Image[0]));
      java.util.Set<Image> seen = new java.util.HashSet<>();
      for (long seed = 0; seed < 40; seed++) {
        Image hidden = grid("reference", value, pool, seed).apply(new boolean[4]);
        assertTrue(images.contains(hidden), "the hidden image is one of the pool's");
        assertEquals(hidden, grid("reference", value, pool, seed).apply(new boolean[4]));
        seen.add(hidden);
      }
      assertEquals(4, seen.size(), "every pool image is drawn for some seed");
    }

    @Test
    void referenceNeverHidesAnImageWithItself() {
      Image value = ramp(4, 4);
      Image other = uniform(4, 4, 9, 9, 9);
      PoolStatistics pool = pool(ramp(4, 4), other); // an equal copy of the explained image
      for (long seed = 0; seed < 20; seed++) {
        assertEquals(other, grid("reference", value, pool, seed).apply(new boolean[4]));
      }
      InputException alone =
          assertThrows(
              InputException.class,
              () -> grid("reference", value, pool(ramp(4, 4)), 1).apply(new boolean[4]));
      assertTrue(alone.getMessage().contains("other than the explained one"), alone.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pool-mean", "reference"})
    void anEmptyPoolOrAnotherSizeIsAnInputErrorNamingIt(String perturber) {
      InputException empty =
          assertThrows(
              InputException.class, () -> grid(perturber, ramp(4, 4), PoolStatistics.empty(), 1));
      assertTrue(empty.getMessage().contains("reference pool, which is empty"), empty.getMessage());
      assertTrue(empty.getMessage().contains("'" + perturber + "'"), empty.getMessage());
      InputException size =
          assertThrows(
              InputException.class,
              () -> grid(perturber, ramp(4, 4), pool(uniform(4, 4, 0, 0, 0), ramp(5, 4)), 1));
      assertTrue(size.getMessage().contains("pool image 1 is 5 x 4"), size.getMessage());
      assertTrue(size.getMessage().contains("4 x 4"), size.getMessage());
    }
  }
}
