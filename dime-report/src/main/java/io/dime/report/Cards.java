package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.RecordError;
import io.dime.api.SurrogateFit;
import io.dime.spi.View;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The card of one datapoint: for an explanation its inputs, the model's outputs and one section per
 * explained class (value decomposition and fit panels per modality); for an error the stage, the
 * manifest line and the message.
 */
final class Cards {
  /** Outputs listed per datapoint (the largest). */
  static final int TOP_OUTPUTS = 5;

  private static final List<String> MAIN_FITS = List.of("UC", "MI", "LIME");

  private final ReportInput input;
  private final FitPanel panels;

  /**
   * Each class name's first output index, made on the first label read by name: one pass over the
   * names per report, where a search of the list per card took cards x classes.
   */
  private Map<String, Integer> outputByName;

  Cards(ReportInput input, List<String> modalities) {
    this.input = input;
    this.panels = new FitPanel(input.palette(), modalities);
  }

  void render(StringBuilder sb, DatapointReport d, int index) {
    if (d.result() instanceof Explanation e) {
      card(sb, d, e, index);
    } else {
      errorCard(sb, d, (RecordError) d.result(), index);
    }
  }

  /** The report's notes on a datapoint (a redraw's findings), in red; nothing when none. */
  private static void notes(StringBuilder sb, DatapointReport d) {
    if (d.notes().isEmpty()) {
      return;
    }
    sb.append("<ul class=\"warnings card-notes\">");
    d.notes().forEach(n -> sb.append("<li>").append(escape(n)).append("</li>"));
    sb.append("</ul>");
  }

  /** How a failed record is named: its id, else its manifest line. */
  static String recordName(RecordError err) {
    return err.id()
        .map(id -> "'" + id + "'")
        .orElse(err.line() > 0 ? "record at line " + err.line() : "record without id");
  }

  private static void errorCard(StringBuilder sb, DatapointReport d, RecordError err, int index) {
    sb.append("<section class=\"card card-error\" id=\"card-")
        .append(index)
        .append("\" data-id=\"")
        .append(escapeName(err.id().orElse("")))
        .append("\">\n<header class=\"card-head\"><h2>")
        .append(escapeName(recordName(err)))
        .append("</h2><span class=\"badge bad\">failed</span></header>");
    notes(sb, d);
    sb.append("<table class=\"kv\"><tbody>");
    KvTable.row(sb, "stage", err.stage(), true);
    KvTable.row(sb, "manifest line", Integer.toString(err.line()), err.line() > 0);
    sb.append("</tbody></table><pre class=\"error-message\">")
        .append(escape(err.message()))
        .append("</pre>\n</section>\n");
  }

  private void card(StringBuilder sb, DatapointReport d, Explanation e, int index) {
    String predictedName = className(e, e.predicted());
    sb.append("<section class=\"card\" id=\"card-")
        .append(index)
        .append("\" data-id=\"")
        .append(escapeName(e.id()))
        .append("\">\n<header class=\"card-head\"><h2>")
        .append(escapeName(e.id()))
        .append("</h2><div class=\"verdict\">predicted <b>")
        .append(escapeName(predictedName))
        .append("</b>");
    e.label()
        .ifPresent(
            label -> {
              int li = labelIndex(e, label);
              String labelName = li >= 0 ? className(e, li) : label;
              sb.append(" \u00b7 label <b>").append(escapeName(label)).append("</b>");
              if (!labelName.equals(label)) {
                sb.append(" <span class=\"muted\">(")
                    .append(escapeName(labelName))
                    .append(")</span>");
              }
              sb.append(" <span class=\"badge ")
                  .append(
                      (li >= 0 ? li == e.predicted() : label.equals(predictedName))
                          ? "ok\">correct"
                          : "bad\">wrong")
                  .append("</span>");
            });
    sb.append("</div></header>\n");
    notes(sb, d);
    sb.append("<div class=\"card-top\">");
    inputs(sb, d, e);
    outputs(sb, e);
    sb.append("</div>\n");

    if (!e.warnings().isEmpty()) {
      sb.append("<ul class=\"warnings\">");
      e.warnings().forEach(w -> sb.append("<li>").append(escape(w)).append("</li>"));
      sb.append("</ul>");
    }
    for (ClassExplanation cls : e.classes()) {
      classSection(sb, d, cls, e.modalities().size() > 2);
    }
    sb.append("<footer class=\"card-foot muted small\">")
        .append("model rows ")
        .append(e.passes().rows())
        .append(", cached ")
        .append(e.passes().cachedRows())
        .append(" (formula ")
        .append(e.passes().formula())
        .append(")")
        .append(" \u00b7 ")
        .append(escape(Fmt.num(e.timings().totalSeconds())))
        .append(" s, of which model ")
        .append(escape(Fmt.num(e.timings().modelSeconds())))
        .append(" s")
        .append("</footer>\n</section>\n");
  }

