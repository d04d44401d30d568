package io.dime.modality.text;

import io.dime.spi.DimePlugin;
import io.dime.spi.ModalityFactory;
import java.util.List;

/** The text plugin: the {@code text} modality (Stanford CoreNLP words and sentences). */
public final class TextPlugin implements DimePlugin {
  @Override
  public String name() {
    return "text";
  }

  @Override
  public List<ModalityFactory> modalities() {
    return List.of(new TextModalityFactory());
  }
}
