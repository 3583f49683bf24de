package dev.seb.contracts.notice;

import java.util.Collection;
import java.util.Objects;

/**
 * Whether an identity the API server vouched for (by TokenReview) is one named ServiceAccount: the
 * username {@code system:serviceaccount:<namespace>:<name>} counts only together with the groups
 * the API server gives every real ServiceAccount token ({@code system:serviceaccounts} and {@code
 * system:serviceaccounts:<namespace>}); a user merely named like the account, from another
 * authenticator, is not it.
 *
 * @param username the expected account, as {@code system:serviceaccount:<namespace>:<name>}
 */
public record ServiceAccountCaller(String username) {

  private static final String PREFIX = "system:serviceaccount:";

  /** Checks the form of the expected account name. */
  public ServiceAccountCaller {
    Objects.requireNonNull(username, "username");
    String[] parts =
        username.startsWith(PREFIX) ? username.substring(PREFIX.length()).split(":") : null;
    if (parts == null || parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "the accepted caller must be a ServiceAccount, system:serviceaccount:<namespace>:<name>,"
              + " not '"
              + username
              + "'");
    }
  }

  /** The account's namespace. */
  public String namespace() {
    return username.substring(PREFIX.length()).split(":")[0];
  }

  /**
   * Null when the authenticated identity is this account; otherwise why it is not, for a 403.
   *
   * @param authenticatedUser the username TokenReview returned
   * @param groups the groups TokenReview returned
   */
  public String refusal(String authenticatedUser, Collection<String> groups) {
    if (!username.equals(authenticatedUser)) {
      return "the caller "
          + authenticatedUser
          + " is not "
          + username
          + ", the only identity that may send notices";
    }
    if (groups == null
        || !groups.contains("system:serviceaccounts")
        || !groups.contains("system:serviceaccounts:" + namespace())) {
      return "the caller is named "
          + username
          + " but is not that ServiceAccount (its groups lack system:serviceaccounts and"
          + " system:serviceaccounts:"
          + namespace()
          + ")";
    }
    return null;
  }
}