  /** One view per modality of the explanation, then per modality only the caller drew. */
  private static void inputs(StringBuilder sb, DatapointReport d, Explanation e) {
    List<String> mods = new ArrayList<>(e.modalities());
    for (String m : d.inputs().keySet()) {
      if (!mods.contains(m)) {
        mods.add(m);
      }
    }
    sb.append("<div class=\"inputs\"><h3>Inputs</h3>");
    for (String m : mods) {
      sb.append("<div class=\"input\" data-modality=\"")
          .append(escapeName(m))
          .append("\"><h4>")
          .append(escapeName(m))
          .append("</h4>");
      View v = d.inputs().get(m);
      if (v == null) {
        sb.append("<p class=\"muted\">No view of this input.</p>");
      } else {
        ViewRenderer.renderInput(sb, v);
      }
      sb.append("</div>");
    }
    sb.append("</div>");
  }

  /** The name of output {@code index}: the pipeline's class names, else the explained class's. */
  private String className(Explanation e, int index) {
    if (index >= 0 && index < input.classNames().size()) {
      return input.classNames().get(index);
    }
    for (ClassExplanation c : e.classes()) {
      if (c.classIndex() == index) {
        return c.className();
      }
    }
    return "#" + index;
  }

  /**
   * The output a record's label names, as the engine reads it: the class explained for the label,
   * else the output of that name, else an output index in range ("label": 1); -1 when none.
   */
  private int labelIndex(Explanation e, String label) {
    for (ClassExplanation c : e.classes()) {
      if (c.reasons().contains("label")) {
        return c.classIndex();
      }
    }
    Integer named = outputByName().get(label);
    if (named != null) {
      return named;
    }
    for (ClassExplanation c : e.classes()) {
      if (c.className().equals(label)) {
        return c.classIndex();
      }
    }
    try {
      int i = Integer.parseInt(label.trim());
      return i >= 0 && i < e.outputs().length ? i : -1;
    } catch (NumberFormatException notAnIndex) {
      return -1;
    }
  }

  /** The class names' first indices (the index List.indexOf gives), made once. */
  private Map<String, Integer> outputByName() {
    if (outputByName == null) {
      List<String> names = input.classNames();
      Map<String, Integer> m = new java.util.HashMap<>(names.size() * 2);
      for (int i = 0; i < names.size(); i++) {
        m.putIfAbsent(names.get(i), i);
      }
      outputByName = m;
    }
    return outputByName;
  }

