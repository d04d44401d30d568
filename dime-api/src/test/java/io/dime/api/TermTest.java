package io.dime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The terms' documented order and keys. */
class TermTest {
  /** By order, then by modality indices in turn: g14 before g23, though g23's bits are lower. */
  @Test
  void allListsTheTermsByOrderThenByTheirIndicesInTurn() {
    assertEquals(
        List.of(
            "gE", "g1", "g2", "g3", "g4", "g12", "g13", "g14", "g23", "g24", "g34", "g123", "g124",
            "g134", "g234", "g1234"),
        Term.all(4).stream().map(Term::key).toList());
    assertEquals(List.of(Term.EMPTY), Term.all(0));
  }
}
