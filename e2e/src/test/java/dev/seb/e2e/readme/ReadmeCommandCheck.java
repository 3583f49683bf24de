package dev.seb.e2e.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What can be known about a README command without running it: its modules exist, the tests it
 * names exist where it builds, a test filter over several modules does not fail the modules without
 * a match, a group filter matches the named test, a script exists and the benchmark it names too.
 */
final class ReadmeCommandCheck {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  private final Path root;
  private final List<String> allModules;

  ReadmeCommandCheck(Path root) {
    this.root = root;
    this.allModules = modules(root);
  }

  /** The problems with a command, none when it works as printed. */
  List<String> problems(ReadmeCommand command) {
    return command.isMaven() ? maven(command) : script(command);
  }

  private List<String> maven(ReadmeCommand command) {
    List<String> problems = new ArrayList<>();
    for (String module : command.modules()) {
      if (!allModules.contains(module)) {
        problems.add("-pl names '" + module + "', not a module of pom.xml " + allModules);
      }
    }
    // the modules whose tests the filters see: the named ones, their upstream ones with -am
    List<String> reactor =
        command.modules().isEmpty() || command.alsoMake() ? allModules : command.modules();
    boolean severalModules = command.modules().size() != 1 || command.alsoMake();
    check(command, "it.test", "failsafe", reactor, severalModules, problems);
    check(command, "test", "surefire", reactor, severalModules, problems);
    return problems;
  }

  private void check(
      ReadmeCommand command,
      String filter,
      String plugin,
      List<String> reactor,
      boolean severalModules,
      List<String> problems) {
    String name = command.property(filter).orElse(null);
    if (name == null) {
      return;
    }
    String noMatch = plugin + ".failIfNoSpecifiedTests";
    if (severalModules && !command.property(noMatch).orElse("true").equals("false")) {
      problems.add(
          "-D"
              + filter
              + "="
              + name
              + " over several modules needs -D"
              + noMatch
              + "=false: "
              + plugin
              + " fails every module without a matching test");
    }
    if (name.equals("none")) {
      return;
    }
    List<Path> sources = testSources(reactor, name);
    if (sources.isEmpty()) {
      problems.add("-D" + filter + "=" + name + ": no test " + name + " in " + reactor);
      return;
    }
    command
        .property("groups")
        .filter(group -> !group.isEmpty())
        .filter(group -> sources.stream().noneMatch(s -> tagged(s, group)))
        .ifPresent(
            group ->
                problems.add(
                    name
                        + " is not tagged @Tag(\""
                        + group
                        + "\"): -Dgroups="
                        + group
                        + " skips it"));
  }

  private List<String> script(ReadmeCommand command) {
    List<String> problems = new ArrayList<>();
    Path script = root.resolve(command.words().get(0));
    if (!Files.isExecutable(script)) {
      problems.add(script + " is not an executable script");
    } else if (command.words().get(0).equals("tools/bench.sh")) {
      String benchmark = command.words().size() > 1 ? command.words().get(1) : "";
      if (testSources(List.of("contracts"), benchmark).stream()
          .noneMatch(s -> read(s).contains("@Benchmark"))) {
        problems.add("tools/bench.sh runs contracts' JMH benchmarks; no " + benchmark + " there");
      }
    }
    return problems;
  }

  private List<Path> testSources(List<String> modules, String className) {
    List<Path> found = new ArrayList<>();
    for (String module : modules) {
      Path dir = root.resolve(module).resolve("src/test/java");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files
            .filter(f -> f.getFileName().toString().equals(className + ".java"))
            .forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private static boolean tagged(Path source, String group) {
    return read(source).contains("@Tag(\"" + group + "\")");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> modules(Path root) {
    List<String> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }
}
