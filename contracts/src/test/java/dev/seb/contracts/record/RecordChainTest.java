package dev.seb.contracts.record;

import static dev.seb.contracts.record.RecordFixtures.CHAIN;
import static dev.seb.contracts.record.RecordFixtures.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordChainTest {

  private final List<RecordDraft> drafts = RecordFixtures.goldenDrafts();

  @Test
  void firstRecord_hasSeqZero_nullPrev_andADigestOfItsCompactJws() throws Exception {
    RecordChain chain = RecordChain.start(CHAIN, TestKeys.BROKER);
    SignedRecord first = chain.append(drafts.get(0), clockAt(0));

    assertThat(first.seq()).isZero();
    assertThat(first.prev()).isNull();
    assertThat(first.digest()).isEqualTo(CanonicalJson.sha256(first.jws()));
    assertThat(chain.head()).isEqualTo(new ChainHead(1, first.digest()));
    Map<String, Object> payload = JWSObject.parse(first.jws()).getPayload().toJSONObject();
    assertThat(payload).containsEntry("prev", null).containsEntry("executed", false);
    assertThat(payload.get("iat")).isEqualTo(RecordFixtures.T0.getEpochSecond());
  }

  @Test
  void eachRecord_linksToTheDigestOfThePreviousOne() {
    RecordChain chain = RecordChain.start(CHAIN, TestKeys.BROKER);
    SignedRecord first = chain.append(drafts.get(0), clockAt(0));
    SignedRecord second = chain.append(drafts.get(1), clockAt(2));

    assertThat(second.seq()).isEqualTo(1);
    assertThat(second.prev()).isEqualTo(first.digest());
    assertThat(second.claims().iat()).isEqualTo(RecordFixtures.T0.plusSeconds(2));
  }

  @Test
  void header_carriesEdDsa_theThumbprintKid_andTheRecordType() throws Exception {
    OctetKeyPair withoutKid = new OctetKeyPair.Builder(TestKeys.BROKER).keyID(null).build();
    RecordChain chain = RecordChain.start(CHAIN, withoutKid);
    var header = JWSObject.parse(chain.append(drafts.get(0), clockAt(0)).jws()).getHeader();

    assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    assertThat(header.getKeyID()).isEqualTo(RecordChain.thumbprint(TestKeys.BROKER));
    assertThat(header.getType()).isEqualTo(RecordChain.TYPE);
    assertThat(chain.publicKey().isPrivate()).isFalse();
    assertThat(chain.publicKey().getKeyID()).isEqualTo(header.getKeyID());
  }

  @Test
  void toSpec_copiesTheChainPositionForKubectlReaders() {
    RecordChain chain = RecordChain.start(CHAIN, TestKeys.BROKER);
    chain.append(drafts.get(0), clockAt(0));
    SignedRecord outcome = chain.append(drafts.get(1), clockAt(2));

    ExecutionRecordSpec spec = outcome.toSpec();
    assertThat(spec)
        .isEqualTo(
            new ExecutionRecordSpec(
                CHAIN,
                1L,
                Kind.OUTCOME,
                "shop/scale-web",
                outcome.prev(),
                outcome.digest(),
                outcome.jws()));
    assertThat(outcome.resourceName()).isEqualTo("broker-0-0000000001");
  }

  @Test
  void resumedChain_continuesWhereTheRestartedBrokerLeftOff_andTheWholeChainVerifies()
      throws Exception {
    List<String> golden = RecordFixturesTest.chain("golden-chain.txt");
    ChainHead head =
        new ChainHead(golden.size(), CanonicalJson.sha256(golden.get(golden.size() - 1)));

    RecordChain resumed = RecordChain.resume(CHAIN, TestKeys.BROKER, head);
    SignedRecord next = resumed.append(drafts.get(2), clockAt(60));

    assertThat(next.seq()).isEqualTo(golden.size());
    List<String> all = new ArrayList<>(golden);
    all.add(next.jws());
    ChainSummary summary =
        RecordChainVerifier.verify(all, Map.of(resumed.keyId(), publicKey()), CHAIN);
    assertThat(summary.count()).isEqualTo(golden.size() + 1);
    assertThat(summary.headDigest()).isEqualTo(next.digest());
    // the continuation alone verifies from the head it started at
    ChainSummary tail =
        RecordChainVerifier.verifyFrom(
            List.of(next.jws()), Map.of(resumed.keyId(), publicKey()), CHAIN, head);
    assertThat(tail.firstSeq()).isEqualTo(golden.size());
  }

  @Test
  void resumeAfter_readsTheHeadFromTheLastSignedRecord() throws Exception {
    List<String> golden = RecordFixturesTest.chain("golden-chain.txt");
    RecordChain resumed =
        RecordChain.resumeAfter(CHAIN, TestKeys.BROKER, golden.get(golden.size() - 1));

    assertThat(resumed.head())
        .isEqualTo(
            new ChainHead(golden.size(), CanonicalJson.sha256(golden.get(golden.size() - 1))));
  }

  @Test
  void resumeAfter_refusesARecordItDidNotSign() {
    List<String> foreign = RecordFixturesTest.chain("tampered-unknown-kid.txt");
    assertThatThrownBy(() -> RecordChain.resumeAfter(CHAIN, TestKeys.BROKER, foreign.get(2)))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.RECORD_CHAIN_BROKEN))
        .hasMessageContaining("unknown key id");
  }

  @Test
  void rejectedDraft_leavesTheHeadWhereItWas() {
    RecordChain chain = RecordChain.start(CHAIN, TestKeys.BROKER);
    chain.append(drafts.get(0), clockAt(0));
    ChainHead before = chain.head();
    RecordDraft huge =
        RecordDraft.builder(Kind.DENIAL)
            .proposal(new ProposalRef("shop", "p", "u", null))
            .decision(dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision.DENY)
            .reason(ReasonCode.INTERNAL_ERROR, "x".repeat(70_000))
            .build();

    assertThatThrownBy(() -> chain.append(huge, clockAt(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("record seq 1");
    assertThat(chain.head()).isEqualTo(before);
  }

  @Test
  void onlyPrivateEd25519Keys_andDnsSafeChainIds_areAccepted() {
    assertThatThrownBy(() -> RecordChain.start(CHAIN, TestKeys.BROKER.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private Ed25519");
    assertThatThrownBy(() -> RecordChain.start("Broker_0", TestKeys.BROKER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chain id");
    assertThat(TestKeys.BROKER.getCurve()).isEqualTo(Curve.Ed25519);
  }

  private static java.security.PublicKey publicKey() {
    return TrustedKeys.toPublicKey(TestKeys.BROKER.toPublicJWK());
  }
}
