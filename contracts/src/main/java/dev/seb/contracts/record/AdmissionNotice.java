package dev.seb.contracts.record;

import dev.seb.contracts.VerificationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admission a {@code break-glass} or {@code unprotect} record is about: claim {@code
 * admission}. Who wrote ({@code user}, {@code groups}, as the API server authenticated them), what
 * ({@code operation} on {@code group}/{@code resource}[/{@code subresource}] {@code
 * namespace}/{@code name}), and the API server's {@code uid} of the admission request, which names
 * the record so that one admission leaves one record however often it is reviewed. When is the
 * record's {@code iat}: it is signed before the write is allowed.
 *
 * <p>Wire shape: {@code {uid, user, groups[], operation, group, resource, subresource?, namespace?,
 * name?}} ({@code group} is "" for the core group; "?" = omitted when absent).
 *
 * @param uid the AdmissionReview request's uid (lowercase letters, digits and dashes, at most 63)
 * @param user the username the write was made as
 * @param groups the user's groups, sorted
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param group the API group, "" for core
 * @param resource the plural resource
 * @param subresource the subresource, or null
 * @param namespace the namespace, or null for a cluster-scoped object
 * @param name the object's name, or null when the API server had none yet
 */
public record AdmissionNotice(
    String uid,
    String user,
    List<String> groups,
    String operation,
    String group,
    String resource,
    String subresource,
    String namespace,
    String name) {

  /** The operations the API server sends to admission. */
  public static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  private static final Pattern UID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Set<String> FIELDS =
      Set.of(
          "uid",
          "user",
          "groups",
          "operation",
          "group",
          "resource",
          "subresource",
          "namespace",
          "name");

  /** Checks every field; the message names the one that is wrong. */
  public AdmissionNotice {
    if (uid == null || !UID.matcher(uid).matches()) {
      throw new IllegalArgumentException(
          "admission.uid must be the admission request's uid (lowercase letters, digits and"
              + " dashes, at most 63), not '"
              + uid
              + "'");
    }
    requireText(user, "admission.user");
    Objects.requireNonNull(groups, "admission.groups");
    for (String g : groups) {
      requireText(g, "admission.groups[]");
    }
    groups = groups.stream().sorted().distinct().toList();
    if (operation == null || !OPERATIONS.contains(operation)) {
      throw new IllegalArgumentException(
          "admission.operation must be one of CREATE, UPDATE, DELETE, CONNECT, not '"
              + operation
              + "'");
    }
    Objects.requireNonNull(group, "admission.group (\"\" for the core group)");
    requireText(resource, "admission.resource");
    subresource = emptyToNull(subresource);
    namespace = emptyToNull(namespace);
    name = emptyToNull(name);
  }

  /** {@code user operation resource[/subresource] namespace/name}, for tables and logs. */
  public String summary() {
    String what = resource + (subresource == null ? "" : "/" + subresource);
    String object =
        (namespace == null ? "" : namespace + "/") + (name == null ? "(unnamed)" : name);
    return user + " " + operation.toLowerCase(java.util.Locale.ROOT) + " " + what + " " + object;
  }

  /** The claim's value, in a stable order. */
  public Map<String, Object> toClaims() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("uid", uid);
    a.put("user", user);
    a.put("groups", groups);
    a.put("operation", operation);
    a.put("group", group);
    a.put("resource", resource);
    putIfPresent(a, "subresource", subresource);
    putIfPresent(a, "namespace", namespace);
    putIfPresent(a, "name", name);
    return a;
  }

  /** Reads the claim strictly; a wrong shape is a broken record. */
  static AdmissionNotice fromClaims(ClaimReader r, Map<String, Object> a)
      throws VerificationException {
    String path = "admission.";
    r.onlyKnown(a, path, FIELDS);
    List<String> groups = new ArrayList<>();
    List<Object> gs = r.list(a, path, "groups", true);
    for (Object g : gs) {
      if (!(g instanceof String s)) {
        throw r.fail("claim 'admission.groups' must hold strings only");
      }
      groups.add(s);
    }
    return new AdmissionNotice(
        r.string(a, path, "uid", true),
        r.string(a, path, "user", true),
        groups,
        r.string(a, path, "operation", true),
        r.string(a, path, "group", true),
        r.string(a, path, "resource", true),
        r.string(a, path, "subresource", false),
        r.string(a, path, "namespace", false),
        r.string(a, path, "name", false));
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
