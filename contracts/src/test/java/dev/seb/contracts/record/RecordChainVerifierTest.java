package dev.seb.contracts.record;

import static dev.seb.contracts.record.RecordFixtures.CHAIN;
import static dev.seb.contracts.record.RecordFixturesTest.chain;
import static dev.seb.contracts.record.RecordFixturesTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.jose.Jws;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The golden chain verifies; each tampered variant next to it is caught and named. */
class RecordChainVerifierTest {

  private static JWKSet trusted() throws Exception {
    return JWKSet.parse(resource("broker-jwks.json"));
  }

  private static Map<String, PublicKey> trustedMap() {
    return Map.of(
        TestKeys.BROKER.getKeyID(), TrustedKeys.toPublicKey(TestKeys.BROKER.toPublicJWK()));
  }

  @Test
  void goldenChain_verifies_withDecisionOutcomeAndDenialsStatingExecuted() throws Exception {
    List<String> golden = chain("golden-chain.txt");

    ChainSummary summary = RecordChainVerifier.verify(golden, trusted(), CHAIN);

    assertThat(summary.count()).isEqualTo(4);
    assertThat(summary.firstSeq()).isZero();
    assertThat(summary.lastSeq()).isEqualTo(3);
    assertThat(summary.headDigest()).isEqualTo(CanonicalJson.sha256(golden.get(3)));
    assertThat(summary.next()).isEqualTo(new ChainHead(4, summary.headDigest()));
    assertThat(summary.records())
        .extracting(RecordClaims::kind, RecordClaims::decision, RecordClaims::executed)
        .containsExactly(
            Tuple.tuple(Kind.DECISION, Decision.ADMIT, false),
            Tuple.tuple(Kind.OUTCOME, Decision.ADMIT, true),
            Tuple.tuple(Kind.DENIAL, Decision.DENY, false),
            Tuple.tuple(Kind.DENIAL, Decision.DENY, false));
    assertThat(summary.records().get(2).content().reasons().get(0).code())
        .isEqualTo(ReasonCode.SCOPE_VIOLATION);
  }

  @Test
  void goldenChain_verifies_againstAKidToKeyMapToo() throws Exception {
    assertThat(RecordChainVerifier.verify(chain("golden-chain.txt"), trustedMap(), CHAIN).count())
        .isEqualTo(4);
  }

  @Test
  void goldenChain_reparsed_isWhatTheSignerWrote() throws Exception {
    ChainSummary summary = RecordChainVerifier.verify(chain("golden-chain.txt"), trusted(), CHAIN);
    assertThat(summary.records())
        .extracting(RecordClaims::content)
        .containsExactlyElementsOf(RecordFixtures.goldenDrafts());
  }

  @Test
  void editedPayload_reSignedByTheBrokerKey_breaksTheNextLink() {
    assertBroken("tampered-edited-resigned.txt")
        .hasMessageStartingWith("record seq 2: prev")
        .hasMessageContaining("is not the digest of record seq 1")
        .hasMessageContaining("edited or replaced");
  }

