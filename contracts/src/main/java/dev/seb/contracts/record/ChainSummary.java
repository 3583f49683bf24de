package dev.seb.contracts.record;

import java.util.List;

/**
 * What a verified chain (or verified stretch of one) amounts to.
 *
 * @param chain the chain id
 * @param count how many records were verified
 * @param firstSeq {@code seq} of the first verified record
 * @param lastSeq {@code seq} of the last verified record
 * @param headDigest digest of the last record's compact JWS; compare it with an independently kept
 *     head (e.g. the newest {@code ExecutionRecord.spec.digest}) to detect a truncated or replaced
 *     tail, which no chain can reveal about itself
 * @param records the verified claims, in chain order
 */
public record ChainSummary(
    String chain,
    long count,
    long firstSeq,
    long lastSeq,
    String headDigest,
    List<RecordClaims> records) {

  /** Copies the record list. */
  public ChainSummary {
    records = List.copyOf(records);
  }

  /** The head after the last verified record: where a continuation export starts. */
  public ChainHead next() {
    return new ChainHead(lastSeq + 1, headDigest);
  }
}
