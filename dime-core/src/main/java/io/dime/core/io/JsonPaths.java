package io.dime.core.io;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;

/**
 * Where in a JSON or YAML document a mapping failure happened, in the document's terms rather than
 * Java's: shared by the pipeline reader's and the run files' messages.
 *
 * @since 0.3
 */
public final class JsonPaths {
  private JsonPaths() {}

  /**
   * A path such as {@code classes[0].modalities}: field names joined by dots, list indices in
   * brackets.
   */
  public static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }
}
