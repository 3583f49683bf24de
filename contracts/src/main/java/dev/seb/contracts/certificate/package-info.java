/**
 * Verification of the SAB certificate an {@code ExecutionContract} carries: {@link
 * dev.seb.contracts.certificate.ContractCertificateVerifier} turns {@code spec.certificate} into a
 * {@link dev.seb.contracts.certificate.VerifiedCertificate} or a reasoned refusal.
 */
package dev.seb.contracts.certificate;
