package dev.seb.contracts.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed in {@code crds/} are exactly what the build generates from the resource types.
 * After changing a type, run {@code ./mvnw -pl contracts test -Dseb.crds.update=true} and commit.
 */
class CrdDriftTest {

  private static final Path GENERATED = Path.of("target", "crds");
  private static final Path COMMITTED = Path.of("..", "crds");

  @Test
  void committedCrds_equalGeneratedCrds() throws IOException {
    List<Path> generated = yamlFiles(GENERATED);
    assertThat(generated).as("generated CRDs in " + GENERATED.toAbsolutePath()).hasSize(5);
    if (Boolean.getBoolean("seb.crds.update")) {
      for (Path file : generated) {
        Files.copy(
            file, COMMITTED.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertThat(yamlFiles(COMMITTED).stream().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrderElementsOf(
            generated.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : generated) {
      assertThat(Files.readString(COMMITTED.resolve(file.getFileName())))
          .as(
              "crds/%s differs from the generated CRD; run ./mvnw -pl contracts test -Dseb.crds.update=true",
              file.getFileName())
          .isEqualTo(Files.readString(file));
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
