package io.dime.modality.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * GIF images, which the OpenCV build DIME uses does not decode, read with the JDK's own GIF reader:
 * the first frame, as RGB (a transparent pixel takes its palette colour, as alpha is dropped from
 * other formats). The frame's size is checked against the modality's pixel limit before any pixel
 * is decoded. An interlaced first frame of 2 to 4 rows is refused: the JDK's reader misplaces its
 * rows.
 */
final class GifImages {
  private GifImages() {}

  /** Whether the bytes start as a GIF does ({@code GIF87a} or {@code GIF89a}). */
  static boolean isGif(byte[] b) {
    return b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8';
  }

  /**
   * The first frame.
   *
   * @return the image, or null when the bytes are not a GIF the JDK decodes
   * @throws Refused when the first frame has more than {@code maxPixels} pixels, or is an
   *     interlaced frame of 2 to 4 rows
   */
  static Image firstFrame(byte[] bytes, long maxPixels) {
    BufferedImage frame;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
      if (in == null || !readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > maxPixels) {
          throw new Refused(
              "the GIF's first frame is "
                  + width
                  + " x "
                  + height
                  + " = "
                  + width * height
                  + " pixels; the most is "
                  + maxPixels
                  + " (setting maxPixels)");
        }
        if (height > 1 && height < 5 && interlaced(reader)) {
          // the JDK's reader puts the rows of such a frame in the wrong places
          throw new Refused(
              "an interlaced GIF of "
                  + height
                  + " rows, which the JDK's GIF reader decodes wrongly; save it as PNG");
        }
        frame = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof Refused r) {
        throw r;
      }
      return null; // a damaged GIF: the caller says it is not an image DIME reads
    }
    if (frame == null || frame.getWidth() < 1 || frame.getHeight() < 1) {
      return null;
    }
    int w = frame.getWidth();
    int h = frame.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    int[] row = new int[w];
    for (int y = 0, at = 0; y < h; y++) {
      frame.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++, at += 3) {
        int p = row[x];
        rgb[at] = (byte) (p >> 16);
        rgb[at + 1] = (byte) (p >> 8);
        rgb[at + 2] = (byte) p;
      }
    }
    return Image.wrap(w, h, rgb);
  }

  /** Whether the first frame is stored interlaced (its image descriptor's flag). */
  private static boolean interlaced(ImageReader reader) throws IOException {
    IIOMetadata meta = reader.getImageMetadata(0);
    Node root = meta.getAsTree("javax_imageio_gif_image_1.0");
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals("ImageDescriptor")) {
        Node flag = n.getAttributes().getNamedItem("interlaceFlag");
        return flag == null || !"FALSE".equalsIgnoreCase(flag.getNodeValue());
      }
    }
    return true;
  }

  /** A GIF this reader will not decode, and why (for the record's error). */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String why) {
      super(why, null, false, false);
    }
  }
}
