package dev.seb.contracts.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * An {@code x5c} chain that {@link CertificateChainValidator} accepted: the leaf whose key may be
 * used to check a signature, the path up to (not including) the root, and the root it ends at.
 *
 * @param leaf the end-entity certificate, {@code x5c[0]}
 * @param path the validated path, leaf first, without the root
 * @param root the TrustAnchor root the path chains to
 */
public record ValidatedChain(
    X509Certificate leaf, List<X509Certificate> path, X509Certificate root) {

  /** A chain; the path is copied. */
  public ValidatedChain {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(root, "root");
    path = List.copyOf(path);
  }

  /** Whether every certificate of the chain, root included, is valid at the instant. */
  boolean validAt(Instant now) {
    Date at = Date.from(now);
    for (X509Certificate certificate : path) {
      if (at.before(certificate.getNotBefore()) || at.after(certificate.getNotAfter())) {
        return false;
      }
    }
    return !at.before(root.getNotBefore()) && !at.after(root.getNotAfter());
  }
}
