package dev.seb.contracts.admission;

/**
 * Pieces of CEL over an admission {@code request}, shared by the expressions the
 * ValidatingAdmissionPolicies and the webhook registrations' match conditions carry. Every piece
 * guards optional fields with {@code has()}: an absent field is never an error that lets a request
 * through.
 */
final class Cel {

  private Cel() {}

  /**
   * The request comes from a ServiceAccount token: the API server adds the {@code
   * system:serviceaccounts} group to those (a user merely named like a ServiceAccount lacks it) and
   * the token's credential id (someone impersonating the ServiceAccount lacks it).
   */
  static String serviceAccountToken() {
    return "has(request.userInfo.groups) && 'system:serviceaccounts' in request.userInfo.groups"
        + " && has(request.userInfo.username) && "
        + credentialBound();
  }

  /**
   * The user carries the credential id of a token the API server issued, which impersonating a
   * ServiceAccount does not give.
   */
  static String credentialBound() {
    return "has(request.userInfo.extra) && '"
        + AdmissionRequest.CREDENTIAL_ID
        + "' in request.userInfo.extra";
  }

  /** The request's user is exactly this one. */
  static String userIs(String user) {
    return "has(request.userInfo.username) && request.userInfo.username == '"
        + quotable(user)
        + "'";
  }

  /** The request's subresource is this one ({@code ""}: none). */
  static String subresourceIs(String subresource) {
    return subresource.isEmpty()
        ? "(!has(request.subResource) || request.subResource == '')"
        : "(has(request.subResource) && request.subResource == '" + quotable(subresource) + "')";
  }

  /**
   * The request's user is in one of these groups (never for none). The same expression text
   * whatever the groups but for the list literal, so that the chart can put its values there.
   */
  static String inGroups(java.util.Collection<String> groups) {
    return "(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in "
        + list(groups)
        + "))";
  }

  /** A CEL list of the strings, sorted ({@code []} for none). */
  static String list(java.util.Collection<String> values) {
    return list(values, true);
  }

  /** A CEL list of the strings, sorted or in their order. */
  static String list(java.util.Collection<String> values, boolean sorted) {
    return (sorted ? values.stream().sorted() : values.stream())
        .map(v -> "'" + quotable(v) + "'")
        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
  }

  /** A value that can be put between single quotes in CEL as it is. */
  static String quotable(String value) {
    if (value.contains("'") || value.contains("\\")) {
      throw new IllegalArgumentException("cannot be quoted in CEL: " + value);
    }
    return value;
  }
}
