package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The worst-fitting explanations of a run, kept as they arrive: at most a bound of them, the lowest
 * fit first.
 *
 * <p>An explanation's fit is the lowest R² of its UC fits (one per explained class and modality),
 * the kernel-weighted R² of the surrogate on its perturbation samples that each panel shows: how
 * well the linear surrogate reproduces the unimodal contribution it explains. A low value means the
 * weights of that panel summarise the contribution badly. The MI fits are left out because a model
 * without interactions has MI targets that are close to constant, whose R² measures noise and would
 * fill the list with harmless fits; LIME is the comparison, not DIME's explanation. An explanation
 * whose UC fits have no finite R² is not ranked. Ties go to the earlier record.
 */
final class WorstFits {
  /** The fit that ranks an explanation: its lowest UC R², with the class and the modality. */
  record Fit(double r2, String className, String modality) {}

  /** One kept explanation: its place, id and fit, and its card when it is not on the first page. */
  record Entry(int index, String id, Fit fit, String card) {}

  private static final Comparator<Entry> WORST_FIRST =
      Comparator.comparingDouble((Entry e) -> e.fit().r2()).thenComparingInt(Entry::index);

  private final int limit;
  private final PriorityQueue<Entry> kept = new PriorityQueue<>(WORST_FIRST.reversed());
  private long heldChars;

  WorstFits(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, found " + limit);
    }
    this.limit = limit;
  }

  /** The fit an explanation is ranked by; empty when none of its UC fits has a finite R². */
  static Optional<Fit> of(Explanation e) {
    Fit worst = null;
    for (ClassExplanation c : e.classes()) {
      for (ModalityExplanation m : c.modalities()) {
        for (SurrogateFit f : m.fits()) {
          if ("UC".equals(f.key())
              && Double.isFinite(f.score())
              && (worst == null || f.score() < worst.r2())) {
            worst = new Fit(f.score(), c.className(), m.modality());
          }
        }
      }
    }
    return Optional.ofNullable(worst);
  }

  /** Whether an explanation with this fit, at this place, would be kept now. */
  boolean wouldKeep(int index, Fit fit) {
    if (limit == 0) {
      return false;
    }
    if (kept.size() < limit) {
      return true;
    }
    return WORST_FIRST.compare(new Entry(index, "", fit, null), kept.peek()) < 0;
  }

  /**
   * Offers one explanation.
   *
   * @param card its card's HTML, kept to be shown on the first page; null when the card is there
   *     anyway
   */
  void offer(int index, String id, Fit fit, String card) {
    if (!wouldKeep(index, fit)) {
      return;
    }
    Entry e = new Entry(index, id, fit, card);
    kept.add(e);
    heldChars += chars(e);
    if (kept.size() > limit) {
      heldChars -= chars(kept.poll());
    }
  }

  private static long chars(Entry e) {
    return e.id().length()
        + e.fit().className().length()
        + e.fit().modality().length()
        + (e.card() == null ? 0 : e.card().length());
  }

  /** The kept explanations, the worst first. */
  List<Entry> entries() {
    List<Entry> out = new ArrayList<>(kept);
    out.sort(WORST_FIRST);
    return out;
  }

  /** The chars of the strings kept (ids, names, cards). */
  long heldChars() {
    return heldChars;
  }

  /** The table of the kept explanations, linked to their cards; nothing when none is kept. */
  void renderTable(StringBuilder sb) {
    List<Entry> entries = entries();
    if (entries.isEmpty()) {
      return;
    }
    sb.append("<section class=\"summary worst\" id=\"worst\">\n<h2>Worst-fitting explanations (")
        .append(entries.size())
        .append(")</h2>\n<p class=\"muted small\">The explanations whose surrogates fit least")
        .append(" well, ranked by the lowest R\u00b2 of their UC fits (one per class and")
        .append(" modality; the R\u00b2 each panel shows). Their cards are on this page.</p>")
        .append("<table class=\"grid-table\"><thead><tr><th>record</th><th>class</th>")
        .append("<th>modality</th><th>UC R\u00b2</th></tr></thead><tbody>");
    for (Entry e : entries) {
      sb.append("<tr><td><a href=\"#card-")
          .append(e.index())
          .append("\">")
          .append(escapeName(e.id()))
          .append("</a></td><td>")
          .append(escapeName(e.fit().className()))
          .append("</td><td>")
          .append(escapeName(e.fit().modality()))
          .append("</td><td class=\"num\">")
          .append(escape(Fmt.num(e.fit().r2())))
          .append("</td></tr>");
    }
    sb.append("</tbody></table>\n</section>\n");
  }
}
