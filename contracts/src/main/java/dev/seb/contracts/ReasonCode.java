package dev.seb.contracts;

/**
 * Every reason seb gives for a denial, a hold or an unhealthy authority, as recorded in proposal
 * status, {@code ExecutionRecord}s and conditions. The order follows the decision pipeline.
 */
public enum ReasonCode {
  /** Step 1: the proposal is not well-formed, or is not stamped with a submitter. */
  MALFORMED_PROPOSAL,
  /** Step 1: the stamped submitter is not the mandate's agent. */
  AGENT_MISMATCH,
  /** Step 2: a proposal with the same digest was already decided. */
  REPLAY,
  /** Step 3: the referenced mandate does not exist. */
  MANDATE_MISSING,
  /** Step 3: the mandate is not Active or is outside its lifecycle. */
  MANDATE_INACTIVE,
  /** Step 3: a mandate condition does not hold. */
  CONDITION_FAILED,
  /** Step 4: the contract carries no certificate. */
  NO_CERTIFICATE,
  /** Step 4: the certificate is malformed, badly signed or uses a forbidden algorithm. */
  CERTIFICATE_INVALID,
  /** Step 4: the certificate does not chain to a TrustAnchor root, or its issuer is unknown. */
  UNTRUSTED_ISSUER,
  /** Step 4: the certificate was issued for a different contract content or contract. */
  CONTRACT_DIGEST_MISMATCH,
  /** Step 4: the certificate's {@code nbf} is in the future. */
  CERTIFICATE_NOT_YET_VALID,
  /** Step 4: the certificate's {@code exp} has passed. */
  CERTIFICATE_EXPIRED,
  /** Step 5: the certificate's serial is in the current revocation list. */
  CERTIFICATE_REVOKED,
  /** Step 5: the certificate names a revocation epoch other than the current one. */
  REVOCATION_EPOCH_STALE,
  /** Step 5: the certificate's policy epoch is below the current minimum. */
  POLICY_EPOCH_STALE,
  /** Step 5: no fresh epoch statement is available; everything fails closed. */
  EPOCH_STATEMENT_STALE,
  /** TrustAnchor: a statement lower than the recorded high-water mark was presented. */
  EPOCH_ROLLBACK,
  /** Step 6: the operation is outside the contract or outside the mandate's scope. */
  SCOPE_VIOLATION,
  /** Steps 7 and 10: the live state differs from what was certified, observed or read. */
  DRIFT_DETECTED,
  /** Step 8: the contract needs an approval first (decision HOLD). */
  APPROVAL_REQUIRED,
  /** Step 9: the scoped identity could not be minted. */
  IDENTITY_MINT_FAILED,
  /** Step 10: the mutation failed for a reason other than drift. */
  EXECUTION_FAILED,
  /** Record verification: a gap, reordering, edit or foreign signature in a record chain. */
  RECORD_CHAIN_BROKEN,
  /** Anything unexpected: always a denial, never an execution. */
  INTERNAL_ERROR
}
