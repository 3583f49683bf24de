package dev.seb.contracts.record;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a record says, before the chain gives it a place ({@code chain}, {@code seq}, {@code prev})
 * and a time ({@code iat}). The constructor enforces the rules every record obeys, so that the
 * broker cannot even sign an incoherent record:
 *
 * <ul>
 *   <li>{@code decision}, {@code outcome} and {@code denial} records name a proposal and a
 *       decision;
 *   <li>only an {@code outcome} record of an {@code ADMIT} decision may say {@code executed: true};
 *       a decision or denial record never does;
 *   <li>a {@code denial} record never carries {@code ADMIT};
 *   <li>anything that did not execute as admitted (decision {@code DENY} or {@code HOLD}, a {@code
 *       denial}, an {@code outcome} with {@code executed: false}) carries at least one reason;
 *   <li>{@code break-glass} and {@code unprotect} records, and only they, name the admission they
 *       are about, and carry no proposal and no decision.
 * </ul>
 *
 * @param kind what the record is
 * @param proposal the proposal it is about; required for decision, outcome and denial records
 * @param mandate the mandate relied on, if one was found
 * @param contract the contract relied on, if one was found
 * @param decision ADMIT, DENY or HOLD; required for decision, outcome and denial records
 * @param reasons why, the first being the deciding one; never null, may be empty for an admission
 * @param executed whether the mutation was performed; always stated
 * @param identity the minted identity, if one was minted
 * @param preState digest of the live state the decision was checked against, if read
 * @param postState digest of the state after the mutation, if it ran
 * @param decidedAt when the decision was made, if this record reports one
 * @param completedAt when execution finished, for outcome records
 * @param admission the admitted write a break-glass or unprotect record is about
 */
