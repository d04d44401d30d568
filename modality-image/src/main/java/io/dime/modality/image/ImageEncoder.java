package io.dime.modality.image;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import java.util.List;

/**
 * Encodes an image into one FLOAT32 tensor: optional resize, optional centre crop, then per output
 * channel {@code (sample * scale - mean[c]) / std[c]} with the channels in the configured order
 * (mean and std are given in that output order), laid out as [3, H, W] (nchw) or [H, W, 3] (nhwc).
 * With {@code channelOrder: grey} the one channel is each pixel's luma ({@link OpenCv#grey}: a
 * grey-level image keeps its levels), and the tensor is [1, H, W] or [H, W, 1]. The per-sample
 * arithmetic is a 256-entry lookup table per channel, made once.
 */
final class ImageEncoder implements Encoder<Image> {
  private final ImageSettings settings;
  private final String tensorName;
  private final TensorSpec spec;
  private final boolean nchw;
  private final int[] sourceChannel;
  private final float[][] table;
  private final boolean grey;

  ImageEncoder(ImageSettings settings, String tensorName) {
    this.settings = settings;
    this.tensorName = tensorName;
    this.nchw = settings.layout.equals("nchw");
    this.grey = settings.channels() == 1;
    this.sourceChannel =
        settings.channelOrder.equals("bgr") ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
    this.table = new float[3][256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        table[c][v] = (float) ((v * settings.scale - settings.mean[c]) / settings.std[c]);
      }
    }
    long h = -1;
    long w = -1;
    if (settings.centerCrop != null) {
      w = settings.centerCrop.width();
      h = settings.centerCrop.height();
    } else if (settings.resize != null) {
      w = settings.resize.width();
      h = settings.resize.height();
    }
    this.spec =
        new TensorSpec(
            tensorName,
            ElementType.FLOAT32,
            nchw ? new long[] {settings.channels(), h, w} : new long[] {h, w, settings.channels()});
  }

  @Override
  public List<TensorSpec> outputs() {
    return List.of(spec);
  }

  @Override
  public List<Tensor> encode(Image value) {
    Image img = geometry(value);
    int w = img.width();
    int cw = w;
    int ch = img.height();
    int x0 = 0;
    int y0 = 0;
    byte[] src = img.bytes();
    if (grey) {
      return List.of(greyTensor(OpenCv.grey(img), w, x0, y0, cw, ch));
    }
    float[] out = new float[3 * cw * ch];
    float[] t0 = table[0];
    float[] t1 = table[1];
    float[] t2 = table[2];
    int c0 = sourceChannel[0];
    int c1 = sourceChannel[1];
    int c2 = sourceChannel[2];
    int plane = cw * ch;
    for (int y = 0; y < ch; y++) {
      int s = 3 * ((y0 + y) * w + x0);
      int o = y * cw;
      if (nchw) {
        for (int x = 0; x < cw; x++, s += 3, o++) {
          out[o] = t0[src[s + c0] & 0xFF];
          out[plane + o] = t1[src[s + c1] & 0xFF];
          out[2 * plane + o] = t2[src[s + c2] & 0xFF];
        }
      } else {
        for (int x = 0, k = 3 * o; x < cw; x++, s += 3, k += 3) {
          out[k] = t0[src[s + c0] & 0xFF];
          out[k + 1] = t1[src[s + c1] & 0xFF];
          out[k + 2] = t2[src[s + c2] & 0xFF];
        }
      }
    }
    long[] shape = nchw ? new long[] {3, ch, cw} : new long[] {ch, cw, 3};
    return List.of(Tensor.ofFloats(tensorName, shape, out));
  }

  private Tensor greyTensor(byte[] luma, int w, int x0, int y0, int cw, int ch) {
    float[] out = new float[cw * ch];
    float[] t = table[0];
    for (int y = 0; y < ch; y++) {
      int s = (y0 + y) * w + x0;
      for (int x = 0, o = y * cw; x < cw; x++, s++, o++) {
        out[o] = t[luma[s] & 0xFF];
      }
    }
    long[] shape = nchw ? new long[] {1, ch, cw} : new long[] {ch, cw, 1};
    return Tensor.ofFloats(tensorName, shape, out);
  }

  /**
   * The image as the model takes it: resized, then centre-cropped, as the settings say; an image
   * that already has the final size is taken as it is, so applying this twice changes nothing (the
   * modality applies it when it reads an image, and the encoder again for images built in code).
   *
   * @throws InputException when the (resized) image is smaller than the crop
   */
  Image geometry(Image value) {
    if (isFinal(value)) {
      return value;
    }
    Image img = resized(value);
    if (settings.centerCrop == null) {
      return img;
    }
    int w = img.width();
    int h = img.height();
    int cw = settings.centerCrop.width();
    int ch = settings.centerCrop.height();
    if (cw > w || ch > h) {
      throw new InputException(
          null,
          "image "
              + w
              + "x"
              + h
              + (img == value ? "" : " (after resize)")
              + " is smaller than centerCrop "
              + cw
              + "x"
              + ch
              + "; set 'resize'");
    }
    if (cw == w && ch == h) {
      return img;
    }
    int x0 = (w - cw) / 2;
    int y0 = (h - ch) / 2;
    byte[] src = img.bytes();
    byte[] out = new byte[3 * cw * ch];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(src, 3 * ((y0 + y) * w + x0), out, 3 * y * cw, 3 * cw);
    }
    return Image.wrap(cw, ch, out);
  }

  /** Whether an image already has the size the settings bring every image to. */
  private boolean isFinal(Image v) {
    int w = v.width();
    int h = v.height();
    if (settings.centerCrop != null) {
      return w == settings.centerCrop.width() && h == settings.centerCrop.height();
    }
    if (settings.resize != null) {
      return w == settings.resize.width() && h == settings.resize.height();
    }
    if (settings.resizeShorter != null) {
      return Math.min(w, h) == settings.resizeShorter;
    }
    return true;
  }

  private Image resized(Image value) {
    int w = value.width();
    int h = value.height();
    int tw;
    int th;
    if (settings.resize != null) {
      tw = settings.resize.width();
      th = settings.resize.height();
    } else if (settings.resizeShorter != null) {
      int s = settings.resizeShorter;
      // the shorter side becomes s, the longer keeps the aspect ratio (truncated, as torchvision)
      long longer = Math.max(1, (long) s * Math.max(w, h) / Math.min(w, h));
      if (longer * s > settings.maxPixels) {
        // a long thin image: 1 x 4096 resized to 4096 would be 4096 x 16777216
        throw new InputException(
            null,
            "image "
                + w
                + "x"
                + h
                + " resized to a shorter side of "
                + s
                + " (setting 'resize') would have "
                + longer * s
                + " pixels; the most is "
                + settings.maxPixels
                + " (setting 'maxPixels')");
      }
      if (w <= h) {
        tw = s;
        th = (int) longer;
      } else {
        th = s;
        tw = (int) longer;
      }
    } else {
      return value;
    }
    if (tw == w && th == h) {
      return value;
    }
    return OpenCv.resize(value, tw, th, settings.interpolationFlag());
  }
}
