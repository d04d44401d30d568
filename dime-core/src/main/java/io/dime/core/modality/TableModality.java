package io.dime.core.modality;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.FeatureMap;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.modality.TableColumns.Column;
import io.dime.core.modality.TableColumns.Type;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.Narrowing;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.TextCodes;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The built-in {@code table} modality: one row of a table whose columns are each a model input of
 * their own, as a scikit-learn pipeline over a table is exported (a ColumnTransformer: {@code age}
 * [batch, 1] float, {@code rooms} [batch, 1] int64, {@code color} [batch, 1] string). Each column
 * is a feature; a hidden column takes a value the model has seen: a number column its pool mean (or
 * 0 with {@code baseline: zero}), an integer or category column its most frequent value in the pool
 * (a category the model's one-hot encoder knows, where an empty or made-up one could fail the
 * model), or the column's {@code fill}.
 *
 * <p>Settings: {@code columns}, a list whose entries are a name (a number column whose input has
 * that name) or {@code {name, input, type, fill}} with {@code type} {@code number} (FLOAT32 [1]),
 * {@code integer} (INT64 [1]) or {@code category} (the text itself, for a STRING input, packed as
 * {@link TextCodes} says); {@code baseline} ({@code pool-mean}, the default, or {@code zero}: for
 * number columns); {@code maxLength} (the longest category, in characters; default 256). A record
 * gives the row as an object keyed by column names or as an array in their order.
 */
public final class TableModality implements Modality<TableModality.Row> {
  /** One row: a Double, Long or String a column, in column order. */
  public record Row(List<Object> values) {
    /** Copies the values. */
    public Row {
      values = List.copyOf(values);
    }
  }

  static final Set<String> KEYS = Set.of("columns", "baseline", "maxLength");

  private final String name;
  private final List<Column> columns;
  private final String baseline;
  private final int maxLength;
  private final int width;
  private volatile Baselines baselines;

  /** The hidden values for one pool, cached for the pool they were computed from. */
  private record Baselines(List<Object> pool, List<Object> values) {}

  public TableModality(String name, PluginConfig config) {
    this.name = requireNonNull(name, "name is null");
    config.requireKnown(KEYS);
    String b = config.getChoice("baseline", "pool_mean", Set.of("zero", "pool_mean", "pool-mean"));
    this.baseline = b.equals("pool-mean") ? "pool_mean" : b;
    this.maxLength = config.getInt("maxLength", 256);
    if (maxLength < 1 || maxLength > 1 << 20) {
      throw new IllegalArgumentException(
          config.component() + ": 'maxLength' must be 1 to 1048576, found " + maxLength);
    }
    this.width = TextCodes.width(maxLength);
    this.columns = TableColumns.parse(config, maxLength);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "table";
  }

  @Override
  public Class<Row> valueType() {
    return Row.class;
  }

  @Override
  public Row read(Object field, ReadContext context) {
    return new Row(TableColumns.read(name, columns, field, context.recordId(), maxLength));
  }

