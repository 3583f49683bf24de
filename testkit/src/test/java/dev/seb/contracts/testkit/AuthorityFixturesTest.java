package dev.seb.contracts.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.certificate.VerifiedCertificate;
import dev.seb.contracts.epoch.EpochPolicy;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.epoch.VerifiedEpochStatement;
import dev.seb.contracts.pki.TrustRoots;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Static golden and tampered authority fixtures, side by side in {@code
 * src/test/resources/dev/seb/contracts/testkit/fixtures/}: a SAB root bundle, an epoch statement
 * and contract certificates over {@code contract-spec.yaml} for {@code shop/scale-web}, each listed
 * in {@code expected.properties} with the outcome at 2030-01-01T00:00:00Z ({@code OK} or a reason
 * code). They pin the wire format: a change on either side of the verifier shows up here.
 *
 * <p>To regenerate (new keys): {@code ./mvnw -pl contracts test -Dtest=AuthorityFixturesTest
 * -Dseb.fixtures.update=true}, then commit.
 */
class AuthorityFixturesTest {

  static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);
  static final String NS = "shop";
  static final String NAME = "scale-web";
  static final String DIR = "fixtures/";
  static final Path SOURCE = Path.of("src/test/resources/dev/seb/contracts/testkit/fixtures");

  @Test
  void everyFixture_hasItsExpectedOutcome() throws Exception {
    if (Boolean.getBoolean("seb.fixtures.update")) {
      regenerate();
    }
    TrustRoots roots = TrustRoots.fromPem(read("roots.pem"), "spec.rootCertificates");
    String sabId = read("sab-id.txt").trim();
    JsonNode spec = new YAMLMapper().readTree(read("contract-spec.yaml"));
    VerifiedEpochStatement statement =
        new EpochStatementVerifier(sabId, roots).verify(read("epoch-statement.jws"), CLOCK);
    ContractCertificateVerifier verifier =
        ContractCertificateVerifier.forBroker(sabId, roots, "broker.shop.example");

    Properties expected = new Properties();
    try (Reader in = new StringReader(read("expected.properties"))) {
      expected.load(in);
    }
    assertThat(expected).hasSizeGreaterThan(10);
    for (String file : new TreeSet<>(expected.stringPropertyNames())) {
      String outcome = expected.getProperty(file);
      ObjectNode signed = ((ObjectNode) spec.deepCopy()).put("certificate", read(file).trim());
      if ("OK".equals(outcome)) {
        assertThatCode(
                () -> EpochPolicy.check(verifier.verify(signed, NS, NAME, CLOCK), statement, CLOCK))
            .as(file)
            .doesNotThrowAnyException();
      } else {
        VerificationException e =
            catchThrowableOfType(
                () -> {
                  VerifiedCertificate cert = verifier.verify(signed, NS, NAME, CLOCK);
                  EpochPolicy.check(cert, statement, CLOCK);
                },
                VerificationException.class);
        assertThat(e).as(file + " must be rejected").isNotNull();
        assertThat(e.reason()).as(file + ": " + e.getMessage()).hasToString(outcome);
        assertThat(e.getMessage()).as(file).contains("spec.");
      }
    }
  }

  /** Writes a fresh set of fixtures into the source tree (then read back from there). */
  private static void regenerate() throws IOException {
    TestSab sab = TestSab.create("sab.fixtures.seb.dev", CLOCK);
    TestSab impostor = TestSab.create(sab.sabId(), CLOCK);
    JsonNode spec = new YAMLMapper().readTree(read("contract-spec.yaml"));
    Instant nbf = AT.minusSeconds(3600);
    Instant exp = AT.plusSeconds(6 * 3600);

    Map<String, String> files = new LinkedHashMap<>();
    Map<String, String> outcome = new LinkedHashMap<>();
    files.put("sab-id.txt", sab.sabId() + "\n");
    files.put("roots.pem", sab.rootsPem());
    files.put(
        "epoch-statement.jws",
        sab.epochStatement()
                .issuedAt(AT.minusSeconds(600))
                .expiresAt(AT.plusSeconds(3 * 3600))
                .minPolicyEpoch(3)
                .revocationEpoch(7)
                .revoke("cert-revoked")
                .sign()
            + "\n");

    String golden = cert(sab, spec, nbf, exp).serial("cert-golden").sign();
    put(files, outcome, "golden.jws", golden, "OK");
    put(
        files,
        outcome,
        "tampered-exp.jws",
        Forge.withClaims(golden, c -> c.put("exp", AT.plusSeconds(999_999).getEpochSecond())),
        "CERTIFICATE_INVALID");
    put(
        files,
        outcome,
        "tampered-policy-epoch.jws",
        Forge.withClaims(golden, c -> c.put("policyEpoch", 99L)),
        "CERTIFICATE_INVALID");
    put(files, outcome, "alg-none.jws", Forge.algNone(golden), "CERTIFICATE_INVALID");
    put(files, outcome, "hs256.jws", Forge.hmac(golden, new byte[32]), "CERTIFICATE_INVALID");
    put(
        files,
        outcome,
        "alg-swapped.jws",
        Forge.withHeader(golden, h -> h.put("alg", "ES256")),
        "CERTIFICATE_INVALID");
    put(files, outcome, "truncated.jws", Forge.truncated(golden), "CERTIFICATE_INVALID");
    put(
        files,
        outcome,
        "foreign-chain.jws",
        cert(impostor, spec, nbf, exp).sign(),
        "UNTRUSTED_ISSUER");
    put(
        files,
        outcome,
        "wrong-issuer.jws",
        cert(sab, spec, nbf, exp).issuer("sab.elsewhere").sign(),
        "UNTRUSTED_ISSUER");
    put(
        files,
        outcome,
        "wrong-digest.jws",
        cert(sab, spec, nbf, exp).digest(CanonicalJson.sha256("another contract")).sign(),
        "CONTRACT_DIGEST_MISMATCH");
    put(
        files,
        outcome,
        "other-contract.jws",
        cert(sab, spec, nbf, exp).contract("shop/scale-api").sign(),
        "CONTRACT_DIGEST_MISMATCH");
    put(
        files,
        outcome,
        "not-yet-valid.jws",
        cert(sab, spec, AT.plusSeconds(60), exp).sign(),
        "CERTIFICATE_NOT_YET_VALID");
    put(
        files,
        outcome,
        "expired.jws",
        cert(sab, spec, AT.minusSeconds(7200), AT.minusSeconds(1)).sign(),
        "CERTIFICATE_EXPIRED");
    put(
        files,
        outcome,
        "revoked.jws",
        cert(sab, spec, nbf, exp).serial("cert-revoked").sign(),
        "CERTIFICATE_REVOKED");
    put(
        files,
        outcome,
        "stale-revocation-epoch.jws",
        cert(sab, spec, nbf, exp).revocationEpoch(6).sign(),
        "REVOCATION_EPOCH_STALE");
    put(
        files,
        outcome,
        "stale-policy-epoch.jws",
        cert(sab, spec, nbf, exp).policyEpoch(2).sign(),
        "POLICY_EPOCH_STALE");

    StringBuilder props =
        new StringBuilder(
            "# fixture = outcome at 2030-01-01T00:00:00Z for shop/scale-web (see"
                + " AuthorityFixturesTest)\n");
    outcome.forEach((file, result) -> props.append(file).append('=').append(result).append('\n'));
    files.put("expected.properties", props.toString());
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(SOURCE.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
    }
  }

  private static TestSab.CertificateBuilder cert(
      TestSab sab, JsonNode spec, Instant nbf, Instant exp) {
    return sab.certificate(spec, NS, NAME)
        .notBefore(nbf)
        .notAfter(exp)
        .policyEpoch(3)
        .revocationEpoch(7);
  }

  private static void put(
      Map<String, String> files, Map<String, String> outcome, String name, String jws, String r) {
    files.put(name, jws + "\n");
    outcome.put(name, r);
  }

  private static String read(String name) throws IOException {
    if (Boolean.getBoolean("seb.fixtures.update") && Files.exists(SOURCE.resolve(name))) {
      return Files.readString(SOURCE.resolve(name));
    }
    try (InputStream in = AuthorityFixturesTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IOException("missing fixture " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
