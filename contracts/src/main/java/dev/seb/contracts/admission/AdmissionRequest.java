package dev.seb.contracts.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The parts of an AdmissionReview request the rules look at.
 *
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param group the API group ("" for core)
 * @param resource the plural resource
 * @param subresource the subresource, or null
 * @param namespace the namespace, or null for cluster-scoped objects
 * @param name the object's name (may be null on CREATE with generateName)
 * @param username the requesting user
 * @param groups the requesting user's groups
 * @param object the new object, or null
 * @param oldObject the old object, or null
 * @param credentialBound whether the request's user carries the {@code
 *     authentication.kubernetes.io/credential-id} extra: the API server sets it for a
 *     ServiceAccount token it issued, and nobody can add it by impersonating the ServiceAccount
 *     (which the stock {@code edit} role grants in its namespace) without the rights to impersonate
 *     user extras
 */
public record AdmissionRequest(
    String operation,
    String group,
    String resource,
    String subresource,
    String namespace,
    String name,
    String username,
    Set<String> groups,
    JsonNode object,
    JsonNode oldObject,
    boolean credentialBound) {

  /** The extra the API server gives the users of the credentials it issued (tokens' JTI). */
  public static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";

  /** A request whose user is credential-bound, as a real token's is (tests, fixtures). */
  public AdmissionRequest(
      String operation,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name,
      String username,
      Set<String> groups,
      JsonNode object,
      JsonNode oldObject) {
    this(
        operation,
        group,
        resource,
        subresource,
        namespace,
        name,
        username,
        groups,
        object,
        oldObject,
        true);
  }

  /** {@code group/resource}, the core group written as empty. */
  public String groupResource() {
    return (group == null ? "" : group) + "/" + resource;
  }

  /** Whether the user is a ServiceAccount. */
  public boolean isServiceAccount() {
    return username != null && username.startsWith("system:serviceaccount:");
  }

  /**
   * Whether the request comes with a ServiceAccount token: a ServiceAccount user name, the {@code
   * system:serviceaccounts} group the API server adds to those tokens (a user merely named like a
   * ServiceAccount lacks it) and the token's credential id (someone impersonating the
   * ServiceAccount lacks it).
   */
  public boolean isServiceAccountToken() {
    return isServiceAccount()
        && credentialBound
        && groups != null
        && groups.contains("system:serviceaccounts");
  }

  /** Whether the user is in any of the groups. */
  public boolean inAny(Set<String> wanted) {
    return groups != null && groups.stream().anyMatch(wanted::contains);
  }
}
