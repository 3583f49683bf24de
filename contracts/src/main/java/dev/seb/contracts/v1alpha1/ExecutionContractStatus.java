package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Whether a contract is certified right now, and by which certificate.
 *
 * <p>Written only by the seb operator: when the contract or any TrustAnchor changes, and at the
 * certificate's {@code notBefore} and {@code notAfter} and the epoch statement's expiry.
 * Conditions:
 *
 * <ul>
 *   <li>{@code Certified}: True (reason {@code Certified}) while the certificate verifies: chain to
 *       a TrustAnchor root, signature, digest, validity and epochs; False with the reason code of
 *       the first failing check (for example {@code CERTIFICATE_EXPIRED}, {@code UNTRUSTED_ISSUER},
 *       {@code REVOCATION_EPOCH_STALE}).
 *   <li>{@code Ready}: the same status, reason and message as {@code Certified}, or False with
 *       {@code ReconcileError} when the operator failed to evaluate the contract (then {@code
 *       Certified} keeps the last evaluation, and the operator retries).
 * </ul>
 *
 * <p>The broker verifies the certificate itself for every proposal and never trusts this status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExecutionContractStatus extends SebStatus {

  @JsonPropertyDescription("sha256 digest of the RFC 8785 canonical spec without certificate.")
  private String digest;

  @JsonPropertyDescription(
      "Summary of the certificate, once it parsed and chained to a TrustAnchor root; see the"
          + " Certified condition for whether it is in force.")
  private CertificateSummary certificate;

  @Override
  @JsonPropertyDescription(
      "Set by the seb operator when the contract or a TrustAnchor changes and when a validity"
          + " bound passes. Certified: True (reason Certified) while the certificate verifies"
          + " (chain to a TrustAnchor root, signature, digest, validity, epochs); False with the"
          + " reason code of the first failing check, for example CERTIFICATE_EXPIRED. Ready: the"
          + " same as Certified, or False with ReconcileError when the operator failed to"
          + " evaluate the contract (the message says why; Certified keeps the last evaluation"
          + " and the operator retries). A hint: the broker never trusts it and verifies the"
          + " certificate itself for every proposal.")
  public List<Condition> getConditions() {
    return super.getConditions();
  }

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
      @JsonPropertyDescription(
              "Certificate serial (jti); revoked once listed in the TrustAnchor's revokedSerials.")
          String serial,
      @JsonPropertyDescription("Issuing SAB (iss).") String issuer,
      @JsonPropertyDescription("Start of validity (RFC 3339).") String notBefore,
      @JsonPropertyDescription("End of validity (RFC 3339).") String notAfter,
      @JsonPropertyDescription("Policy epoch the certificate was issued under.") Long policyEpoch,
      @JsonPropertyDescription("Revocation epoch the certificate was issued under.")
          Long revocationEpoch) {}
}
