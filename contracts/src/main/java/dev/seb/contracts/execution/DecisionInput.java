package dev.seb.contracts.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.epoch.HighWaterMark;
import dev.seb.contracts.epoch.VerifiedEpochStatement;
import dev.seb.contracts.v1alpha1.Mandate;
import java.util.Map;
import java.util.Set;

/**
 * Everything one decision depends on, read by the caller (the broker) just before deciding. The
 * pipeline trusts none of it: absent pieces are denials, and every signed piece is re-verified.
 *
 * @param proposal the proposal as stored
 * @param mandate the referenced mandate, or null when it does not exist
 * @param ancestors the mandates read along the mandate's {@code spec.parentRef} chain, by name (a
 *     parent absent from it is a missing ancestor, which denies)
 * @param contract the referenced contract as stored, or null when it does not exist
 * @param authority the SAB authority to verify against, or null when no TrustAnchor is ready
 * @param decidedDigests digests of proposals already decided (replay guard)
 * @param liveTarget the target object as the API server returned it, or null when it does not exist
 */
public record DecisionInput(
    Proposal proposal,
    Mandate mandate,
    Map<String, Mandate> ancestors,
    Contract contract,
    Authority authority,
    Set<String> decidedDigests,
    JsonNode liveTarget) {

  /** The proposal: its stored spec (raw JSON), identity and the webhook's submitter stamp. */
  public record Proposal(
      String namespace, String name, String uid, JsonNode spec, String submittedBy) {
    /** namespace/name. */
    public String ref() {
      return namespace + "/" + name;
    }
  }

  /** The contract: its stored spec (raw JSON, which the certificate digest covers) and identity. */
  public record Contract(String namespace, String name, JsonNode spec) {}

  /**
   * The SAB authority: a certificate verifier for one TrustAnchor, its current verified epoch
   * statement (null when none is verified, which fails closed), and the broker's own durable
   * high-water mark for that SAB as read before this decision (null when it could not be read or
   * kept, which fails closed too).
   */
  public record Authority(
      ContractCertificateVerifier certificates,
      VerifiedEpochStatement statement,
      HighWaterMark mark) {}
}
