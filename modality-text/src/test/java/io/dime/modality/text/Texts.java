package io.dime.modality.text;

/** Texts shared by the tests. */
final class Texts {
  private Texts() {}

  /** About 200 words in 10 sentences. */
  static final String PARAGRAPH =
      "The man in the picture is wearing a red hat on his head, and he is standing next to a"
          + " small brown dog. Behind them, a row of old houses lines the street, their windows"
          + " reflecting the late afternoon sun. A woman on a bicycle passes by, carrying a basket"
          + " full of fresh bread and flowers. Nobody seems to be in a hurry; the town feels quiet"
          + " and calm. On the left, two children are playing with a ball near a fountain, while"
          + " their parents sit on a bench and talk. The sky is clear except for a few thin clouds"
          + " drifting slowly towards the hills. Somewhere a radio plays an old song, and a cat"
          + " sleeps on a warm stone wall. The man's hat is clearly the brightest thing in the"
          + " scene, which is why the question asks about it. Would a model look at the hat, or"
          + " would it guess from the words alone? That is exactly what an explanation of the"
          + " unimodal contributions and the multimodal interactions should tell us, word by word"
          + " and region by region, with uncertainty attached to every weight it reports.";
}
