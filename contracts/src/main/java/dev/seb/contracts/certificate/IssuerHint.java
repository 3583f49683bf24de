package dev.seb.contracts.certificate;

import com.nimbusds.jose.JWSObject;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * Picks the TrustAnchor a certificate claims to come from, by its unverified {@code iss}. Only a
 * hint for which roots to verify against: everything is verified afterwards, and a wrong hint
 * simply fails verification.
 */
public final class IssuerHint {

  private IssuerHint() {}

  /** The {@code iss} claim of a compact JWS, read without verification. */
  public static Optional<String> unverifiedIssuer(String compact) {
    return unverifiedClaim(compact, "iss");
  }

  /** Any claim of a compact JWS, read without verification, as text. */
  public static Optional<String> unverifiedClaim(String compact, String name) {
    if (compact == null
        || compact.isBlank()
        || compact.length() > dev.seb.contracts.jose.Jws.MAX_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JWSObject.parse(compact.trim()).getPayload().toJSONObject())
          .map(claims -> claims.get(name))
          .map(Object::toString);
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The anchor whose {@code sabId} is the certificate's claimed issuer. */
  public static Optional<TrustAnchor> anchorFor(String certificate, List<TrustAnchor> anchors) {
    return unverifiedIssuer(certificate)
        .flatMap(
            issuer ->
                anchors.stream()
                    .filter(a -> a.getSpec() != null && issuer.equals(a.getSpec().sabId()))
                    .findFirst());
  }
}
