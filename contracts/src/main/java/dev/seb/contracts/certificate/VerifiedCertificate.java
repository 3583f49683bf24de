package dev.seb.contracts.certificate;

import dev.seb.contracts.v1alpha1.ExecutionContractStatus.CertificateSummary;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A contract certificate that {@link ContractCertificateVerifier} accepted. Only the verifier
 * creates these in production code; holding one means the signature, chain, issuer, digest,
 * contract binding and validity window were all checked at the verifier's clock.
 *
 * @param serial the certificate serial ({@code jti}); what epoch statements revoke
 * @param issuer the SAB id ({@code iss})
 * @param contract the contract it is bound to, {@code namespace/name}
 * @param contractDigest the contract digest it certifies ({@code sub})
 * @param notBefore {@code nbf}
 * @param notAfter {@code exp}
 * @param policyEpoch the policy epoch it was issued under
 * @param revocationEpoch the revocation epoch it was issued under
 * @param audience the broker ids it is restricted to ({@code aud}); empty if unrestricted
 * @param leaf the X.509 certificate whose key signed it
 */
public record VerifiedCertificate(
    String serial,
    String issuer,
    String contract,
    String contractDigest,
    Instant notBefore,
    Instant notAfter,
    long policyEpoch,
    long revocationEpoch,
    List<String> audience,
    X509Certificate leaf) {

  /** A verified certificate; the audience is copied. */
  public VerifiedCertificate {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(contractDigest, "contractDigest");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(leaf, "leaf");
    audience = List.copyOf(audience);
  }

  /** The summary {@code ExecutionContract.status.certificate} shows (times as RFC 3339). */
  public CertificateSummary summary() {
    return new CertificateSummary(
        serial, issuer, notBefore.toString(), notAfter.toString(), policyEpoch, revocationEpoch);
  }
}
