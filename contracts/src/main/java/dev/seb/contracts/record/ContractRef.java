package dev.seb.contracts.record;

import java.util.Objects;

/**
 * The execution contract the decision relied on: claim {@code contract}.
 *
 * @param ref {@code namespace/name} of the {@code ExecutionContract}
 * @param digest the contract digest (the certificate's {@code sub}); null if not computed
 * @param certificateSerial the SAB certificate's serial ({@code jti}); null if there was no
 *     readable certificate
 */
public record ContractRef(String ref, String digest, String certificateSerial) {

  /** Checks that the ref is present and the digest, if any, is well-formed. */
  public ContractRef {
    Objects.requireNonNull(ref, "contract.ref");
    Digest.optional(digest, "contract.digest");
  }
}
