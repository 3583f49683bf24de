package dev.seb.contracts.record;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.jose.Jws;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Generates the committed record fixtures: a golden chain and tampered variants of it, one compact
 * JWS per line, plus the broker's public JWK set. {@code RecordFixturesTest} fails when the current
 * code would produce different files, so a change of the record format is always deliberate.
 *
 * <p>Regenerate after a deliberate format change, from the repository root:
 *
 * <pre>
 * ./mvnw -B -o -q -pl contracts test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp
 * java -cp contracts/target/test-classes:contracts/target/classes:$(cat /tmp/cp) \
 *     dev.seb.contracts.record.RecordFixtures contracts/src/test/resources/dev/seb/contracts/record
 * </pre>
 */
final class RecordFixtures {

  static final String CHAIN = "broker-0";
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String PROPOSAL_DIGEST = CanonicalJson.sha256("proposal scale-web");
  static final String CONTRACT_DIGEST = CanonicalJson.sha256("contract web-scaling");
  static final String PRE_STATE = CanonicalJson.sha256("deployment web, 2 replicas");
  static final String POST_STATE = CanonicalJson.sha256("deployment web, 4 replicas");

  private RecordFixtures() {}

  /** Fixed clocks, one per record, a few seconds apart. */
  static Clock clockAt(long secondsAfterT0) {
    return Clock.fixed(T0.plusSeconds(secondsAfterT0), ZoneOffset.UTC);
  }

  /** The golden chain's content: an admission, its execution, a denial and a hold. */
  static List<RecordDraft> goldenDrafts() {
    ProposalRef scale = new ProposalRef("shop", "scale-web", "0b9f0c1e-1", PROPOSAL_DIGEST);
    MandateRef mandate = new MandateRef("shop/oncall-scaling", 3L);
    ContractRef contract = new ContractRef("shop/web-scaling", CONTRACT_DIGEST, "sab-serial-0042");
    return List.of(
        RecordDraft.builder(Kind.DECISION)
            .proposal(scale)
            .mandate(mandate)
            .contract(contract)
            .decision(Decision.ADMIT)
            .executed(false)
            .preState(PRE_STATE)
            .decidedAt(T0)
            .build(),
        RecordDraft.builder(Kind.OUTCOME)
            .proposal(scale)
            .mandate(mandate)
            .contract(contract)
            .decision(Decision.ADMIT)
            .executed(true)
            .identity(
                new MintedIdentity(
                    "kubernetes",
                    "system:serviceaccount:seb:seb-exec-0b9f0c1e",
                    T0.plusSeconds(601),
                    T0.plusSeconds(2)))
            .preState(PRE_STATE)
            .postState(POST_STATE)
            .decidedAt(T0)
            .completedAt(T0.plusSeconds(2))
            .build(),
        RecordDraft.builder(Kind.DENIAL)
            .proposal(
                new ProposalRef(
                    "shop", "delete-db", "0b9f0c1e-2", CanonicalJson.sha256("proposal delete-db")))
            .mandate(mandate)
            .contract(contract)
            .decision(Decision.DENY)
            .reason(
                ReasonCode.SCOPE_VIOLATION,
                "spec.operation.type 'delete' is not in the scope of mandate shop/oncall-scaling")
            .executed(false)
            .decidedAt(T0.plusSeconds(5))
            .build(),
        RecordDraft.builder(Kind.DENIAL)
            .proposal(new ProposalRef("shop", "drop-table", "0b9f0c1e-3", null))
            .decision(Decision.DENY)
            .reason(ReasonCode.MANDATE_MISSING, "spec.mandateRef shop/nobody does not exist")
            .executed(false)
            .decidedAt(T0.plusSeconds(7))
            .build());
  }

  /** The golden chain, signed by {@link TestKeys#BROKER}. */
  static List<String> golden() {
    RecordChain chain = RecordChain.start(CHAIN, TestKeys.BROKER);
    List<String> jws = new ArrayList<>();
    List<RecordDraft> drafts = goldenDrafts();
    int[] seconds = {0, 2, 5, 7};
    for (int i = 0; i < drafts.size(); i++) {
      jws.add(chain.append(drafts.get(i), clockAt(seconds[i])).jws());
    }
    return jws;
  }

