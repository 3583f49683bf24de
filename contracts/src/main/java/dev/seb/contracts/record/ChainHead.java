package dev.seb.contracts.record;

/**
 * Where a chain stands: the {@code seq} the next record gets and the digest of the last record's
 * compact JWS (its {@code prev}). A restarted broker resumes its chain from here; a verifier of a
 * partial export starts from here.
 *
 * @param nextSeq the next record's {@code seq}
 * @param lastDigest {@code sha256:<hex>} of the last record's compact JWS; null exactly when {@code
 *     nextSeq} is 0
 */
public record ChainHead(long nextSeq, String lastDigest) {

  /** The head of an empty chain. */
  public static final ChainHead GENESIS = new ChainHead(0, null);

  /** Checks that a digest is given exactly when records precede the head. */
  public ChainHead {
    if (nextSeq < 0) {
      throw new IllegalArgumentException("nextSeq must not be negative: " + nextSeq);
    }
    if (nextSeq == 0 && lastDigest != null) {
      throw new IllegalArgumentException("an empty chain has no last digest");
    }
    if (nextSeq > 0) {
      Digest.require(lastDigest, "lastDigest");
    }
  }
}
