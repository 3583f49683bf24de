package dev.seb.contracts.record;

import java.time.Instant;
import java.util.Objects;

/**
 * The per-mutation identity the broker minted: claim {@code identity}.
 *
 * @param type what kind of identity: {@code kubernetes} (a ServiceAccount token) or {@code aws} (an
 *     STS session); free text so that new identity kinds need no format change
 * @param subject who it was, e.g. {@code system:serviceaccount:seb:seb-exec-1a2b} or the assumed
 *     role session ARN
 * @param expiresAt when the credential would have expired on its own
 * @param revokedAt when the broker revoked it; null while it is still live
 */
public record MintedIdentity(String type, String subject, Instant expiresAt, Instant revokedAt) {

  /** Checks that type, subject and expiry are present. */
  public MintedIdentity {
    Objects.requireNonNull(type, "identity.type");
    Objects.requireNonNull(subject, "identity.subject");
    Objects.requireNonNull(expiresAt, "identity.expiresAt");
  }
}
