package dev.seb.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.TestGround;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart runs the images this build makes: its {@code appVersion} (the default image tag) is the
 * project version, which is the tag the build gives the images.
 */
class ChartVersionTest {

  @Test
  void chartAppVersion_isTheImagesTag() throws Exception {
    Path root = TestGround.repoRoot();
    Matcher pom =
        Pattern.compile("<artifactId>seb-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(root.resolve("pom.xml")));
    assertThat(pom.find()).as("the root pom's version").isTrue();
    Matcher chart =
        Pattern.compile("(?m)^appVersion: \"([^\"]+)\"$")
            .matcher(Files.readString(root.resolve("charts/seb/Chart.yaml")));
    assertThat(chart.find()).as("charts/seb/Chart.yaml's appVersion").isTrue();
    assertThat(chart.group(1)).isEqualTo(pom.group(1));
  }
}
