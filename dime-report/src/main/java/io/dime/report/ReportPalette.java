package io.dime.report;

import io.dime.spi.Modality;
import io.dime.spi.Palette;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The palette a report draws its legend, bars and views in. A modality may set its own {@code
 * palette} (the image modality's heat maps do, {@code palette: green_red}); a page whose legend
 * says blue and orange above green and red heat maps would read the wrong way round. So the page
 * takes the palette the modalities that name one agree on, and has every view, of the other
 * modalities too, drawn in it. When they name different palettes each view keeps its own and the
 * page says so.
 *
 * @param page the legend's and the bars' palette
 * @param views the palette asked of every view ({@link io.dime.spi.ViewOptions#palette()}), or null
 *     to let each modality draw in its own
 * @param note what the page says when the modalities disagree
 */
record ReportPalette(Palette page, String views, Optional<String> note) {

  /** A palette the caller chose for the whole page. */
  static ReportPalette given(Palette p) {
    return new ReportPalette(p, p.id(), Optional.empty());
  }

  /** The palette the modalities' own settings (their provenance's {@code palette}) agree on. */
  static ReportPalette of(List<Modality<?>> modalities) {
    Map<String, Palette> named = new LinkedHashMap<>();
    for (Modality<?> m : modalities) {
      Object name;
      try {
        name = m.provenance().get("palette");
      } catch (RuntimeException e) {
        continue; // a plugin's provenance is its own business; its views keep their palette
      }
      if (name instanceof String s && !s.isBlank()) {
        try {
          named.put(m.name(), Palette.of(s));
        } catch (IllegalArgumentException e) {
          // a palette the report does not know: the modality's views draw it themselves
        }
      }
    }
    TreeSet<Palette> distinct = new TreeSet<>(named.values());
    if (distinct.isEmpty()) {
      return new ReportPalette(Palette.DIVERGING, null, Optional.empty());
    }
    if (distinct.size() == 1) {
      return given(distinct.first());
    }
    StringBuilder who = new StringBuilder();
    named.forEach(
        (m, p) -> who.append(who.length() == 0 ? "" : ", ").append(m).append(": ").append(p.id()));
    return new ReportPalette(
        Palette.DIVERGING,
        null,
        Optional.of(
            "the modalities set different palettes ("
                + who
                + "): each view is drawn in its modality's own, and the legend and bars in "
                + Palette.DIVERGING.id()));
  }
}
