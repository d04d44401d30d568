package io.dime.modality.text.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code post_processor} section for one text: the special tokens placed before and after it
 * ({@code [CLS]} ... {@code [SEP]}, {@code <s>} ... {@code </s>}) with their type ids.
 */
final class PostProcessor {
  static final List<String> SUPPORTED =
      List.of("TemplateProcessing", "BertProcessing", "RobertaProcessing", "ByteLevel", "Sequence");

  private final List<int[]> prefix = new ArrayList<>();
  private final List<int[]> suffix = new ArrayList<>();
  private int sequenceTypeId;
  private final int size;

  /**
   * Reads the section.
   *
   * @param size the file's number of ids: each special token's id must be one of them
   */
  PostProcessor(JsonNode node, Spec spec, int size) {
    this.size = size;
    read(node, spec);
  }

  private void read(JsonNode node, Spec spec) {
    if (node == null || node.isNull()) {
      return;
    }
    String type = spec.type(node, "post_processor");
    switch (type) {
      case "TemplateProcessing":
        template(node, spec);
        break;
      case "BertProcessing":
      case "RobertaProcessing":
        prefix.add(new int[] {pairId(node.get("cls"), spec, "cls", size), 0});
        suffix.add(new int[] {pairId(node.get("sep"), spec, "sep", size), 0});
        break;
      case "ByteLevel":
        break;
      case "Sequence":
        for (JsonNode p : spec.array(node, "processors")) {
          read(p, spec);
        }
        break;
      default:
        throw spec.unsupported("post_processor", type, SUPPORTED);
    }
  }

  private static int pairId(JsonNode pair, Spec spec, String field, int size) {
    if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(1).isNumber()) {
      throw spec.invalid("post_processor \"" + field + "\" is not [token, id]");
    }
    return spec.id(pair.get(1), "post_processor " + field, size, "the file's " + size + " ids");
  }

  private void template(JsonNode node, Spec spec) {
    JsonNode specials = node.get("special_tokens");
    boolean seenSequence = false;
    for (JsonNode item : spec.array(node, "single")) {
      if (item.has("Sequence")) {
        if (seenSequence) {
          throw spec.invalid("post_processor template has two sequences for one text");
        }
        seenSequence = true;
        sequenceTypeId = typeId(item.get("Sequence"), spec, "post_processor sequence");
      } else if (item.has("SpecialToken")) {
        JsonNode st = item.get("SpecialToken");
        String name = st.path("id").asText();
        String what = "post_processor special token '" + name + "'";
        int typeId = typeId(st, spec, what);
        JsonNode def = specials == null ? null : specials.get(name);
        if (def == null || !def.has("ids") || !def.get("ids").isArray()) {
          throw spec.invalid(
              "post_processor template names special token '"
                  + name
                  + "' that its special_tokens do not define");
        }
        for (JsonNode id : def.get("ids")) {
          int checked = spec.id(id, what + " id", size, "the file's " + size + " ids");
          (seenSequence ? suffix : prefix).add(new int[] {checked, typeId});
        }
      } else {
        throw spec.invalid("post_processor template item not understood: " + Spec.abbreviate(item));
      }
    }
    if (!seenSequence) {
      throw spec.invalid("post_processor template has no $A sequence");
    }
  }

  /** The {@code type_id} of a template item, 0 when it gives none. */
  private static int typeId(JsonNode item, Spec spec, String what) {
    JsonNode t = item.get("type_id");
    return t == null || t.isNull() ? 0 : spec.whole(t, what + " type_id");
  }

  List<int[]> prefix() {
    return List.copyOf(prefix);
  }

  List<int[]> suffix() {
    return List.copyOf(suffix);
  }

  int sequenceTypeId() {
    return sequenceTypeId;
  }
}
