/**
 * X.509 for seb: a SAB's root bundle ({@link dev.seb.contracts.pki.TrustRoots}) and {@code x5c}
 * chain validation to it ({@link dev.seb.contracts.pki.CertificateChainValidator}) at an injected
 * clock's instant. Revocation comes from signed epoch statements, not CRLs or OCSP.
 */
package dev.seb.contracts.pki;
