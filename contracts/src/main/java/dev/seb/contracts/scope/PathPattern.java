package dev.seb.contracts.scope;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Pointer pattern from {@code allowedPaths}: RFC 6901 segments, where a {@code *} segment
 * matches exactly one segment and a final {@code **} segment matches any suffix, including none.
 * Nothing else is special, so a pattern without wildcards matches exactly one path.
 */
record PathPattern(String text, List<String> segments) {

  static final String ONE = "*";
  static final String ANY = "**";

  /** Parses a pattern; throws IllegalArgumentException with the reason when it is malformed. */
  static PathPattern parse(String text) {
    if (text == null || !text.startsWith("/")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a JSON Pointer pattern (must start with '/')");
    }
    List<String> segments = split(text);
    for (int i = 0; i < segments.size(); i++) {
      if (ANY.equals(segments.get(i)) && i != segments.size() - 1) {
        throw new IllegalArgumentException("'" + text + "': '**' may only be the last segment");
      }
    }
    return new PathPattern(text, segments);
  }

  /** The unescaped segments of a JSON Pointer ({@code ""} is the whole document: no segments). */
  static List<String> split(String pointer) {
    List<String> segments = new ArrayList<>();
    if (pointer.isEmpty()) {
      return segments;
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      segments.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return segments;
  }

  /** Whether the concrete path (already split) is matched. */
  boolean matches(List<String> path) {
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (ANY.equals(segment)) {
        return path.size() >= i;
      }
      if (i >= path.size()) {
        return false;
      }
      if (!ONE.equals(segment) && !segment.equals(path.get(i))) {
        return false;
      }
    }
    return path.size() == segments.size();
  }

  /**
   * Whether every path this pattern matches is also matched by {@code wider}. Sound, and exact for
   * these patterns: a literal is covered by the same literal or {@code *}; {@code *} only by {@code
   * *}; a {@code **} tail only by a {@code **} at the same depth or shallower.
   */
  boolean coveredBy(PathPattern wider) {
    List<String> w = wider.segments;
    for (int i = 0; i < w.size(); i++) {
      String ws = w.get(i);
      if (ANY.equals(ws)) {
        return segments.size() >= i;
      }
      if (i >= segments.size()) {
        return false;
      }
      String s = segments.get(i);
      if (ANY.equals(s)) {
        return false;
      }
      if (!ONE.equals(ws) && !ws.equals(s)) {
        return false;
      }
    }
    return segments.size() == w.size();
  }
}
