package dev.seb.local.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.pki.TrustRoots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The local stack's development authority signs what seb's own verifiers accept, and no more. */
class LocalSabTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final LocalSab SAB = LocalSab.create("sab.local.seb.dev", CLOCK);

  private static TrustRoots roots(LocalSab sab) throws VerificationException {
    return TrustRoots.fromPem(sab.rootsPem(), "spec.rootCertificates");
  }

  private static ObjectNode spec() throws Exception {
    return (ObjectNode)
        CanonicalJson.mapper().readTree("{\"operations\":[],\"reversibility\":\"reversible\"}");
  }

  @Test
  void certificate_isAcceptedBySebsVerifier_forThatContract() throws Exception {
    ObjectNode spec = spec();
    spec.put(Digests.CERTIFICATE_FIELD, SAB.certify(spec(), "shop", "scale-web"));

    var verified =
        ContractCertificateVerifier.ignoringAudience(SAB.sabId(), roots(SAB))
            .verify(spec, "shop", "scale-web", CLOCK);

    assertThat(verified.contract()).isEqualTo("shop/scale-web");
  }

  @Test
  void certificate_doesNotCertifyAnotherContract_norAnotherSpec() throws Exception {
    ObjectNode spec = spec();
    spec.put(Digests.CERTIFICATE_FIELD, SAB.certify(spec(), "shop", "scale-web"));
    var verifier = ContractCertificateVerifier.ignoringAudience(SAB.sabId(), roots(SAB));

    assertThatThrownBy(() -> verifier.verify(spec, "shop", "other", CLOCK))
        .isInstanceOf(VerificationException.class);
    spec.put("reversibility", "irreversible");
    assertThatThrownBy(() -> verifier.verify(spec, "shop", "scale-web", CLOCK))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void certificate_ofAnotherLocalSab_isRejected() throws Exception {
    LocalSab other = LocalSab.create(SAB.sabId(), CLOCK);
    ObjectNode spec = spec();
    spec.put(Digests.CERTIFICATE_FIELD, other.certify(spec(), "shop", "scale-web"));

    assertThatThrownBy(
            () ->
                ContractCertificateVerifier.ignoringAudience(SAB.sabId(), roots(SAB))
                    .verify(spec, "shop", "scale-web", CLOCK))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void epochStatement_isAccepted_andStaleAfterAnHour() throws Exception {
    var verified =
        new EpochStatementVerifier(SAB.sabId(), roots(SAB)).verify(SAB.epochStatement(), CLOCK);

    verified.requireFresh(CLOCK);
    assertThatThrownBy(() -> verified.requireFresh(Clock.offset(CLOCK, Duration.ofHours(2))))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void hasNoForgingKnobs_onlyWellFormedStatements() {
    assertThat(
            Arrays.stream(LocalSab.class.getMethods())
                .filter(m -> m.getDeclaringClass() == LocalSab.class)
                .map(java.lang.reflect.Method::getName)
                .distinct()
                .sorted())
        .containsExactly("certify", "create", "epochStatement", "rootsPem", "sabId");
  }
}