  @Test
  void editedPayload_notReSigned_failsItsSignature() {
    assertBroken("tampered-edited-unsigned.txt")
        .hasMessageContaining("expected seq 2")
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void missingRecord_isAGap_namingTheMissingSeq() {
    assertBroken("tampered-gap.txt")
        .hasMessageStartingWith("gap: seq 1 missing before record seq 2 at position 1");
  }

  @Test
  void swappedRecords_areOutOfOrder() {
    assertBroken("tampered-reorder.txt")
        .hasMessage("records out of order: seq 2 at position 1 comes before seq 1 at position 2");
  }

  @Test
  void repeatedRecord_isADuplicate() {
    assertBroken("tampered-duplicate.txt")
        .hasMessage("record at position 2 repeats seq 1 (duplicate); expected seq 2");
  }

  @Test
  void recordSignedByAForeignKeyUnderTheBrokersKid_breaksTheChain() {
    assertBroken("tampered-foreign-key.txt")
        .hasMessageContaining("expected seq 2")
        .hasMessageContaining("signature does not verify")
        .hasMessageContaining("foreign key");
  }

  @Test
  void recordSignedWithAnUnknownKid_breaksTheChain() {
    assertBroken("tampered-unknown-kid.txt")
        .hasMessageContaining("expected seq 2")
        .hasMessageContaining("unknown key id '" + TestKeys.FOREIGN.getKeyID() + "'");
  }

  @Test
  void algNone_isRejected() {
    assertBroken("tampered-alg-none.txt")
        .hasMessageStartingWith("record at position 1 (expected seq 1) is not a compact JWS");
  }

  @Test
  void recordOfAnotherChain_isRejected() {
    assertBroken("tampered-wrong-chain.txt")
        .hasMessage("record seq 2 belongs to chain 'broker-1', expected 'broker-0'");
  }

  @Test
  void wholeChainUnderTheWrongExpectedId_isRejectedAtSeqZero() {
    assertThatThrownBy(
            () -> RecordChainVerifier.verify(chain("golden-chain.txt"), trustedMap(), "broker-9"))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.RECORD_CHAIN_BROKEN))
        .hasMessage("record seq 0 belongs to chain 'broker-0', expected 'broker-9'");
  }

  @Test
  void recordWithoutExecuted_isRejected() {
    assertBroken("tampered-missing-executed.txt")
        .hasMessage("record seq 2: claim 'executed' is missing");
  }

  @Test
  void denialClaimingExecution_isRejected() {
    assertBroken("tampered-executed-denial.txt")
        .hasMessageStartingWith(
            "record seq 2: executed=true is only possible on an outcome record");
  }

  @Test
  void firstRecordWithAPrev_isRejected() {
    assertBroken("tampered-first-prev.txt")
        .hasMessageStartingWith("record seq 0: prev must be null on the first record");
  }

  @Test
  void continuation_mustLinkToTheGivenStart() throws Exception {
    List<String> golden = chain("golden-chain.txt");
    ChainHead afterFirst = new ChainHead(1, CanonicalJson.sha256(golden.get(0)));

    ChainSummary tail =
        RecordChainVerifier.verifyFrom(golden.subList(1, 4), trustedMap(), CHAIN, afterFirst);
    assertThat(tail.firstSeq()).isEqualTo(1);
    assertThat(tail.count()).isEqualTo(3);

    ChainHead wrongDigest = new ChainHead(1, CanonicalJson.sha256(golden.get(1)));
    assertThatThrownBy(
            () ->
                RecordChainVerifier.verifyFrom(
                    golden.subList(1, 4), trustedMap(), CHAIN, wrongDigest))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("record seq 1: prev")
        .hasMessageContaining("expected to continue from");

    assertThatThrownBy(() -> RecordChainVerifier.verify(golden.subList(1, 4), trustedMap(), CHAIN))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("seq 0");
  }

  @Test
  void emptyExport_provesNothing() {
    assertThatThrownBy(() -> RecordChainVerifier.verify(List.of(), trustedMap(), CHAIN))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.RECORD_CHAIN_BROKEN))
        .hasMessage("no records to verify");
  }

  @Test
  void whitespaceAroundARecord_isRejected_becauseTheDigestCoversTheExactString() {
    List<String> golden = new ArrayList<>(chain("golden-chain.txt"));
    golden.set(3, golden.get(3) + "\n");
    assertThatThrownBy(() -> RecordChainVerifier.verify(golden, trustedMap(), CHAIN))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("expected seq 3")
        .hasMessageContaining("whitespace");
  }

  @Test
  void garbage_failsClosed_namingThePosition() {
    List<String> golden = new ArrayList<>(chain("golden-chain.txt"));
    golden.set(1, "not.a.jws");
    assertThatThrownBy(() -> RecordChainVerifier.verify(golden, trustedMap(), CHAIN))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.RECORD_CHAIN_BROKEN))
        .hasMessageContaining("expected seq 1");
  }

  @Test
  void recordOfAnotherType_isRejected() {
    List<String> golden = new ArrayList<>(chain("golden-chain.txt"));
    golden.set(
        0,
        Jws.sign(
            Jws.headerFor(TestKeys.BROKER)
                .keyID(TestKeys.BROKER.getKeyID())
                .type(JOSEObjectType.JWT),
            RecordFixtures.payload(golden.get(0)),
            TestKeys.BROKER));
    assertThatThrownBy(() -> RecordChainVerifier.verify(golden, trustedMap(), CHAIN))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("expected seq 0")
        .hasMessageContaining("typ 'JWT'");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertBroken(String fixture) {
    return assertThatThrownBy(() -> RecordChainVerifier.verify(chain(fixture), trusted(), CHAIN))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.RECORD_CHAIN_BROKEN));
  }
}