  /** Every fixture file by name. */
  static Map<String, String> all() {
    List<String> golden = golden();
    Map<String, String> files = new LinkedHashMap<>();
    files.put("broker-jwks.json", new JWKSet(TestKeys.BROKER.toPublicJWK()).toString(true) + "\n");
    files.put("golden-chain.txt", lines(golden));

    // payload edited and re-signed by the broker key: the signature holds, the next prev does not
    files.put(
        "tampered-edited-resigned.txt",
        lines(replace(golden, 1, resign(golden.get(1), c -> c.put("postState", PRE_STATE)))));
    // payload edited, signature left alone
    files.put(
        "tampered-edited-unsigned.txt",
        lines(replace(golden, 2, withPayload(golden.get(2), c -> c.put("decision", "ADMIT")))));
    files.put("tampered-gap.txt", lines(List.of(golden.get(0), golden.get(2), golden.get(3))));
    files.put(
        "tampered-reorder.txt",
        lines(List.of(golden.get(0), golden.get(2), golden.get(1), golden.get(3))));
    files.put(
        "tampered-duplicate.txt",
        lines(List.of(golden.get(0), golden.get(1), golden.get(1), golden.get(2), golden.get(3))));
    // a foreign key signing under the broker's kid
    files.put(
        "tampered-foreign-key.txt",
        lines(
            replace(
                golden,
                2,
                sign(payload(golden.get(2)), TestKeys.FOREIGN, TestKeys.BROKER.getKeyID()))));
    // a foreign key under its own kid
    files.put(
        "tampered-unknown-kid.txt",
        lines(
            replace(
                golden,
                2,
                sign(payload(golden.get(2)), TestKeys.FOREIGN, TestKeys.FOREIGN.getKeyID()))));
    files.put("tampered-alg-none.txt", lines(replace(golden, 1, algNone(golden.get(1)))));
    files.put(
        "tampered-wrong-chain.txt",
        lines(replace(golden, 2, resign(golden.get(2), c -> c.put("chain", "broker-1")))));
    files.put(
        "tampered-missing-executed.txt",
        lines(replace(golden, 2, resign(golden.get(2), c -> c.remove("executed")))));
    files.put(
        "tampered-executed-denial.txt",
        lines(replace(golden, 2, resign(golden.get(2), c -> c.put("executed", true)))));
    files.put(
        "tampered-first-prev.txt",
        lines(
            replace(
                golden,
                0,
                resign(golden.get(0), c -> c.put("prev", CanonicalJson.sha256("nothing"))))));
    return files;
  }

  /** Writes every fixture into the given directory. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/dev/seb/contracts/record");
    Files.createDirectories(dir);
    for (Map.Entry<String, String> file : all().entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
  }

  static Map<String, Object> payload(String compact) {
    try {
      return new LinkedHashMap<>(JSONObjectUtils.parse(decode(compact.split("\\.")[1])));
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs arbitrary claims the way the broker signs records, under the given kid. */
  static String sign(Map<String, Object> claims, OctetKeyPair key, String kid) {
    return Jws.sign(Jws.headerFor(key).keyID(kid).type(RecordChain.TYPE), claims, key);
  }

  /** Edits a record's payload and signs it again with the broker key. */
  static String resign(String compact, Consumer<Map<String, Object>> edit) {
    Map<String, Object> claims = payload(compact);
    edit.accept(claims);
    return sign(claims, TestKeys.BROKER, TestKeys.BROKER.getKeyID());
  }

  /** Edits a record's payload and keeps the old header and signature. */
  static String withPayload(String compact, Consumer<Map<String, Object>> edit) {
    String[] parts = compact.split("\\.");
    Map<String, Object> claims = payload(compact);
    edit.accept(claims);
    return parts[0] + "." + encode(JSONObjectUtils.toJSONString(claims)) + "." + parts[2];
  }

  /** The same payload under an {@code alg: none} header with an empty signature. */
  static String algNone(String compact) {
    String header =
        "{\"alg\":\"none\",\"kid\":\""
            + TestKeys.BROKER.getKeyID()
            + "\",\"typ\":\""
            + RecordChain.TYPE
            + "\"}";
    return encode(header) + "." + compact.split("\\.")[1] + ".";
  }

  static List<String> replace(List<String> chain, int index, String record) {
    List<String> copy = new ArrayList<>(chain);
    copy.set(index, record);
    return copy;
  }

  static String lines(List<String> records) {
    return String.join("\n", records) + "\n";
  }

  private static String decode(String base64url) {
    return new Base64URL(base64url).decodeToString();
  }

  private static String encode(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
