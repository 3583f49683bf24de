package dev.seb.contracts.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON Pointer patterns: literal segments, '*' for one segment, a final '**' for any suffix. */
class PathPatternTest {

  private static boolean matches(String pattern, String path) {
    return PathPattern.parse(pattern).matches(PathPattern.split(path));
  }

  private static boolean covered(String narrower, String wider) {
    return PathPattern.parse(narrower).coveredBy(PathPattern.parse(wider));
  }

  @Test
  void split_ofTheWholeDocument_hasNoSegments() {
    assertThat(PathPattern.split("")).isEmpty();
  }

  @Test
  void split_ofSlash_isOneEmptySegment() {
    assertThat(PathPattern.split("/")).containsExactly("");
  }

  @Test
  void split_keepsEmptySegments() {
    assertThat(PathPattern.split("/a//b/")).containsExactly("a", "", "b", "");
  }

  @Test
  void split_unescapesTilde1AsSlash_andTilde0AsTilde() {
    assertThat(PathPattern.split("/metadata/annotations/seb.dev~1owner"))
        .containsExactly("metadata", "annotations", "seb.dev/owner");
    assertThat(PathPattern.split("/a~0b")).containsExactly("a~b");
  }

  @Test
  void split_unescapesTilde1BeforeTilde0_soTilde01IsLiteralTilde1() {
    // RFC 6901 section 4: '~01' is '~1', not '/'
    assertThat(PathPattern.split("/~01")).containsExactly("~1");
    assertThat(PathPattern.split("/~00~1")).containsExactly("~0/");
  }

  @Test
  void parse_withoutLeadingSlash_isRejected_namingThePattern() {
    assertThatThrownBy(() -> PathPattern.parse("spec/replicas"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'spec/replicas'")
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> PathPattern.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_doubleStarBeforeTheLastSegment_isRejected() {
    assertThatThrownBy(() -> PathPattern.parse("/spec/**/image"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/spec/**/image'")
        .hasMessageContaining("'**' may only be the last segment");
  }

  @Test
  void parse_keepsTheTextAndTheUnescapedSegments() {
    PathPattern pattern = PathPattern.parse("/metadata/annotations/seb.dev~1*");
    assertThat(pattern.text()).isEqualTo("/metadata/annotations/seb.dev~1*");
    assertThat(pattern.segments()).containsExactly("metadata", "annotations", "seb.dev/*");
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    // literal: exactly one path
    "/spec/replicas, /spec/replicas, true",
    "/spec/replicas, /spec, false",
    "/spec/replicas, /spec/replicas/x, false",
    "/spec/replicas, /spec/Replicas, false",
    "/spec/replicas, '', false",
    // '*' is exactly one segment
    "/spec/template/spec/containers/*/image, /spec/template/spec/containers/0/image, true",
    "/spec/template/spec/containers/*/image, /spec/template/spec/containers/-/image, true",
    "/spec/template/spec/containers/*/image, /spec/template/spec/containers/image, false",
    "/spec/template/spec/containers/*/image, /spec/template/spec/containers/0/1/image, false",
    "/metadata/labels/*, /metadata/labels, false",
    "/metadata/labels/*, /metadata/labels/app, true",
    "/metadata/labels/*, /metadata/labels/app/x, false",
    "/metadata/labels/*, /metadata/labels/, true",
    // final '**' is any suffix, including none
    "/metadata/labels/**, /metadata/labels, true",
    "/metadata/labels/**, /metadata/labels/app, true",
    "/metadata/labels/**, /metadata/labels/a/b/c, true",
    "/metadata/labels/**, /metadata, false",
    "/metadata/labels/**, /metadata/labelsx, false",
    "/metadata/labels/**, /metadata/annotations/app, false",
    "/spec/*/**, /spec, false",
    "/spec/*/**, /spec/a, true",
    "/spec/*/**, /spec/a/b/c, true",
    // '**' at the root covers everything, the whole document included
    "/**, '', true",
    "/**, /, true",
    "/**, /anything/at/all, true",
    // '/' is the key \"\", not the root
    "/, /, true",
    "/, '', false",
  })
  void matches(String pattern, String path, boolean expected) {
    assertThat(matches(pattern, path)).isEqualTo(expected);
  }

  @Test
  void escapedSlashInAPattern_matchesOnlyTheEscapedKey_notTwoSegments() {
    String pattern = "/metadata/annotations/seb.dev~1owner";
    assertThat(matches(pattern, "/metadata/annotations/seb.dev~1owner")).isTrue();
    assertThat(matches(pattern, "/metadata/annotations/seb.dev/owner")).isFalse();
    assertThat(matches("/metadata/annotations/*", "/metadata/annotations/seb.dev~1owner")).isTrue();
    assertThat(matches("/metadata/annotations/*", "/metadata/annotations/seb.dev/owner")).isFalse();
  }

  @Test
  void starInsideASegment_isLiteral() {
    assertThat(matches("/metadata/labels/app*", "/metadata/labels/app*")).isTrue();
    assertThat(matches("/metadata/labels/app*", "/metadata/labels/application")).isFalse();
  }

  @Test
  void matches_takesAnAlreadySplitPath() {
    assertThat(PathPattern.parse("/a/*").matches(List.of("a", "b/c"))).isTrue();
  }

  @ParameterizedTest(name = "{0} covered by {1}: {2}")
  @CsvSource({
    // a literal is covered by the same literal, by '*' and by '**'
    "/spec/replicas, /spec/replicas, true",
    "/spec/replicas, /spec/*, true",
    "/spec/replicas, /spec/**, true",
    "/spec/replicas, /**, true",
    "/spec/replicas, /spec/paused, false",
    "/spec/replicas, /spec/replicas/*, false",
    "/spec, /spec/**, true",
    "/spec, /spec/*, false",
    // '*' only by '*' or a '**' at the same depth or shallower
    "/spec/*, /spec/*, true",
    "/spec/*, /spec/**, true",
    "/spec/*, /spec/replicas, false",
    "/spec/*, /*/*, true",
    "/spec/*, /spec/*/x, false",
    // '**' only by '**' at the same depth or shallower
    "/spec/**, /spec/**, true",
    "/spec/a/**, /spec/**, true",
    "/spec/**, /spec/a/**, false",
    "/spec/**, /spec/*, false",
    "/spec/**, /spec/*/**, false",
    "/spec/a/**, /spec/*/**, true",
    "/**, /**, true",
    "/**, /spec/**, false",
    "/**, /*, false",
    // lengths must agree without '**'
    "/a/b, /a, false",
    "/a, /a/b, false",
  })
  void coveredBy(String narrower, String wider, boolean expected) {
    assertThat(covered(narrower, wider)).isEqualTo(expected);
  }

  @Test
  void coveredBy_isSound_everyPathTheNarrowerMatchesTheWiderMatchesToo() {
    List<String> patterns =
        List.of("/**", "/*", "/a", "/a/**", "/a/*", "/*/b", "/a/b", "/a/*/**", "/*/**", "/a/b/**");
    List<String> paths = List.of("", "/a", "/b", "/a/b", "/a/c", "/c/b", "/a/b/c", "/a/b/c/d");
    for (String narrower : patterns) {
      for (String wider : patterns) {
        if (covered(narrower, wider)) {
          for (String path : paths) {
            if (matches(narrower, path)) {
              assertThat(matches(wider, path))
                  .as("%s covered by %s, yet %s escapes", narrower, wider, path)
                  .isTrue();
            }
          }
        }
      }
    }
  }
}
