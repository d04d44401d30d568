package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's help, rendered as a user sees it at 80 columns: each option is described and
 * labelled, each command lists with a whole sentence, and no line is cut inside a word.
 */
class HelpTextTest {
  private static final int WIDTH = 80;

  /** Every command of the tree, the root first. */
  private static List<CommandLine> commands() {
    List<CommandLine> all = new ArrayList<>();
    List<CommandLine> todo = new ArrayList<>(List.of(new CommandLine(new Main())));
    while (!todo.isEmpty()) {
      CommandLine c = todo.remove(0);
      all.add(c);
      todo.addAll(c.getSubcommands().values());
    }
    return all;
  }

  private static String name(CommandSpec spec) {
    return spec.qualifiedName();
  }

  @Test
  void everyOptionAndParameterIsDescribedAndLabelled() {
    int checked = 0;
    for (CommandLine c : commands()) {
      CommandSpec spec = c.getCommandSpec();
      List<ArgSpec> args = new ArrayList<>(spec.options());
      args.addAll(spec.positionalParameters());
      for (ArgSpec a : args) {
        String what =
            name(spec) + " " + (a instanceof OptionSpec o ? o.longestName() : a.paramLabel());
        String text = String.join(" ", a.description()).strip();
        assertTrue(!text.isEmpty(), what + " has no description");
        // picocli's own label for an unlabelled option is the field name in angle brackets
        assertTrue(
            a.arity().max() == 0 || !a.paramLabel().matches("<[a-z][A-Za-z]*>"),
            what + " needs a parameter label (it shows " + a.paramLabel() + ")");
        checked++;
      }
    }
    assertTrue(checked > 60, "options checked: " + checked);
  }

  @Test
  void everyCommandListsWithAWholeSentence() {
    for (CommandLine c : commands()) {
      Map<String, CommandLine> subs = c.getSubcommands();
      for (Map.Entry<String, CommandLine> e : subs.entrySet()) {
        if (e.getKey().equals("help")) {
          continue;
        }
        CommandSpec spec = e.getValue().getCommandSpec();
        String[] listed =
            spec.usageMessage().header().length > 0
                ? spec.usageMessage().header()
                : spec.usageMessage().description();
        assertEquals(1, listed.length, name(spec) + ": one line in the command list");
        String line = listed[0];
        assertTrue(
            line.endsWith(".") || line.endsWith("?"),
            name(spec) + " lists as '" + line + "', not a whole sentence");
        int room = WIDTH - 2 - subs.keySet().stream().mapToInt(String::length).max().orElse(0) - 2;
        assertTrue(line.length() <= room, name(spec) + " lists in more than one line: " + line);
      }
    }
  }

  @Test
  void noHelpLineIsCutInsideAWord() {
    int words = 0;
    for (CommandLine c : commands()) {
      CommandSpec spec = c.getCommandSpec();
      String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
      Set<String> shown = new HashSet<>();
      for (String line : usage.split("\n")) {
        assertTrue(line.length() <= WIDTH, name(spec) + ": wider than " + WIDTH + ": " + line);
        shown.addAll(Arrays.asList(line.strip().split("\\s+")));
      }
      List<String> texts = new ArrayList<>();
      texts.addAll(Arrays.asList(spec.usageMessage().header()));
      texts.addAll(Arrays.asList(spec.usageMessage().description()));
      texts.addAll(Arrays.asList(spec.usageMessage().footer()));
      for (OptionSpec o : spec.options()) {
        texts.addAll(Arrays.asList(o.description()));
      }
      spec.positionalParameters().forEach(a -> texts.addAll(Arrays.asList(a.description())));
      for (String text : texts) {
        for (String word : text.replace("%%", "%").strip().split("\\s+")) {
          if (word.isEmpty() || word.contains("${") || word.contains("%n")) {
            continue;
          }
          assertTrue(
              shown.contains(word), name(spec) + ": '" + word + "' is cut in its help:\n" + usage);
          words++;
        }
      }
    }
    assertTrue(words > 1000, "words checked: " + words);
  }

