package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Whether a contract is certified right now, and by which certificate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExecutionContractStatus extends SebStatus {

  @JsonPropertyDescription("sha256 digest of the RFC 8785 canonical spec without certificate.")
  private String digest;

  @JsonPropertyDescription("Summary of the verified certificate.")
  private CertificateSummary certificate;

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public CertificateSummary getCertificate() {
    return certificate;
  }

  public void setCertificate(CertificateSummary certificate) {
    this.certificate = certificate;
  }

  /** What a verified certificate says. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CertificateSummary(
      @JsonPropertyDescription("Certificate serial (jti).") String serial,
      @JsonPropertyDescription("Issuing SAB (iss).") String issuer,
      @JsonPropertyDescription("Start of validity (RFC 3339).") String notBefore,
      @JsonPropertyDescription("End of validity (RFC 3339).") String notAfter,
      @JsonPropertyDescription("Policy epoch the certificate was issued under.") Long policyEpoch,
      @JsonPropertyDescription("Revocation epoch the certificate was issued under.")
          Long revocationEpoch) {}
}
