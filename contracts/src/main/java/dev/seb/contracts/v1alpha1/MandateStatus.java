package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's view of a mandate: its phase, why, and the delegation chain.
 *
 * <p>Written only by the seb operator, on every change of the mandate or its parent and at {@code
 * lifecycle.notAfter}. Conditions:
 *
 * <ul>
 *   <li>{@code Ready}: True while the mandate is Active (reason {@code Active}); False with the
 *       phase's reason otherwise ({@code Expired}, {@code Revoked}, {@code Completed}, {@code
 *       InvalidDelegation}, {@code ParentEnded}, {@code ParentPending}); False with {@code
 *       ReconcileError} when the operator failed to evaluate the mandate (the message says why;
 *       every other field keeps the last evaluation, and the operator retries).
 *   <li>{@code Active}: True exactly while {@link #getPhase() phase} is Active, with the same
 *       reasons; a reconcile error leaves it as the last evaluation set it.
 * </ul>
 *
 * <p>The broker does not take a mandate's authority from here: it evaluates revocation, lifecycle,
 * terminal events and every ancestor from the stored specs itself, and the phase can only make it
 * stricter (it must also be Active for the current generation).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MandateStatus extends SebStatus {

  /** Lifecycle phases. */
  public enum Phase {
    Active,
    Suspended,
    Revoked,
    Expired,
    Completed,
    Rejected
  }

  @JsonPropertyDescription(
      "Active, Suspended, Revoked, Expired, Completed, or Rejected (invalid delegation). Revoked"
          + " and Rejected are final. The broker acts only under a mandate whose phase is Active"
          + " for its current generation and whose specs still grant it.")
  private Phase phase;

  @JsonPropertyDescription("Why the mandate is in its phase.")
  private String message;

  @JsonPropertyDescription("The revocation record, once revoked.")
  private RevocationRecord revocation;

  @JsonPropertyDescription("Mandate names from the root grant down to this one.")
  private List<String> delegationChain = new ArrayList<>();

  @JsonPropertyDescription(
      "Increases whenever the effective authority changes (a new phase or a new spec"
          + " generation).")
  private Long version;

  @Override
  @JsonPropertyDescription(
      "Set by the seb operator whenever it evaluates the mandate. Ready: True while the mandate is"
          + " Active (reason Active); False with the phase's reason otherwise (Expired, Revoked,"
          + " Completed, InvalidDelegation, ParentEnded, ParentPending), or with ReconcileError"
          + " when the operator failed to evaluate it (the message says why; the other fields keep"
          + " the last evaluation and the operator retries). Active: True exactly while phase is"
          + " Active, same reasons. A hint: the broker never trusts it to grant anything; it"
          + " evaluates the mandate and its ancestors from their specs for every proposal.")
  public List<Condition> getConditions() {
    return super.getConditions();
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public RevocationRecord getRevocation() {
    return revocation;
  }

  public void setRevocation(RevocationRecord revocation) {
    this.revocation = revocation;
  }

  public List<String> getDelegationChain() {
    return delegationChain;
  }

  public void setDelegationChain(List<String> delegationChain) {
    this.delegationChain = delegationChain == null ? new ArrayList<>() : delegationChain;
  }

  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }

  /** Who revoked, when, why, and what was cascaded and halted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RevocationRecord(
      @JsonPropertyDescription(
              "Who revoked (spec.revocation.requestedBy), or seb-operator when the revocation"
                  + " cascaded from a parent.")
          String requestedBy,
      @JsonPropertyDescription("Why, as spec.revocation.reason or the parent's end.") String reason,
      @JsonPropertyDescription("When (RFC 3339).") String revokedAt,
      @JsonPropertyDescription(
              "Name of the ended ancestor, when the revocation cascaded from a parent.")
          String cascadedFrom,
      @JsonPropertyDescription("Child mandates ended with this one.") List<String> cascadedTo,
      @JsonPropertyDescription("Open proposals halted by the revocation.")
          List<String> haltedProposals) {}
}
