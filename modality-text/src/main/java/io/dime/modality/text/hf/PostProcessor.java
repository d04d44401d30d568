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

  PostProcessor(JsonNode node, Spec spec) {
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
        prefix.add(new int[] {pairId(node.get("cls"), spec, "cls"), 0});
        suffix.add(new int[] {pairId(node.get("sep"), spec, "sep"), 0});
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

  private static int pairId(JsonNode pair, Spec spec, String field) {
    if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(1).canConvertToInt()) {
      throw spec.invalid("post_processor \"" + field + "\" is not [token, id]");
    }
    return pair.get(1).asInt();
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
        sequenceTypeId = item.get("Sequence").path("type_id").asInt(0);
      } else if (item.has("SpecialToken")) {
        JsonNode st = item.get("SpecialToken");
        String name = st.path("id").asText();
        int typeId = st.path("type_id").asInt(0);
        JsonNode def = specials == null ? null : specials.get(name);
        if (def == null || !def.has("ids") || !def.get("ids").isArray()) {
          throw spec.invalid(
              "post_processor template names special token '"
                  + name
                  + "' that its special_tokens do not define");
        }
        for (JsonNode id : def.get("ids")) {
          (seenSequence ? suffix : prefix).add(new int[] {id.asInt(), typeId});
        }
      } else {
        throw spec.invalid("post_processor template item not understood: " + Spec.abbreviate(item));
      }
    }
    if (!seenSequence) {
      throw spec.invalid("post_processor template has no $A sequence");
    }
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
