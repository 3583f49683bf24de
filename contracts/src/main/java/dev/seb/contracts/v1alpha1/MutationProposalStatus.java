package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.seb.contracts.ReasonCode;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The broker's decision on a proposal and what came of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MutationProposalStatus extends SebStatus {

  /** The three decisions. */
  public enum Decision {
    ADMIT,
    DENY,
    HOLD
  }

  @JsonPropertyDescription("The submitter, copied from the seb.dev/submitted-by stamp.")
  private String submittedBy;

  @JsonPropertyDescription("sha256 digest of the canonical spec with namespace, name and uid.")
  private String proposalDigest;

  @JsonPropertyDescription(
      "ADMIT, DENY or HOLD; HOLD waits for approvals (APPROVAL_REQUIRED). An admitted proposal"
          + " that was not executed is DENY. Mirrors the signed records, which are authoritative.")
  private Decision decision;

  @JsonPropertyDescription("Why, as reason codes with messages; the first is the deciding one.")
  private List<Reason> reasons = new ArrayList<>();

  @JsonPropertyDescription(
      "Whether the mutation was performed; always set once decided, false for every denial and"
          + " hold.")
  private Boolean executed;

  @JsonPropertyDescription(
      "Name of the signed decision (or denial) ExecutionRecord in this namespace; the record is"
          + " authoritative.")
  private String decisionRecord;

  @JsonPropertyDescription(
      "Name of the signed outcome ExecutionRecord in this namespace; the record is"
          + " authoritative.")
  private String outcomeRecord;

  @JsonPropertyDescription("When the decision was made (RFC 3339).")
  private String decidedAt;

  @JsonPropertyDescription("When execution finished (RFC 3339).")
  private String completedAt;

  @JsonPropertyDescription(
      "The broker instance deciding or executing the proposal right now, set with an update"
          + " conditioned on the resourceVersion so only one broker holds it. After expiresAt"
          + " another broker recovers what the holder left; kept after the decision as the last"
          + " holder.")
  private Claim claim;

  public String getSubmittedBy() {
    return submittedBy;
  }

  public void setSubmittedBy(String submittedBy) {
    this.submittedBy = submittedBy;
  }

  public String getProposalDigest() {
    return proposalDigest;
  }

  public void setProposalDigest(String proposalDigest) {
    this.proposalDigest = proposalDigest;
  }

  public Decision getDecision() {
    return decision;
  }

  public void setDecision(Decision decision) {
    this.decision = decision;
  }

  public List<Reason> getReasons() {
    return reasons;
  }

  public void setReasons(List<Reason> reasons) {
    this.reasons = reasons == null ? new ArrayList<>() : reasons;
  }

  public Boolean getExecuted() {
    return executed;
  }

  public void setExecuted(Boolean executed) {
    this.executed = executed;
  }

  public String getDecisionRecord() {
    return decisionRecord;
  }

  public void setDecisionRecord(String decisionRecord) {
    this.decisionRecord = decisionRecord;
  }

  public String getOutcomeRecord() {
    return outcomeRecord;
  }

  public void setOutcomeRecord(String outcomeRecord) {
    this.outcomeRecord = outcomeRecord;
  }

  public String getDecidedAt() {
    return decidedAt;
  }

  public void setDecidedAt(String decidedAt) {
    this.decidedAt = decidedAt;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }

  @Override
  @JsonPropertyDescription(
      "Set by the broker, the only writer. Decided: True once the broker has decided, with reason"
          + " ADMIT, HOLD or, for a denial, the deciding reason code (for example"
          + " SCOPE_VIOLATION), the message naming the field; once True it never changes."
          + " Decided=False ReconcileError while an error keeps the broker from deciding (it"
          + " retries). Executed: True once the mutation was performed; False with the reason"
          + " when it was not (Held, the denial's code, IDENTITY_MINT_FAILED, DRIFT_DETECTED,"
          + " EXECUTION_FAILED). `kubectl wait --for=condition=Decided smp/<name>` returns at the"
          + " decision. The signed records are authoritative; the status is a readable copy.")
  public List<Condition> getConditions() {
    return super.getConditions();
  }

  public Claim getClaim() {
    return claim;
  }

  public void setClaim(Claim claim) {
    this.claim = claim;
  }

  /**
   * A broker's claim on a proposal.
   *
   * @param holder the broker instance (its record chain id)
   * @param process the process of that instance (a restarted instance is another process)
   * @param expiresAt when the claim lapses (RFC 3339)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Claim(
      @JsonPropertyDescription("The broker instance, as its record chain is named.") String holder,
      @JsonPropertyDescription("The process of that instance that holds the claim.") String process,
      @JsonPropertyDescription("When the claim lapses (RFC 3339).") String expiresAt) {}

  /** One reason: a code and a message naming what failed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Reason(
      @JsonPropertyDescription("The reason code.") ReasonCode code,
      @JsonPropertyDescription("What failed, naming the field.") String message) {}
}
