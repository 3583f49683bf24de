package dev.seb.e2e.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.TestGround;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every command README.md prints resolves as printed: its modules, tests, filters and scripts. The
 * cheap half of "every command in README works on a fresh clone"; {@link ReadmeBenchmarksIT} runs
 * the benchmark commands in their shortest mode.
 */
class ReadmeCommandsTest {

  private static final Path ROOT = TestGround.repoRoot();

  static List<ReadmeCommand> readme() throws Exception {
    return ReadmeCommand.extract(Files.readString(ROOT.resolve("README.md")));
  }

  @Test
  void readmeCommands_resolveAsPrinted() throws Exception {
    ReadmeCommandCheck check = new ReadmeCommandCheck(ROOT);
    Map<String, List<String>> problems = new LinkedHashMap<>();
    for (ReadmeCommand command : readme()) {
      List<String> found = check.problems(command);
      if (!found.isEmpty()) {
        problems.put(command.toString(), found);
      }
    }
    assertThat(problems).as("README commands that do not work as printed").isEmpty();
  }

  @Test
  void readme_printsTheBenchmarkCommands() throws Exception {
    assertThat(readme())
        .extracting(ReadmeCommand::text)
        .anyMatch(c -> c.startsWith("tools/bench.sh DecisionBenchmark"))
        .anyMatch(c -> c.contains("-Dit.test=BrokerLoadBenchmarkIT"))
        .anyMatch(c -> c.contains("admission-webhook") && c.contains("-Dgroups=benchmark"));
  }

  @Test
  void extract_joinsWrappedInlineCommands_andReadsTheirFlags() {
    String text =
        """
        Run it: `./mvnw verify -pl e2e -am -Dit.test=SomeIT
        -Dfailsafe.failIfNoSpecifiedTests=false -Dseb.excluded.groups=` now.

        ```
        ./mvnw verify
        ```
        and `tools/bench.sh X -f 0`, but not `./mvnw` alone or `contracts/`.
        """;

    List<ReadmeCommand> commands = ReadmeCommand.extract(text);

    assertThat(commands)
        .extracting(ReadmeCommand::text)
        .containsExactlyInAnyOrder(
            "./mvnw verify -pl e2e -am -Dit.test=SomeIT"
                + " -Dfailsafe.failIfNoSpecifiedTests=false -Dseb.excluded.groups=",
            "./mvnw verify",
            "tools/bench.sh X -f 0");
    ReadmeCommand first =
        commands.stream().filter(c -> c.text().contains("SomeIT")).findFirst().orElseThrow();
    assertThat(first.modules()).containsExactly("e2e");
    assertThat(first.alsoMake()).isTrue();
    assertThat(first.property("seb.excluded.groups")).contains("");
  }

  @Test
  void extract_readsFencesIndentedInAListItem_withoutSwallowingTheProseAfterThem() {
    String text =
        """
        1. Install:

           ```
           helm install seb charts/seb
           ```
        2. Then `./mvnw verify -pl e2e` and `tools/bench.sh X`.
        """;

    assertThat(ReadmeCommand.extract(text))
        .extracting(ReadmeCommand::text)
        .containsExactlyInAnyOrder("./mvnw verify -pl e2e", "tools/bench.sh X");
  }

  @Test
  void check_flagsAFilterOverSeveralModules_withoutTheNoMatchSwitch() {
    ReadmeCommandCheck check = new ReadmeCommandCheck(ROOT);
    ReadmeCommand broken =
        new ReadmeCommand(
            1,
            "./mvnw verify -pl e2e -am -Dit.test=BrokerLoadBenchmarkIT -Dtest=none"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dseb.excluded.groups="
                + " -Dgroups=benchmark");

    assertThat(check.problems(broken))
        .singleElement()
        .asString()
        .contains("-Dfailsafe.failIfNoSpecifiedTests=false");
  }

  @Test
  void check_flagsUnknownModules_missingTests_untaggedTests_andMissingBenchmarks() {
    ReadmeCommandCheck check = new ReadmeCommandCheck(ROOT);

    assertThat(check.problems(new ReadmeCommand(1, "./mvnw verify -pl nope")))
        .singleElement()
        .asString()
        .contains("'nope'");
    assertThat(check.problems(new ReadmeCommand(1, "./mvnw verify -pl e2e -Dit.test=NoSuchIT")))
        .singleElement()
        .asString()
        .contains("no test NoSuchIT");
    assertThat(
            check.problems(
                new ReadmeCommand(
                    1, "./mvnw verify -pl e2e -Dit.test=LocalScenarioIT -Dgroups=benchmark")))
        .singleElement()
        .asString()
        .contains("not tagged");
    assertThat(check.problems(new ReadmeCommand(1, "tools/bench.sh NoSuchBenchmark")))
        .singleElement()
        .asString()
        .contains("no NoSuchBenchmark");
  }
}
