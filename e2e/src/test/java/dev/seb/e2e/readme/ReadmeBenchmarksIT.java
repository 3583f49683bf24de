package dev.seb.e2e.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.TestGround;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * README's JMH benchmark command runs as printed, in its shortest mode (in-process, no warm-up, one
 * one-second iteration per mode): the script builds contracts' test classes and JMH finds and runs
 * the benchmark. The local-stack and webhook benchmark commands take minutes even at their smallest
 * sizes; {@link ReadmeCommandsTest} checks that their modules, tests, tags and filters resolve.
 */
class ReadmeBenchmarksIT {

  private static final Path ROOT = TestGround.repoRoot();
  private static final List<String> SHORTEST =
      List.of("-f", "0", "-wi", "0", "-i", "1", "-r", "1s");

  @Test
  void jmhBenchmarkCommand_runsAsPrinted_inItsShortestMode() throws Exception {
    ReadmeCommand bench =
        ReadmeCommandsTest.readme().stream()
            .filter(c -> c.text().startsWith("tools/bench.sh "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("README prints no tools/bench.sh command"));
    List<String> command = new ArrayList<>(bench.words());
    command.addAll(SHORTEST);
    command.addAll(List.of("-foe", "true"));
    Path log = Files.createDirectories(ROOT.resolve("e2e/target")).resolve("readme-bench.log");

    Process process =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean ended = process.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = read(log);

    assertThat(ended).as("%s within 5 minutes; output:%n%s", command, output).isTrue();
    assertThat(process.exitValue()).as("%s exit; output:%n%s", command, output).isZero();
    assertThat(output)
        .as("JMH's result table for %s", bench.words().get(1))
        .contains("Result \"dev.seb.contracts.")
        .contains(bench.words().get(1) + ".");
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
