package io.dime.testkit;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.DimePlugin;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A plugin with one pure-Java model adapter, {@code test_linear}, that checks the contract itself
 * (no native runtime involved): a text file holds {@code in out} and then W, and the model computes
 * y = x @ W.
 */
public final class ReferencePlugin implements DimePlugin {
  @Override
  public String name() {
    return "testkit_reference";
  }

  @Override
  public List<ModelAdapterFactory> modelAdapters() {
    return List.of(new LinearFactory());
  }

  /** Opens linear models from text files. */
  public static final class LinearFactory implements ModelAdapterFactory {
    @Override
    public String name() {
      return "test_linear";
    }

    @Override
    public ModelAdapter open(String location, PluginConfig config) {
      requireNonNull(location, "location is null");
      config.requireKnown(Set.of());
      Path path = Path.of(location);
      try {
        byte[] bytes = Files.readAllBytes(path);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        double[] numbers =
            new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.startsWith("#"))
                .flatMap(l -> Arrays.stream(l.trim().split("\\s+")))
                .filter(s -> !s.isEmpty())
                .mapToDouble(Double::parseDouble)
                .toArray();
        int in = (int) numbers[0];
        int out = (int) numbers[1];
        return new Linear(location, sha, in, out, Arrays.copyOfRange(numbers, 2, 2 + in * out));
      } catch (IOException | RuntimeException e) {
        throw new ModelException("cannot open linear model '" + location + "': " + e, e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final class Linear implements ModelAdapter {
    private final String location;
    private final String sha;
    private final int in;
    private final int out;
    private final double[] w;
    private final ModelSignature signature;
    private final AtomicBoolean closed = new AtomicBoolean();

    Linear(String location, String sha, int in, int out, double[] w) {
      this.location = location;
      this.sha = sha;
      this.in = in;
      this.out = out;
      this.w = w;
      this.signature =
          new ModelSignature(
              List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, in})),
              List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, out})));
    }

    @Override
    public ModelSignature signature() {
      return signature;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      if (closed.get()) {
        throw new ModelException("model '" + location + "' is closed");
      }
      for (String name : inputs.keySet()) {
        if (!name.equals("x")) {
          throw new ModelException("unknown input '" + name + "'; model inputs: [x]");
        }
      }
      Tensor x = inputs.get("x");
      if (x == null) {
        throw new ModelException("missing input 'x'");
      }
      if (x.type() != ElementType.FLOAT32) {
        throw new ModelException("input 'x': expected FLOAT32, found " + x.type());
      }
      long[] shape = x.shape();
      if (shape.length != 2 || shape[1] != in) {
        throw new ModelException(
            "input 'x': expected shape [-1, " + in + "], found " + Arrays.toString(shape));
      }
      for (String name : outputNames) {
        if (!name.equals("y")) {
          throw new ModelException("unknown output '" + name + "'; model outputs: [y]");
        }
      }
      int n = (int) shape[0];
      float[] y = new float[n * out];
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < out; j++) {
          double s = 0;
          for (int k = 0; k < in; k++) {
            s += x.floats()[r * in + k] * w[k * out + j];
          }
          y[r * out + j] = (float) s;
        }
      }
      return outputNames.isEmpty()
          ? Map.of()
          : Map.of("y", Tensor.ofFloats("y", new long[] {n, out}, y));
    }

    @Override
    public Map<String, Object> provenance() {
      return Map.of(
          "adapter",
          "test_linear",
          "location",
          location,
          "sha256",
          sha,
          "java",
          Runtime.version().toString());
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
