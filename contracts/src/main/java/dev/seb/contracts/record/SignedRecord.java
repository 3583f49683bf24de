package dev.seb.contracts.record;

import dev.seb.contracts.v1alpha1.ExecutionRecordSpec;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import java.util.Objects;

/**
 * One record as the chain signed it.
 *
 * @param claims what was signed
 * @param jws the compact JWS; authoritative
 * @param digest {@code sha256:<hex>} of the compact JWS string: the next record's {@code prev}
 */
public record SignedRecord(RecordClaims claims, String jws, String digest) {

  /** Checks that all parts are present. */
  public SignedRecord {
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(jws, "jws");
    Digest.require(digest, "digest");
  }

  /** The record's position in its chain. */
  public long seq() {
    return claims.seq();
  }

  /** Digest of the previous record; null for the first. */
  public String prev() {
    return claims.prev();
  }

  /** The record kind. */
  public Kind kind() {
    return claims.kind();
  }

  /** The head of the chain right after this record. */
  public ChainHead next() {
    return new ChainHead(claims.seq() + 1, digest);
  }

  /**
   * A name for the {@code ExecutionRecord} resource: {@code <chain>-<seq, 10 digits>}, unique per
   * chain and sorting in chain order in {@code kubectl get}.
   */
  public String resourceName() {
    return String.format("%s-%010d", claims.chain(), claims.seq());
  }

  /** The readable copy of this record for {@code ExecutionRecord.spec}. */
  public ExecutionRecordSpec toSpec() {
    ProposalRef proposal = claims.content().proposal();
    return new ExecutionRecordSpec(
        claims.chain(),
        claims.seq(),
        claims.kind(),
        proposal == null ? null : proposal.ref(),
        claims.prev(),
        digest,
        jws);
  }
}
