package dev.seb.contracts.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathPatternTest {

  private static boolean matches(String pattern, String path) {
    return PathPattern.parse(pattern).matches(PathPattern.split(path));
  }

  private static boolean covered(String narrower, String wider) {
    return PathPattern.parse(narrower).coveredBy(PathPattern.parse(wider));
  }

  @Test
  void literalPattern_matchesExactlyOnePath() {
    assertThat(matches("/spec/replicas", "/spec/replicas")).isTrue();
    assertThat(matches("/spec/replicas", "/spec/replicas/x")).isFalse();
    assertThat(matches("/spec/replicas", "/spec")).isFalse();
  }

  @Test
  void star_matchesExactlyOneSegment() {
    assertThat(
            matches(
                "/spec/template/spec/containers/*/image", "/spec/template/spec/containers/0/image"))
        .isTrue();
    assertThat(
            matches(
                "/spec/template/spec/containers/*/image", "/spec/template/spec/containers/image"))
        .isFalse();
    assertThat(matches("/spec/*", "/spec/a/b")).isFalse();
  }

  @Test
  void trailingDoubleStar_matchesThePrefixAndAnyDeeperPath() {
    assertThat(matches("/metadata/annotations/**", "/metadata/annotations")).isTrue();
    assertThat(matches("/metadata/annotations/**", "/metadata/annotations/a/b")).isTrue();
    assertThat(matches("/metadata/annotations/**", "/metadata/labels/a")).isFalse();
    assertThat(matches("/**", "")).isTrue();
  }

  @Test
  void escapedSegments_areComparedUnescaped() {
    assertThat(
            matches("/metadata/annotations/seb.dev~1owner", "/metadata/annotations/seb.dev~1owner"))
        .isTrue();
    assertThat(PathPattern.split("/a~1b/c~0d")).containsExactly("a/b", "c~d");
    assertThat(
            matches("/metadata/annotations/seb.dev~1owner", "/metadata/annotations/seb.dev/owner"))
        .isFalse();
  }

  @Test
  void doubleStarInTheMiddle_orARelativePattern_isRejected() {
    assertThatThrownBy(() -> PathPattern.parse("/spec/**/image"))
        .hasMessageContaining("last segment");
    assertThatThrownBy(() -> PathPattern.parse("spec/replicas"))
        .hasMessageContaining("must start with '/'");
  }

  @Test
  void coverage_isSoundForLiteralsStarsAndTails() {
    assertThat(covered("/spec/replicas", "/spec/*")).isTrue();
    assertThat(covered("/spec/*", "/spec/replicas")).isFalse();
    assertThat(covered("/metadata/annotations/a/**", "/metadata/annotations/**")).isTrue();
    assertThat(covered("/metadata/annotations/**", "/metadata/annotations/a/**")).isFalse();
    assertThat(covered("/metadata/**", "/metadata/*")).isFalse();
    assertThat(covered("/a/b", "/**")).isTrue();
  }
}
