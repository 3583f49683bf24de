package dev.seb.contracts.record;

import static dev.seb.contracts.record.RecordFixtures.CHAIN;
import static dev.seb.contracts.record.RecordFixtures.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.jose.Jws;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Break-glass and unprotect records: signed, chained and verified like every other record. */
class AdmissionNoticeRecordTest {

  static final AdmissionNotice BREAK_GLASS =
      new AdmissionNotice(
          "ab3b66b5-232d-495a-8dd6-908c1965de68",
          "oncall",
          List.of("system:authenticated", "seb:break-glass"),
          "UPDATE",
          "",
          "configmaps",
          null,
          "shop",
          "settings");

  static final AdmissionNotice UNPROTECT =
      new AdmissionNotice(
          "0c1f2e3d-4b5a-6978-8a9b-acbdcedfe0f1",
          "alice",
          List.of("seb:protection-admins"),
          "DELETE",
          "",
          "namespaces",
          "",
          "",
          "shop");

  @Test
  void noticeRecords_signAndVerifyInAChainWithTheOthers() throws Exception {
    RecordChain chain = RecordChain.start(CHAIN, TestKeys.BROKER);
    List<RecordDraft> golden = RecordFixtures.goldenDrafts();
    String first = chain.append(golden.get(0), clockAt(0)).jws();
    SignedRecord glass =
        chain.append(RecordDraft.notice(Kind.BREAK_GLASS, BREAK_GLASS), clockAt(1));
    SignedRecord unprotect =
        chain.append(RecordDraft.notice(Kind.UNPROTECT, UNPROTECT), clockAt(2));

    ChainSummary summary =
        RecordChainVerifier.verify(
            List.of(first, glass.jws(), unprotect.jws()),
            new JWKSet(TestKeys.BROKER.toPublicJWK()),
            CHAIN);

    RecordClaims read = summary.records().get(1);
    assertThat(read.kind()).isEqualTo(Kind.BREAK_GLASS);
    assertThat(read.executed()).isFalse();
    assertThat(read.content().admission()).isEqualTo(BREAK_GLASS);
    assertThat(read.content().admission().groups())
        .containsExactly("seb:break-glass", "system:authenticated");
    assertThat(summary.records().get(2).content().admission()).isEqualTo(UNPROTECT);
    assertThat(UNPROTECT.namespace()).isNull();
    assertThat(UNPROTECT.subresource()).isNull();
    Map<String, Object> payload = JWSObject.parse(glass.jws()).getPayload().toJSONObject();
    assertThat(payload).containsEntry("kind", "break-glass").doesNotContainKey("proposal");
    assertThat(glass.toSpec().kind()).isEqualTo(Kind.BREAK_GLASS);
    assertThat(glass.toSpec().proposalRef()).isNull();
  }

  @Test
  void aNoticeRecord_withoutItsAdmission_orWithADecision_cannotBeDrafted() {
    assertThatThrownBy(() -> RecordDraft.builder(Kind.BREAK_GLASS).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("break-glass record names the admission");
    assertThatThrownBy(
            () ->
                RecordDraft.builder(Kind.UNPROTECT)
                    .admission(UNPROTECT)
                    .decision(Decision.ADMIT)
                    .build())
        .hasMessageContaining("unprotect record names the admission");
    assertThatThrownBy(
            () ->
                RecordDraft.builder(Kind.DECISION)
                    .proposal(new ProposalRef("shop", "p", "u", null))
                    .decision(Decision.ADMIT)
                    .admission(BREAK_GLASS)
                    .build())
        .hasMessageContaining("only break-glass and unprotect records name an admission");
  }

  @Test
  void admissionFields_areCheckedByName() {
    assertThatThrownBy(
            () ->
                new AdmissionNotice(
                    "../../x", "oncall", List.of(), "UPDATE", "", "configmaps", null, "s", "n"))
        .hasMessageContaining("admission.uid");
    assertThatThrownBy(
            () -> new AdmissionNotice("u1", " ", List.of(), "UPDATE", "", "pods", null, "s", "n"))
        .hasMessageContaining("admission.user");
    assertThatThrownBy(
            () -> new AdmissionNotice("u1", "a", List.of(), "PATCH", "", "pods", null, "s", "n"))
        .hasMessageContaining("admission.operation");
  }

  @Test
  void aTamperedAdmissionClaim_isABrokenRecord() throws Exception {
    RecordChain chain = RecordChain.start(CHAIN, TestKeys.BROKER);
    SignedRecord glass =
        chain.append(RecordDraft.notice(Kind.BREAK_GLASS, BREAK_GLASS), clockAt(0));
    Map<String, Object> claims =
        new LinkedHashMap<>(JWSObject.parse(glass.jws()).getPayload().toJSONObject());
    @SuppressWarnings("unchecked")
    Map<String, Object> admission =
        new LinkedHashMap<>((Map<String, Object>) claims.get("admission"));
    admission.put("extra", "x");
    claims.put("admission", admission);
    String forged =
        Jws.sign(
            Jws.headerFor(TestKeys.BROKER).keyID(TestKeys.BROKER.getKeyID()).type(RecordChain.TYPE),
            claims,
            TestKeys.BROKER);

    assertThatThrownBy(
            () ->
                RecordChainVerifier.verify(
                    List.of(forged), new JWKSet(TestKeys.BROKER.toPublicJWK()), CHAIN))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("admission.extra")
        .satisfies(
            e ->
                assertThat(((VerificationException) e).reason())
                    .isEqualTo(ReasonCode.RECORD_CHAIN_BROKEN));
  }
}