public record RecordDraft(
    Kind kind,
    ProposalRef proposal,
    MandateRef mandate,
    ContractRef contract,
    Decision decision,
    List<Reason> reasons,
    boolean executed,
    MintedIdentity identity,
    String preState,
    String postState,
    Instant decidedAt,
    Instant completedAt,
    AdmissionNotice admission) {

  /** A draft about no admission: every kind but break-glass and unprotect. */
  public RecordDraft(
      Kind kind,
      ProposalRef proposal,
      MandateRef mandate,
      ContractRef contract,
      Decision decision,
      List<Reason> reasons,
      boolean executed,
      MintedIdentity identity,
      String preState,
      String postState,
      Instant decidedAt,
      Instant completedAt) {
    this(
        kind,
        proposal,
        mandate,
        contract,
        decision,
        reasons,
        executed,
        identity,
        preState,
        postState,
        decidedAt,
        completedAt,
        null);
  }

  /**
   * The record of an admission the broker is told about: {@code kind} is {@code break-glass} or
   * {@code unprotect}.
   */
  public static RecordDraft notice(Kind kind, AdmissionNotice admission) {
    return builder(kind).admission(Objects.requireNonNull(admission, "admission")).build();
  }

  /** Whether records of this kind are about an admission rather than a proposal. */
  public static boolean aboutAdmission(Kind kind) {
    return kind == Kind.BREAK_GLASS || kind == Kind.UNPROTECT;
  }

  /** Checks the rules above; throws {@link IllegalArgumentException} naming the broken one. */
  public RecordDraft {
    Objects.requireNonNull(kind, "kind");
    reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
    for (int i = 0; i < reasons.size(); i++) {
      Reason r = reasons.get(i);
      if (r.code() == null || r.message() == null) {
        throw new IllegalArgumentException("reasons[" + i + "] needs a code and a message");
      }
    }
    Digest.optional(preState, "preState");
    Digest.optional(postState, "postState");
    boolean aboutProposal = kind == Kind.DECISION || kind == Kind.OUTCOME || kind == Kind.DENIAL;
    if (aboutProposal && proposal == null) {
      throw new IllegalArgumentException(
          "a " + RecordClaims.kindName(kind) + " record needs a proposal");
    }
    if (aboutProposal && decision == null) {
      throw new IllegalArgumentException(
          "a " + RecordClaims.kindName(kind) + " record needs a decision");
    }
    if (executed && !(kind == Kind.OUTCOME && decision == Decision.ADMIT)) {
      throw new IllegalArgumentException(
          "executed=true is only possible on an outcome record of an ADMIT decision, not on a "
              + RecordClaims.kindName(kind)
              + " record with decision "
              + decision);
    }
    if (aboutAdmission(kind)
        && (admission == null || proposal != null || decision != null || executed)) {
      throw new IllegalArgumentException(
          "a "
              + RecordClaims.kindName(kind)
              + " record names the admission it is about, and no proposal, decision or execution");
    }
    if (!aboutAdmission(kind) && admission != null) {
      throw new IllegalArgumentException(
          "only break-glass and unprotect records name an admission, not a "
              + RecordClaims.kindName(kind)
              + " record");
    }
    if (kind == Kind.DENIAL && decision == Decision.ADMIT) {
      throw new IllegalArgumentException("a denial record cannot carry decision ADMIT");
    }
    boolean notExecutedAsAdmitted =
        (decision != null && decision != Decision.ADMIT)
            || kind == Kind.DENIAL
            || (kind == Kind.OUTCOME && !executed);
    if (notExecutedAsAdmitted && reasons.isEmpty()) {
      throw new IllegalArgumentException(
          "a "
              + RecordClaims.kindName(kind)
              + " record with decision "
              + decision
              + " and executed="
              + executed
              + " must give at least one reason");
    }
  }

  /** A builder starting from the record kind; {@code executed} defaults to false. */
  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  /** Builds a {@link RecordDraft} field by field; {@link #build()} runs the checks. */
  public static final class Builder {
    private final Kind kind;
    private ProposalRef proposal;
    private MandateRef mandate;
    private ContractRef contract;
    private Decision decision;
    private final List<Reason> reasons = new ArrayList<>();
    private boolean executed;
    private MintedIdentity identity;
    private String preState;
    private String postState;
    private Instant decidedAt;
    private Instant completedAt;
    private AdmissionNotice admission;

    private Builder(Kind kind) {
      this.kind = kind;
    }

    /** Sets {@code proposal}. */
    public Builder proposal(ProposalRef proposal) {
      this.proposal = proposal;
      return this;
    }

    /** Sets {@code mandate}. */
    public Builder mandate(MandateRef mandate) {
      this.mandate = mandate;
      return this;
    }

    /** Sets {@code contract}. */
    public Builder contract(ContractRef contract) {
      this.contract = contract;
      return this;
    }

    /** Sets {@code decision}. */
    public Builder decision(Decision decision) {
      this.decision = decision;
      return this;
    }

    /** Appends a reason. */
    public Builder reason(ReasonCode code, String message) {
      this.reasons.add(new Reason(code, message));
      return this;
    }

    /** Appends reasons. */
    public Builder reasons(List<Reason> reasons) {
      this.reasons.addAll(reasons);
      return this;
    }

    /** Sets {@code executed}. */
    public Builder executed(boolean executed) {
      this.executed = executed;
      return this;
    }

    /** Sets {@code identity}. */
    public Builder identity(MintedIdentity identity) {
      this.identity = identity;
      return this;
    }

    /** Sets {@code preState}. */
    public Builder preState(String preState) {
      this.preState = preState;
      return this;
    }

    /** Sets {@code postState}. */
    public Builder postState(String postState) {
      this.postState = postState;
      return this;
    }

    /** Sets {@code decidedAt}. */
    public Builder decidedAt(Instant decidedAt) {
      this.decidedAt = decidedAt;
      return this;
    }

    /** Sets {@code completedAt}. */
    public Builder completedAt(Instant completedAt) {
      this.completedAt = completedAt;
      return this;
    }

    /** Sets {@code admission}. */
    public Builder admission(AdmissionNotice admission) {
      this.admission = admission;
      return this;
    }

    /** The draft; throws {@link IllegalArgumentException} if it breaks a record rule. */
    public RecordDraft build() {
      return new RecordDraft(
          kind,
          proposal,
          mandate,
          contract,
          decision,
          reasons,
          executed,
          identity,
          preState,
          postState,
          decidedAt,
          completedAt,
          admission);
    }
  }
}