  @Override
  public Row check(Object value, String recordId) {
    if (!(value instanceof Row r)) {
      throw new InputException(
          recordId,
          "modality '"
              + name
              + "' expects a TableModality.Row, found "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    if (r.values().size() != columns.size()) {
      throw new InputException(
          recordId,
          "modality '" + name + "' has " + r.values().size() + " values for " + columns.size());
    }
    return new Row(TableColumns.check(name, columns, r.values(), recordId, maxLength));
  }

  /** What each column's hidden entry becomes with this pool. */
  private List<Object> baselineFor(PoolStatistics pool) {
    Baselines cached = baselines;
    if (cached != null && cached.pool() == pool.values()) {
      return cached.values();
    }
    List<Object> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      out.add(hidden(i, pool.values()));
    }
    cached = new Baselines(pool.values(), List.copyOf(out));
    baselines = cached;
    return cached.values();
  }

  private Object hidden(int i, List<Object> pool) {
    Column c = columns.get(i);
    if (c.fill() != null) {
      return c.fill();
    }
    if (c.type() == Type.NUMBER) {
      if (baseline.equals("zero") || pool.isEmpty()) {
        return 0.0;
      }
      double sum = 0;
      for (Object o : pool) {
        sum += (Double) ((Row) o).values().get(i);
      }
      return sum / pool.size();
    }
    Map<Object, Integer> counts = new HashMap<>();
    Object best = null;
    for (Object o : pool) { // the most frequent; among equals, the first in the pool
      Object v = ((Row) o).values().get(i);
      int n = counts.merge(v, 1, Integer::sum);
      if (best == null || n > counts.get(best)) {
        best = v;
      }
    }
    if (best == null && c.type() == Type.INTEGER) {
      return 0L;
    }
    if (best == null) {
      throw new InputException(
          null,
          "modality '"
              + name
              + "' column '"
              + c.name()
              + "': a hidden category takes the pool's most frequent one, and the pool is empty;"
              + " give the column a 'fill'");
    }
    return best;
  }

  @Override
  public FeatureSet<Row> featurize(Row value, PoolStatistics pool, SplittableRandom rng) {
    List<Object> base = baselineFor(pool);
    List<String> names = columns.stream().map(Column::name).toList();
    return new FeatureSet<>() {
      @Override
      public Row value() {
        return value;
      }

      @Override
      public int size() {
        return columns.size();
      }

      @Override
      public List<String> names() {
        return names;
      }

      @Override
      public Row apply(boolean[] keep) {
        List<Object> out = new ArrayList<>(keep.length);
        for (int i = 0; i < keep.length; i++) {
          out.add(keep[i] ? value.values().get(i) : base.get(i));
        }
        return new Row(out);
      }

      @Override
      public Map<String, Object> layout() {
        return Map.of("values", value.values(), "baseline", base);
      }

      /** Feature i is column i. */
      @Override
      public Optional<FeatureMap> featureMap() {
        return Optional.of(FeatureMap.Entries.identity(columns.size()));
      }
    };
  }

  @Override
  public Encoder<Row> encoder() {
    return new Encoder<>() {
      @Override
      public List<TensorSpec> outputs() {
        return columns.stream()
            .map(
                c ->
                    switch (c.type()) {
                      case NUMBER -> new TensorSpec(c.input(), ElementType.FLOAT32, new long[] {1});
                      case INTEGER -> new TensorSpec(c.input(), ElementType.INT64, new long[] {1});
                      case CATEGORY ->
                          new TensorSpec(c.input(), ElementType.INT64, new long[] {width});
                    })
            .toList();
      }

      @Override
      public List<Tensor> encode(Row value) {
        List<Tensor> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
          Column c = columns.get(i);
          Object v = value.values().get(i);
          out.add(
              switch (c.type()) {
                case NUMBER ->
                    Tensor.ofFloats(
                        c.input(),
                        new long[] {1},
                        new float[] {Narrowing.float32((Double) v, c.input())});
                case INTEGER -> Tensor.ofLongs(c.input(), new long[] {1}, new long[] {(Long) v});
                case CATEGORY -> {
                  long[] row = new long[width];
                  TextCodes.encode((String) v, row, 0, width); // fits: read() checked maxLength
                  yield Tensor.ofLongs(c.input(), new long[] {width}, row);
                }
              });
        }
        return out;
      }
    };
  }

  /** The row's list and its boxed cells (a string's chars at most 2 bytes each). */
  @Override
  public long valueBytes(Row value) {
    long bytes = 32 + 8L * value.values().size();
    for (Object cell : value.values()) {
      bytes += cell instanceof String s ? 40 + 2L * s.length() : 24;
    }
    return bytes;
  }

  @Override
  public SamplingHints samplingHints() {
    return SamplingHints.DENSE;
  }

  @Override
  public View view(FeatureSet<Row> features, double[] weights, ViewOptions options) {
    return BarsView.of(name, features, i -> features.value().values().get(i), weights, options);
  }

  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("columns", columns.stream().map(Column::asMap).toList());
    m.put("baseline", baseline);
    m.put("maxLength", maxLength);
    return m;
  }
}