  private void outputs(StringBuilder sb, Explanation e) {
    double[] out = e.outputs();
    int predicted = e.predicted();
    int labelIndex = e.label().map(l -> labelIndex(e, l)).orElse(-1);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      order.add(i);
    }
    order.sort(
        Comparator.comparingDouble(
                (Integer i) -> Double.isNaN(out[i]) ? Double.POSITIVE_INFINITY : -out[i])
            .thenComparingInt(i -> i));
    // Centred scores (the engine's default for classifiers) are what the terms add up to.
    boolean centred = "centered".equals(e.provenance().scores());
    sb.append("<div class=\"outputs\"><h3>Model outputs")
        .append(centred ? " (centred)" : "")
        .append("</h3><table class=\"grid-table\"><thead><tr>")
        .append("<th>class</th><th>output</th><th></th></tr></thead><tbody>");
    for (int i : order.subList(0, Math.min(TOP_OUTPUTS, order.size()))) {
      String name = className(e, i);
      sb.append("<tr")
          .append(i == predicted ? " class=\"predicted\"" : "")
          .append("><td>")
          .append(escapeName(name))
          .append("</td><td class=\"num\">")
          .append(escape(Fmt.num(out[i])))
          .append("</td><td>")
          .append(i == predicted ? "<span class=\"badge\">predicted</span>" : "")
          .append(i == labelIndex ? "<span class=\"badge\">label</span>" : "")
          .append("</td></tr>");
    }
    sb.append("</tbody></table>");
    if (out.length > TOP_OUTPUTS) {
      sb.append("<p class=\"muted small\">The ")
          .append(TOP_OUTPUTS)
          .append(" largest of ")
          .append(out.length)
          .append(" outputs.</p>");
    }
    sb.append("</div>");
  }

  private void classSection(
      StringBuilder sb, DatapointReport d, ClassExplanation cls, boolean byOrder) {
    int ci = cls.classIndex();
    sb.append("<section class=\"class-expl\" data-class=\"")
        .append(ci)
        .append("\"><h3>Class <q>")
        .append(escapeName(cls.className()))
        .append("</q> <span class=\"muted\">#")
        .append(ci)
        .append(
            cls.reasons().isEmpty() ? "" : " \u00b7 " + escape(String.join(", ", cls.reasons())))
        .append(" \u00b7 output ")
        .append(escape(Fmt.num(cls.output())))
        .append("</span></h3>\n<div class=\"decomp\"><h4>Value decomposition</h4>");
    DecompositionChart.render(
        sb,
        cls.decomposition(),
        cls.output(),
        input.palette(),
        ((Explanation) d.result()).modalities());
    sb.append("</div>\n");
    for (ModalityExplanation me : cls.modalities()) {
      modality(sb, d, ci, me, byOrder);
    }
    sb.append("</section>\n");
  }

  /**
   * One modality's panels: UC, MI and LIME first, then fits of other kinds; with more than two
   * modalities, the terms (and the residual above the order cap) under their own heading.
   */
  private void modality(
      StringBuilder sb, DatapointReport d, int ci, ModalityExplanation me, boolean byOrder) {
    String m = me.modality();
    sb.append("<div class=\"modality\" data-modality=\"")
        .append(escapeName(m))
        .append("\"><h4>")
        .append(escapeName(m))
        .append("</h4><div class=\"panels\">");
    List<SurrogateFit> terms = new ArrayList<>();
    List<SurrogateFit> others = new ArrayList<>();
    Map<String, SurrogateFit> main = new LinkedHashMap<>();
    for (SurrogateFit f : me.fits()) {
      String key = f.key();
      if (MAIN_FITS.contains(key)) {
        main.put(key, f);
      } else if (key.equals("residual") || Fmt.termOrder(key) > 0) {
        terms.add(f);
      } else {
        others.add(f);
      }
    }
    for (String key : MAIN_FITS) {
      if (main.containsKey(key)) {
        panels.render(sb, d, ci, me, main.get(key));
      }
    }
    for (SurrogateFit f : others) {
      panels.render(sb, d, ci, me, f);
    }
    sb.append("</div>");
    if (byOrder && !terms.isEmpty()) {
      sb.append("<h5>By interaction order</h5><div class=\"panels panels-terms\">");
      for (SurrogateFit f : terms) {
        panels.render(sb, d, ci, me, f);
      }
      sb.append("</div>");
    }
    sb.append("</div>\n");
  }
}
