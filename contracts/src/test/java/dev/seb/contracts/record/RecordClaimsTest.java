package dev.seb.contracts.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordClaimsTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static RecordClaims outcome() {
    RecordDraft draft =
        RecordDraft.builder(Kind.OUTCOME)
            .proposal(new ProposalRef("shop", "scale-web", "uid-1", DIGEST))
            .mandate(new MandateRef("shop/oncall", 3L))
            .contract(new ContractRef("shop/web-scaling", DIGEST, "serial-7"))
            .decision(Decision.ADMIT)
            .executed(true)
            .identity(
                new MintedIdentity(
                    "kubernetes",
                    "system:serviceaccount:seb:seb-exec-1",
                    T0.plusSeconds(600),
                    T0.plusSeconds(2)))
            .preState(DIGEST)
            .postState("sha256:" + "b".repeat(64))
            .decidedAt(T0)
            .completedAt(T0.plusSeconds(2))
            .build();
    return new RecordClaims("broker-0", 1, DIGEST, T0.plusSeconds(2), draft);
  }

  private static RecordClaims firstDenial() {
    RecordDraft draft =
        RecordDraft.builder(Kind.DENIAL)
            .proposal(new ProposalRef("shop", "delete-db", "uid-2", null))
            .decision(Decision.DENY)
            .reason(ReasonCode.MANDATE_MISSING, "mandate shop/none does not exist")
            .build();
    return new RecordClaims("broker-0", 0, null, T0, draft);
  }

  /** What the JWS payload parser would hand back: a fresh JSON round trip. */
  private static Map<String, Object> wire(RecordClaims claims) throws Exception {
    return JSONObjectUtils.parse(JSONObjectUtils.toJSONString(claims.toClaims()));
  }

  @Test
  void fullRecord_roundTripsThroughJson() throws Exception {
    assertThat(RecordClaims.fromClaims(wire(outcome()))).isEqualTo(outcome());
    assertThat(RecordClaims.fromClaims(wire(firstDenial()))).isEqualTo(firstDenial());
  }

  @Test
  void firstRecord_statesPrevAsExplicitNull_andEmitsNoOtherNulls() {
    String json = JSONObjectUtils.toJSONString(firstDenial().toClaims());
    assertThat(json).contains("\"prev\":null").containsOnlyOnce("null");
    assertThat(json).contains("\"executed\":false").doesNotContain("\"mandate\":");
  }

  @Test
  void claims_haveAStableShapeAndOrder() {
    assertThat(outcome().toClaims().keySet())
        .containsExactly(
            "chain",
            "seq",
            "prev",
            "kind",
            "proposal",
            "mandate",
            "contract",
            "decision",
            "reasons",
            "executed",
            "identity",
            "preState",
            "postState",
            "iat",
            "decidedAt",
            "completedAt");
    assertThat(outcome().toClaims().get("iat")).isEqualTo(T0.plusSeconds(2).getEpochSecond());
  }

  @Test
  void missingExecuted_isRejected_namingSeqAndClaim() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.remove("executed");
    assertBroken(claims, "record seq 0", "'executed' is missing");
  }

  @Test
  void executedAsString_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("executed", "false");
    assertBroken(claims, "record seq 0", "'executed' must be a boolean");
  }

  @Test
  void unknownKind_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("kind", "approval");
    assertBroken(claims, "record seq 0", "'kind' has unknown value 'approval'");
  }

  @Test
  void unknownClaim_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(outcome()));
    claims.put("note", "harmless?");
    assertBroken(claims, "record seq 1", "unknown claim(s) ['note']");
  }

  @Test
  void unknownNestedClaim_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(outcome()));
    @SuppressWarnings("unchecked")
    Map<String, Object> identity =
        new LinkedHashMap<>((Map<String, Object>) claims.get("identity"));
    identity.put("scope", "*");
    claims.put("identity", identity);
    assertBroken(claims, "record seq 1", "'identity.scope'");
  }

  @Test
  void missingPrev_isRejected_evenOnTheFirstRecord() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.remove("prev");
    assertBroken(claims, "record seq 0", "'prev' is missing");
  }

  @Test
  void explicitNullOtherThanPrev_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("mandate", null);
    assertBroken(claims, "record seq 0", "'mandate' is null");
  }

  @Test
  void fractionalSeq_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("seq", 0.5);
    assertBroken(claims, "record", "'seq' must be an integer");
  }

  @Test
  void unknownReasonCode_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("reasons", List.of(Map.of("code", "ALL_GOOD", "message", "trust me")));
    assertBroken(claims, "record seq 0", "'reasons[0].code' has unknown value 'ALL_GOOD'");
  }

  @Test
  void executedTrueOnADenial_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("executed", true);
    assertBroken(claims, "record seq 0", "executed=true is only possible on an outcome record");
  }

  @Test
  void denialWithoutReason_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("reasons", List.of());
    assertBroken(claims, "record seq 0", "must give at least one reason");
  }

  @Test
  void firstRecordWithPrev_isRejected() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(firstDenial()));
    claims.put("prev", DIGEST);
    assertBroken(claims, "record seq 0", "prev must be null on the first record");
  }

  @Test
  void malformedDigest_isRejected_namingTheField() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(wire(outcome()));
    claims.put("postState", "sha256:XYZ");
    assertBroken(claims, "record seq 1", "postState must be sha256:");
  }

  @Test
  void draftRules_stopTheBrokerFromSigningAnIncoherentRecord() {
    assertThatThrownBy(
            () ->
                RecordDraft.builder(Kind.DECISION)
                    .proposal(new ProposalRef("shop", "p", "u", null))
                    .decision(Decision.ADMIT)
                    .executed(true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executed=true");
    assertThatThrownBy(() -> RecordDraft.builder(Kind.OUTCOME).decision(Decision.ADMIT).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a proposal");
    assertThatThrownBy(
            () ->
                RecordDraft.builder(Kind.DENIAL)
                    .proposal(new ProposalRef("shop", "p", "u", null))
                    .decision(Decision.ADMIT)
                    .reason(ReasonCode.INTERNAL_ERROR, "x")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot carry decision ADMIT");
  }

  private static void assertBroken(Map<String, Object> claims, String record, String detail) {
    assertThatThrownBy(() -> RecordClaims.fromClaims(claims))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.RECORD_CHAIN_BROKEN))
        .hasMessageStartingWith(record + ":")
        .hasMessageContaining(detail);
  }
}
