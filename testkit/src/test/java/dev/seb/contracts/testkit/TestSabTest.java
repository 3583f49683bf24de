package dev.seb.contracts.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TestSabTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestSab SAB = TestSab.create(CLOCK);

  @Test
  void certificateDefaults_followTheClock_andHandOutFreshSerials() throws Exception {
    JsonNode spec = CanonicalJson.mapper().readTree("{\"reversibility\":\"reversible\"}");
    var first = SAB.certificate(spec, "ns", "c").claims();
    var second = SAB.certificate(spec, "ns", "c").claims();

    assertThat(first)
        .containsEntry("iss", SAB.sabId())
        .containsEntry("sub", Digests.contract(spec))
        .containsEntry("contract", "ns/c")
        .containsEntry("nbf", NOW.getEpochSecond() - 60)
        .containsEntry("exp", NOW.getEpochSecond() + 3600)
        .containsEntry("policyEpoch", 1L)
        .containsEntry("revocationEpoch", 1L)
        .doesNotContainKey("aud");
    assertThat(first.get("jti")).isNotEqualTo(second.get("jti"));
  }

  @Test
  void attach_returnsACertifiedCopy_thatTheVerifierAccepts() throws Exception {
    ObjectNode spec = (ObjectNode) CanonicalJson.mapper().readTree("{\"operations\":[]}");
    ObjectNode certified = SAB.certificate(spec, "ns", "c").attach();

    assertThat(spec.has("certificate")).isFalse();
    assertThat(
            ContractCertificateVerifier.ignoringAudience(SAB.sabId(), SAB.roots())
                .verify(certified, "ns", "c", CLOCK)
                .contract())
        .isEqualTo("ns/c");
  }

  @Test
  void headers_carryTheChain_andTheAlgorithmOfTheLeafKey() {
    TestSab ec = TestSab.builder().clock(CLOCK).es256().build();

    assertThat(Forge.header(SAB.epochStatement().sign()))
        .containsEntry("alg", "EdDSA")
        .containsEntry("x5c", SAB.x5c());
    assertThat(Forge.header(ec.epochStatement().sign())).containsEntry("alg", "ES256");
  }

  @Test
  void algNone_hasNoneHeader_andEmptySignature() {
    String forged = Forge.algNone(SAB.epochStatement().sign());

    assertThat(forged).endsWith(".");
    assertThat(Forge.header(forged)).containsEntry("alg", "none");
  }
}
