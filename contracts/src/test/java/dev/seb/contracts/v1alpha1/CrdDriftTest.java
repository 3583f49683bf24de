package dev.seb.contracts.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs committed in {@code crds/} and in the chart's {@code charts/seb/crds/} (which {@code
 * helm install} applies before the templates and keeps on uninstall) are exactly what the build
 * generates from the resource types. After changing a type, run {@code ./mvnw -pl contracts test
 * -Dseb.crds.update=true} and commit both directories.
 */
class CrdDriftTest {

  private static final Path GENERATED = Path.of("target", "crds");

  @ParameterizedTest
  @ValueSource(strings = {"crds", "charts/seb/crds"})
  void committedCrds_equalGeneratedCrds(String directory) throws IOException {
    Path committed = Path.of("..").resolve(directory);
    List<Path> generated = yamlFiles(GENERATED);
    assertThat(generated).as("generated CRDs in " + GENERATED.toAbsolutePath()).hasSize(5);
    if (Boolean.getBoolean("seb.crds.update")) {
      Files.createDirectories(committed);
      for (Path file : generated) {
        Files.copy(
            file, committed.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertThat(yamlFiles(committed).stream().map(p -> p.getFileName().toString()))
        .as("the CRD files in %s", directory)
        .containsExactlyInAnyOrderElementsOf(
            generated.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : generated) {
      assertThat(Files.readString(committed.resolve(file.getFileName())))
          .as(
              "%s/%s differs from the generated CRD; run ./mvnw -pl contracts test"
                  + " -Dseb.crds.update=true",
              directory, file.getFileName())
          .isEqualTo(Files.readString(file));
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