  /**
   * Every command's help lists {@code -V, --version}, so every command prints the version, the same
   * as {@code dime --version}, rather than an empty line.
   */
  @Test
  void everyCommandPrintsTheVersion() {
    List<CommandLine> all = commands();
    String root = version(all.get(0));
    assertTrue(root.startsWith("dime "), root);
    for (CommandLine c : all) {
      if (c.getCommandSpec().findOption("--version") == null) {
        continue; // picocli's own help command offers no --version
      }
      assertEquals(root, version(c), name(c.getCommandSpec()) + " --version");
    }
  }

  private static String version(CommandLine c) {
    java.io.StringWriter out = new java.io.StringWriter();
    c.printVersionHelp(new java.io.PrintWriter(out, true));
    return out.toString().strip();
  }

  /** An option that has a default value says which, as "(default ...)" in its description. */
  @Test
  void everyOptionWithADefaultValueNamesIt() {
    List<String> silent = new ArrayList<>();
    for (CommandLine c : commands()) {
      for (OptionSpec o : c.getCommandSpec().options()) {
        String text = String.join(" ", o.description());
        if (o.defaultValue() != null && !text.contains("default")) {
          silent.add(name(c.getCommandSpec()) + " " + o.longestName() + ": " + text);
        }
      }
    }
    assertEquals(List.of(), silent, "options whose help does not name their default");
  }

  /**
   * Both image demos have two modalities, so {@code --preset fast} runs them at the fast preset's S
   * for two modalities, which {@code dime demo --help} must name as the default rather than the S
   * for three or more.
   */
  @Test
  void theDemosSamplesDefaultIsThePresetsForTwoModalities() {
    String text =
        String.join(
            " ",
            new CommandLine(new Main())
                .getSubcommands()
                .get("demo")
                .getCommandSpec()
                .findOption("--samples")
                .description());
    int fast = io.dime.core.Presets.fast().samplesFor(2);
    int usual = io.dime.core.Presets.defaults().samplesFor(2);
    assertTrue(text.contains(usual + " or " + fast + " for fast"), text);
    assertTrue(!text.contains(" " + io.dime.core.Presets.fast().samplesFor(3) + " "), text);
  }

  /**
   * A word that picocli breaks at a dot, slash or colon ("report." at a line's end, "html" at the
   * next one's start) is two words on screen; the check above misses it when the whole word is
   * shown elsewhere in the same help, so each line break is checked on its own.
   */
  @Test
  void noWordIsSplitAcrossTwoLines() {
    for (CommandLine c : commands()) {
      CommandSpec spec = c.getCommandSpec();
      Set<String> words = new HashSet<>();
      List<String> texts = new ArrayList<>();
      texts.addAll(Arrays.asList(spec.usageMessage().description()));
      texts.addAll(Arrays.asList(spec.usageMessage().footer()));
      spec.options().forEach(o -> texts.addAll(Arrays.asList(o.description())));
      spec.positionalParameters().forEach(a -> texts.addAll(Arrays.asList(a.description())));
      for (String text : texts) {
        words.addAll(Arrays.asList(text.replace("%%", "%").strip().split("\\s+")));
      }
      String[] lines = c.getUsageMessage(CommandLine.Help.Ansi.OFF).split("\n");
      for (int i = 0; i + 1 < lines.length; i++) {
        String[] end = lines[i].strip().split("\\s+");
        String[] start = lines[i + 1].strip().split("\\s+");
        String joined = end[end.length - 1] + start[0];
        assertTrue(
            end[end.length - 1].isEmpty() || start[0].isEmpty() || !words.contains(joined),
            name(spec)
                + ": '"
                + joined
                + "' is split over two lines:\n"
                + lines[i]
                + "\n"
                + lines[i + 1]);
      }
    }
  }
}
