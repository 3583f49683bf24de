package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The verified state of a TrustAnchor: the epochs currently in force.
 *
 * <p>Written only by the seb operator, on every change of the anchor and at the statement's expiry.
 * Condition {@code Ready}: True (reason {@code Verified}) while the latest epoch statement verifies
 * and is fresh; False with the reason code of the failing check (for example {@code
 * EPOCH_STATEMENT_STALE}, {@code CERTIFICATE_INVALID}; {@code EpochRollback} when the statement is
 * below the high-water mark, whose epochs the status then keeps), or with {@code ReconcileError}
 * when the operator failed to evaluate the anchor (the message says why; the operator retries).
 *
 * <p>The broker verifies the statement itself and keeps its own durable high-water mark; it never
 * trusts this status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustAnchorStatus extends SebStatus {

  @JsonPropertyDescription("Minimum policy epoch from the verified statement (high-water mark).")
  private Long policyEpoch;

  @JsonPropertyDescription(
      "Current revocation epoch from the verified statement (high-water mark).")
  private Long revocationEpoch;

  @JsonPropertyDescription("Serials of revoked certificates from the verified statement.")
  private List<String> revokedSerials = new ArrayList<>();

  @JsonPropertyDescription("When the verified statement was issued (RFC 3339).")
  private String statementIssuedAt;

  @JsonPropertyDescription(
      "When the verified statement expires (RFC 3339); after it, every decision fails closed.")
  private String statementExpiresAt;

  @Override
  @JsonPropertyDescription(
      "Set by the seb operator when the anchor changes and when its epoch statement expires."
          + " Ready: True (reason Verified) while the latest epoch statement verifies and is"
          + " fresh; False with the reason code of the failing check (for example"
          + " EPOCH_STATEMENT_STALE), EpochRollback for a statement below the high-water mark"
          + " (the epochs shown stay), or ReconcileError when the operator failed to evaluate the"
          + " anchor (the message says why; the operator retries). A hint: the broker never"
          + " trusts it; it verifies the statement itself and keeps its own high-water mark.")
  public List<Condition> getConditions() {
    return super.getConditions();
  }

  public Long getPolicyEpoch() {
    return policyEpoch;
  }

  public void setPolicyEpoch(Long policyEpoch) {
    this.policyEpoch = policyEpoch;
  }

  public Long getRevocationEpoch() {
    return revocationEpoch;
  }

  public void setRevocationEpoch(Long revocationEpoch) {
    this.revocationEpoch = revocationEpoch;
  }

  public List<String> getRevokedSerials() {
    return revokedSerials;
  }

  public void setRevokedSerials(List<String> revokedSerials) {
    this.revokedSerials = revokedSerials == null ? new ArrayList<>() : revokedSerials;
  }

  public String getStatementIssuedAt() {
    return statementIssuedAt;
  }

  public void setStatementIssuedAt(String statementIssuedAt) {
    this.statementIssuedAt = statementIssuedAt;
  }

  public String getStatementExpiresAt() {
    return statementExpiresAt;
  }

  public void setStatementExpiresAt(String statementExpiresAt) {
    this.statementExpiresAt = statementExpiresAt;
  }
}
