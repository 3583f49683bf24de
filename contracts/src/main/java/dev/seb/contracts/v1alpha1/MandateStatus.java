package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The authoritative state of a mandate. */
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
      "Active, Suspended, Revoked, Expired, Completed, or Rejected (invalid delegation).")
  private Phase phase;

  @JsonPropertyDescription("Why the mandate is in its phase.")
  private String message;

  @JsonPropertyDescription("The revocation record, once revoked.")
  private RevocationRecord revocation;

  @JsonPropertyDescription("Mandate names from the root grant down to this one.")
  private List<String> delegationChain = new ArrayList<>();

  @JsonPropertyDescription("Increases whenever the effective authority changes.")
  private Long version;

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
      @JsonPropertyDescription("Who revoked.") String requestedBy,
      @JsonPropertyDescription("Why.") String reason,
      @JsonPropertyDescription("When (RFC 3339).") String revokedAt,
      @JsonPropertyDescription(
              "Name of the ended ancestor, when the revocation cascaded from a parent.")
          String cascadedFrom,
      @JsonPropertyDescription("Child mandates ended with this one.") List<String> cascadedTo,
      @JsonPropertyDescription("Open proposals halted by the revocation.")
          List<String> haltedProposals) {}
}
