package dev.seb.contracts.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.testkit.TestSab;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Validated chains are remembered per TrustRoots, but never outside their validity window. */
class ChainCacheTest {

  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void rememberedChain_isReturnedAgainWithinItsValidity() throws Exception {
    TestSab sab = TestSab.create(at(NOW));
    TrustRoots roots = sab.roots();
    ValidatedChain first = CertificateChainValidator.validate(sab.x5c(), roots, at(NOW), "x5c");
    ValidatedChain second =
        CertificateChainValidator.validate(sab.x5c(), roots, at(NOW.plusSeconds(60)), "x5c");
    assertThat(second).isSameAs(first);
  }

  @Test
  void rememberedChain_isRevalidatedOnceTheLeafExpired() throws Exception {
    TestSab sab =
        TestSab.builder()
            .clock(at(NOW))
            .leafValidity(NOW.minusSeconds(3600), NOW.plusSeconds(60))
            .build();
    TrustRoots roots = sab.roots();
    CertificateChainValidator.validate(sab.x5c(), roots, at(NOW), "x5c");
    assertThatThrownBy(
            () ->
                CertificateChainValidator.validate(
                    sab.x5c(), roots, at(NOW.plusSeconds(120)), "x5c"))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.CERTIFICATE_EXPIRED));
  }

  @Test
  void chainValidForOneRootSet_isNotRememberedForAnother() throws Exception {
    TestSab sab = TestSab.create(at(NOW));
    TestSab other = TestSab.create(at(NOW));
    CertificateChainValidator.validate(sab.x5c(), sab.roots(), at(NOW), "x5c");
    assertThatThrownBy(
            () -> CertificateChainValidator.validate(sab.x5c(), other.roots(), at(NOW), "x5c"))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.UNTRUSTED_ISSUER));
  }
}
