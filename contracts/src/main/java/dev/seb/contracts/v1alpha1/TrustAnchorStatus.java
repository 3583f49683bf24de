package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The verified state of a TrustAnchor: the epochs currently in force. */
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
