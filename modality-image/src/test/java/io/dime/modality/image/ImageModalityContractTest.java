package io.dime.modality.image;

import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModalityContract;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/**
 * The image modality against the modality contract, on the committed test scene: SLIC with mean
 * colour hiding here, a grid with constant hiding in {@link GridConstant}, Felzenszwalb with blur
 * in {@link FelzenszwalbBlur}. Pixels are the elements; each pixel is owned by its segment.
 */
class ImageModalityContractTest extends ModalityContract<Image> {
  static final String COMPONENT = "modality 'm' (plugin image)";

  @Override
  protected String pluginName() {
    return "image";
  }

  @Override
  protected PluginConfig config() {
    return PluginConfig.of(
        COMPONENT,
        "featurizer",
        "slic",
        "segments",
        30,
        "compactness",
        10,
        "perturber",
        "mean",
        "resize",
        List.of(112, 112),
        "mean",
        List.of(0.485, 0.456, 0.406),
        "std",
        List.of(0.229, 0.224, 0.225),
        "palette",
        "diverging");
  }

  @Override
  protected Object sampleField() {
    return TestImages.SCENE;
  }

  @Override
  protected Path baseDirectory() {
    return imagesDirectory();
  }

  @Override
  protected Map<String, Object> badFields() {
    return imageBadFields();
  }

  @Override
  protected Optional<int[]> featureOwnership(FeatureSet<Image> features) {
    return ownership(features);
  }

  @Override
  protected Optional<List<?>> elements(Image value) {
    return pixels(value);
  }

  static Path imagesDirectory() {
    try {
      return Path.of(ImageModalityContractTest.class.getResource("/images").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> imageBadFields() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("cannot read image 'missing.png': no such file", "missing.png");
    bad.put("cannot read image 'not-an-image.png': not an image", TestImages.NOT_AN_IMAGE);
    bad.put("empty image path", "");
    bad.put("is a directory", ".");
    bad.put("not valid base64", Map.of("base64", "@@not base64@@"));
    bad.put("cannot read base64 image: empty", Map.of("base64", ""));
    bad.put("expects an image path", 42);
    bad.put("found an object with keys", Map.of("url", "http://example.org/x.png"));
    return bad;
  }

  static Optional<int[]> ownership(FeatureSet<Image> features) {
    return Optional.of((int[]) features.layout().get("segments"));
  }

  static Optional<List<?>> pixels(Image value) {
    List<Integer> out = new ArrayList<>(value.pixelCount());
    for (int p : value.toPackedRgb()) {
      out.add(p);
    }
    return Optional.of(out);
  }

  /** A 7 x 5 grid; hidden cells take a constant grey; NHWC, BGR. */
  @Nested
  class GridConstant extends ModalityContract<Image> {
    @Override
    protected String pluginName() {
      return "image";
    }

    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          COMPONENT,
          "featurizer",
          "grid",
          "rows",
          7,
          "cols",
          5,
          "perturber",
          "constant",
          "fill",
          List.of(128, 128, 128),
          "centerCrop",
          List.of(200, 180),
          "layout",
          "nhwc",
          "channelOrder",
          "bgr",
          "input",
          "pixel_values");
    }

    @Override
    protected Object sampleField() {
      return TestImages.SCENE;
    }

    @Override
    protected Path baseDirectory() {
      return imagesDirectory();
    }

    @Override
    protected Map<String, Object> badFields() {
      return imageBadFields();
    }

    @Override
    protected Optional<int[]> featureOwnership(FeatureSet<Image> features) {
      return ownership(features);
    }

    @Override
    protected Optional<List<?>> elements(Image value) {
      return pixels(value);
    }
  }

  /** Felzenszwalb's graph segmentation; hidden segments show a Gaussian blur. */
  @Nested
  class FelzenszwalbBlur extends ModalityContract<Image> {
    @Override
    protected String pluginName() {
      return "image";
    }

    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          COMPONENT,
          "featurizer",
          "felzenszwalb",
          "sigma",
          0.8,
          "k",
          300,
          "minSize",
          200,
          "perturber",
          "blur",
          "blurSigma",
          4,
          "colorScale",
          "symmetric");
    }

    @Override
    protected Object sampleField() {
      return TestImages.SCENE;
    }

    @Override
    protected Path baseDirectory() {
      return imagesDirectory();
    }

    @Override
    protected Map<String, Object> badFields() {
      return imageBadFields();
    }

    @Override
    protected Optional<int[]> featureOwnership(FeatureSet<Image> features) {
      return ownership(features);
    }

    @Override
    protected Optional<List<?>> elements(Image value) {
      return pixels(value);
    }
  }
}
