package dev.seb.contracts.event;

import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import java.util.Objects;

/**
 * Every reason seb's components give a Kubernetes Event, with its Event type and the action it
 * reports. The reason string ({@link #reason()}) is what {@code kubectl get events} shows and what
 * alerts select on; it never changes for a constant. Reason codes of a refusal (for example {@code
 * CERTIFICATE_EXPIRED}) go into the Event's note, not into its reason, so that the set of reasons
 * stays this closed list.
 */
public enum EventReason {

  // broker: one per decision, execution and revocation
  /** The broker admitted a proposal. */
  PROPOSAL_ADMITTED("ProposalAdmitted", EventType.NORMAL, "Decide"),
  /** The broker denied a proposal; the note carries the reason code. */
  PROPOSAL_DENIED("ProposalDenied", EventType.WARNING, "Decide"),
  /** The broker held a proposal for a human decision. */
  PROPOSAL_HELD("ProposalHeld", EventType.NORMAL, "Decide"),
  /** The broker minted a scoped identity for one admitted proposal. */
  IDENTITY_MINTED("IdentityMinted", EventType.NORMAL, "Mint"),
  /** The broker performed an admitted proposal's mutation. */
  PROPOSAL_EXECUTED("ProposalExecuted", EventType.NORMAL, "Execute"),
  /** The mutation of an admitted proposal failed; the note says how. */
  EXECUTION_FAILED("ExecutionFailed", EventType.WARNING, "Execute"),
  /** The broker revoked an execution identity. */
  IDENTITY_REVOKED("IdentityRevoked", EventType.NORMAL, "Revoke"),
  /** The broker could not revoke an execution identity (it retries). */
  REVOCATION_FAILED("RevocationFailed", EventType.WARNING, "Revoke"),
  /** The broker took over a proposal another replica left unfinished. */
  PROPOSAL_RECOVERED("ProposalRecovered", EventType.NORMAL, "Recover"),
  /** The broker could not store a signed record. */
  RECORD_FAILED("RecordFailed", EventType.WARNING, "Record"),

  // operator: mandate phases
  /** A mandate is active. */
  MANDATE_ACTIVE("MandateActive", EventType.NORMAL, "Evaluate"),
  /** A mandate is suspended. */
  MANDATE_SUSPENDED("MandateSuspended", EventType.WARNING, "Evaluate"),
  /** A mandate was revoked (by its principal, an admin, a terminal event or its parent). */
  MANDATE_REVOKED("MandateRevoked", EventType.WARNING, "Evaluate"),
  /** A mandate reached its {@code notAfter}. */
  MANDATE_EXPIRED("MandateExpired", EventType.WARNING, "Evaluate"),
  /** A mandate completed. */
  MANDATE_COMPLETED("MandateCompleted", EventType.NORMAL, "Evaluate"),
  /** A delegated mandate was rejected as invalid against its parent. */
  MANDATE_REJECTED("MandateRejected", EventType.WARNING, "Evaluate"),

  // operator: contracts and trust anchors
  /** An ExecutionContract's certificate verified. */
  CONTRACT_CERTIFIED("ContractCertified", EventType.NORMAL, "Certify"),
  /** An ExecutionContract is not certified; the note carries the reason code. */
  CERTIFICATION_FAILED("CertificationFailed", EventType.WARNING, "Certify"),
  /** A TrustAnchor's epoch statement verified. */
  EPOCH_STATEMENT_VERIFIED("EpochStatementVerified", EventType.NORMAL, "Verify"),
  /** A TrustAnchor's epoch statement was refused (stale, badly signed); the note says why. */
  EPOCH_STATEMENT_REFUSED("EpochStatementRefused", EventType.WARNING, "Verify"),
  /** A TrustAnchor's epoch statement would lower an epoch: refused, the high-water mark kept. */
  EPOCH_ROLLBACK_REFUSED("EpochRollbackRefused", EventType.WARNING, "Verify"),

  // admission webhook
  /** A break-glass write in a protected namespace was allowed and recorded. */
  BREAK_GLASS("BreakGlass", EventType.WARNING, "Admit"),
  /** A namespace's protection was removed (label removed or namespace deleted) and recorded. */
  UNPROTECTED("Unprotected", EventType.WARNING, "Admit"),

  // any component
  /** An error escaped a reconcile; it is retried. */
  RECONCILE_ERROR("ReconcileError", EventType.WARNING, "Reconcile");

  private final String reason;
  private final EventType type;
  private final String action;

  EventReason(String reason, EventType type, String action) {
    this.reason = reason;
    this.type = type;
    this.action = action;
  }

  /** The Event's {@code reason}: UpperCamelCase, stable. */
  public String reason() {
    return reason;
  }

  /** Normal or Warning. */
  public EventType type() {
    return type;
  }

  /** The Event's {@code action}: what the reporting component was doing. */
  public String action() {
    return action;
  }

  /** The reason reporting that a mandate entered a phase. */
  public static EventReason forMandatePhase(Phase phase) {
    return switch (Objects.requireNonNull(phase, "phase")) {
      case Active -> MANDATE_ACTIVE;
      case Suspended -> MANDATE_SUSPENDED;
      case Revoked -> MANDATE_REVOKED;
      case Expired -> MANDATE_EXPIRED;
      case Completed -> MANDATE_COMPLETED;
      case Rejected -> MANDATE_REJECTED;
    };
  }
}
