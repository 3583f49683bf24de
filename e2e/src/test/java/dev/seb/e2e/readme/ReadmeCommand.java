package dev.seb.e2e.readme;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command README.md prints for people to run: a {@code ./mvnw ...} or {@code tools/...} line, in
 * a code block or an inline code span (which may wrap over lines; the wrap is one space).
 *
 * @param line the README line it starts on, for messages
 * @param text the command, whitespace collapsed
 */
record ReadmeCommand(int line, String text) {

  private static final Pattern INLINE = Pattern.compile("`([^`]+)`");

  /** Every {@code ./mvnw} and {@code tools/*.sh} command in the README's text. */
  static List<ReadmeCommand> extract(String readme) {
    List<ReadmeCommand> commands = new ArrayList<>();
    String[] lines = readme.split("\n", -1);
    boolean inBlock = false;
    StringBuilder prose = new StringBuilder();
    List<int[]> proseLines = new ArrayList<>(); // {offset in prose, README line}
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.trim().startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      if (inBlock) {
        if (isCommand(line.trim())) {
          commands.add(new ReadmeCommand(i + 1, collapse(line)));
        }
        continue;
      }
      proseLines.add(new int[] {prose.length(), i + 1});
      prose.append(line).append('\n');
    }
    Matcher m = INLINE.matcher(prose);
    while (m.find()) {
      String span = collapse(m.group(1));
      if (isCommand(span) && span.contains(" ")) {
        commands.add(new ReadmeCommand(lineOf(proseLines, m.start()), span));
      }
    }
    return commands;
  }

  private static int lineOf(List<int[]> proseLines, int offset) {
    int line = 1;
    for (int[] start : proseLines) {
      if (start[0] > offset) {
        break;
      }
      line = start[1];
    }
    return line;
  }

  private static boolean isCommand(String text) {
    return text.startsWith("./mvnw ") || text.matches("tools/[\\w.-]+\\.sh( .*)?");
  }

  private static String collapse(String text) {
    return text.trim().replaceAll("\\s+", " ");
  }

  /** The words of the command. */
  List<String> words() {
    return Arrays.asList(text.split(" "));
  }

  /** Whether it is a Maven command. */
  boolean isMaven() {
    return text.startsWith("./mvnw ");
  }

  /** {@code -Dname=value} properties ({@code -Dname} alone is {@code true}). */
  Map<String, String> properties() {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String word : words()) {
      if (word.startsWith("-D")) {
        int eq = word.indexOf('=');
        properties.put(
            eq < 0 ? word.substring(2) : word.substring(2, eq),
            eq < 0 ? "true" : word.substring(eq + 1));
      }
    }
    return properties;
  }

  /** The modules of {@code -pl}, empty when the whole reactor builds. */
  List<String> modules() {
    List<String> words = words();
    int at = words.indexOf("-pl");
    return at < 0 || at + 1 >= words.size()
        ? List.of()
        : Arrays.asList(words.get(at + 1).split(","));
  }

  /** Whether {@code -am} adds the modules' upstream modules. */
  boolean alsoMake() {
    return words().contains("-am") || words().contains("--also-make");
  }

  /** A property's value. */
  Optional<String> property(String name) {
    return Optional.ofNullable(properties().get(name));
  }

  @Override
  public String toString() {
    return "README.md:" + line + ": " + text;
  }
}
