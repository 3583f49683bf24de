package dev.seb.contracts.scope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where does an object first differ from a manifest, outside the paths it may differ at? Objects
 * are compared key by key in sorted order and arrays index by index, so the first difference is the
 * same on every run. A path that is allowed frees its whole subtree, as a patch of that path could
 * replace it. A key or element present on one side only, or a value of another type, is a
 * difference at its own path: an allowed path below it does not free it, so a manifest must contain
 * the parents of the paths it leaves open. Numbers compare by value ({@code 1} equals {@code 1.0});
 * everything else by equality.
 */
final class ManifestDiff {

  /** Path patterns at which differences are allowed; {@code null} means no limit. */
  private final List<List<PathPattern>> limits;

  /**
   * @param limits one list of patterns per authority (contract, mandate); a difference must be
   *     allowed by each of them; a null list does not limit
   */
  ManifestDiff(List<List<PathPattern>> limits) {
    this.limits = limits;
  }

  /** The JSON Pointer of the first difference that is not allowed, if there is one. */
  Optional<String> first(JsonNode manifest, JsonNode object) {
    boolean[] free = new boolean[limits.size()];
    for (int i = 0; i < free.length; i++) {
      free[i] = limits.get(i) == null;
    }
    return walk(manifest, object, new ArrayList<>(), free);
  }

  private Optional<String> walk(
      JsonNode manifest, JsonNode object, List<String> path, boolean[] freeAbove) {
    boolean[] free = freeAbove.clone();
    boolean all = true;
    for (int i = 0; i < free.length; i++) {
      free[i] = free[i] || matches(limits.get(i), path);
      all &= free[i];
    }
    if (all) {
      return Optional.empty();
    }
    if (manifest != null && object != null && manifest.isObject() && object.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      manifest.fieldNames().forEachRemaining(keys::add);
      object.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        path.add(key);
        Optional<String> found = walk(manifest.get(key), object.get(key), path, free);
        path.remove(path.size() - 1);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    if (manifest != null && object != null && manifest.isArray() && object.isArray()) {
      int size = Math.max(manifest.size(), object.size());
      for (int i = 0; i < size; i++) {
        path.add(Integer.toString(i));
        Optional<String> found = walk(manifest.get(i), object.get(i), path, free);
        path.remove(path.size() - 1);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    return same(manifest, object) ? Optional.empty() : Optional.of(pointer(path));
  }

  private static boolean matches(List<PathPattern> patterns, List<String> path) {
    return patterns != null && patterns.stream().anyMatch(p -> p.matches(path));
  }

  private static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** The RFC 6901 pointer of a path. */
  static String pointer(List<String> path) {
    StringBuilder out = new StringBuilder();
    for (String segment : path) {
      out.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }
}
