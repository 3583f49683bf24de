package dev.seb.broker.access;

import java.util.List;
import java.util.Map;

/**
 * Who called, as the API server authenticated the bearer token (TokenReview).
 *
 * @param username the authenticated username
 * @param uid the user's uid, if any
 * @param groups the user's groups
 * @param extra the user's extra attributes (for a ServiceAccount token: the pod it is bound to)
 */
public record Caller(
    String username, String uid, List<String> groups, Map<String, List<String>> extra) {

  /** Copies the collections. */
  public Caller {
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }
}
