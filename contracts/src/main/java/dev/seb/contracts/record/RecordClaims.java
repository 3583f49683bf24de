package dev.seb.contracts.record;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The full claim set of one signed record (ARCHITECTURE §4 "Record"): its place in the chain and
 * what it says.
 *
 * <p>Wire shape ({@link #toClaims()} lists the claims in this order; key order in the signed JSON
 * carries no meaning, as {@code prev} covers the exact compact JWS): {@code chain} (string), {@code
 * seq} (integer from 0), {@code prev} ({@code sha256:<hex>} of the previous record's compact JWS,
 * explicit JSON null on the first), {@code kind} ({@code
 * decision|outcome|denial|revocation|break-glass|unprotect}), {@code proposal} {namespace, name,
 * uid, proposalDigest?}?, {@code mandate} {ref, version?}?, {@code contract} {ref, digest?,
 * certificateSerial?}?, {@code decision} ({@code ADMIT|DENY|HOLD})?, {@code reasons} [{code,
 * message}] (always, possibly empty), {@code executed} (boolean, always), {@code identity} {type,
 * subject, expiresAt, revokedAt?}?, {@code preState}?, {@code postState}?, {@code iat} (JWT
 * NumericDate, seconds), {@code decidedAt}?, {@code completedAt}?, {@code admission} (see {@link
 * AdmissionNotice}; on break-glass and unprotect records only)? ("?" = omitted when unknown).
 * Timestamps other than {@code iat} are RFC 3339 UTC strings.
 *
 * <p>{@link #fromClaims(Map)} reads this shape strictly: a missing required claim (notably {@code
 * executed}), an unknown claim, a wrong JSON type, an explicit null other than {@code prev}, an
 * unknown kind, decision or reason code, or a record breaking a {@link RecordDraft} rule all fail
 * with {@link ReasonCode#RECORD_CHAIN_BROKEN}: a record that cannot be read is a broken link of its
 * chain.
 *
 * @param chain the chain id
 * @param seq position in the chain, from 0
 * @param prev digest of the previous record's compact JWS; null exactly when {@code seq} is 0
 * @param iat when the record was signed, whole seconds
 * @param content what the record says
 */
public record RecordClaims(String chain, long seq, String prev, Instant iat, RecordDraft content) {

  private static final Set<String> TOP =
      Set.of(
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
          "completedAt",
          "admission");
  private static final Set<String> PROPOSAL = Set.of("namespace", "name", "uid", "proposalDigest");
  private static final Set<String> MANDATE = Set.of("ref", "version");
  private static final Set<String> CONTRACT = Set.of("ref", "digest", "certificateSerial");
  private static final Set<String> REASON = Set.of("code", "message");
  private static final Set<String> IDENTITY = Set.of("type", "subject", "expiresAt", "revokedAt");

  /** Checks the chain position and truncates {@code iat} to the seconds the wire carries. */
  public RecordClaims {
    if (chain == null || chain.isEmpty()) {
      throw new IllegalArgumentException("chain must not be empty");
    }
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative: " + seq);
    }
    if (seq == 0 && prev != null) {
      throw new IllegalArgumentException(
          "prev must be null on the first record of a chain (seq 0), found '" + prev + "'");
    }
    if (seq > 0) {
      Digest.require(prev, "prev");
    }
    iat = Objects.requireNonNull(iat, "iat").truncatedTo(ChronoUnit.SECONDS);
    Objects.requireNonNull(content, "content");
  }

  /** The record kind. */
  public Kind kind() {
    return content.kind();
  }

  /** Whether the mutation was performed. */
  public boolean executed() {
    return content.executed();
  }

  /** The decision, or null on records that carry none. */
  public Decision decision() {
    return content.decision();
  }

  /** The JSON name of a kind, as records and {@code ExecutionRecord.spec.kind} spell it. */
  public static String kindName(Kind kind) {
    return switch (kind) {
      case DECISION -> "decision";
      case OUTCOME -> "outcome";
      case DENIAL -> "denial";
      case REVOCATION -> "revocation";
      case BREAK_GLASS -> "break-glass";
      case UNPROTECT -> "unprotect";
    };
  }

  /**
   * The claims for {@code Jws.sign}, in a stable order, with no nulls except a first {@code prev}.
   */
  public Map<String, Object> toClaims() {
    RecordDraft c = content;
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("chain", chain);
    claims.put("seq", seq);
    claims.put("prev", prev); // explicit null on the first record: "no predecessor" is stated
    claims.put("kind", kindName(c.kind()));
    if (c.proposal() != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("namespace", c.proposal().namespace());
      p.put("name", c.proposal().name());
      p.put("uid", c.proposal().uid());
      putIfPresent(p, "proposalDigest", c.proposal().proposalDigest());
      claims.put("proposal", p);
    }
    if (c.mandate() != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ref", c.mandate().ref());
      putIfPresent(m, "version", c.mandate().version());
      claims.put("mandate", m);
    }
    if (c.contract() != null) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("ref", c.contract().ref());
      putIfPresent(k, "digest", c.contract().digest());
      putIfPresent(k, "certificateSerial", c.contract().certificateSerial());
      claims.put("contract", k);
    }
    if (c.decision() != null) {
      claims.put("decision", c.decision().name());
    }
    List<Object> reasons = new ArrayList<>();
    for (Reason r : c.reasons()) {
      Map<String, Object> reason = new LinkedHashMap<>();
      reason.put("code", r.code().name());
      reason.put("message", r.message());
      reasons.add(reason);
    }
    claims.put("reasons", reasons);
    claims.put("executed", c.executed());
    if (c.identity() != null) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("type", c.identity().type());
      i.put("subject", c.identity().subject());
      i.put("expiresAt", c.identity().expiresAt().toString());
      putIfPresent(i, "revokedAt", text(c.identity().revokedAt()));
      claims.put("identity", i);
    }
    putIfPresent(claims, "preState", c.preState());
    putIfPresent(claims, "postState", c.postState());
    claims.put("iat", iat.getEpochSecond());
    putIfPresent(claims, "decidedAt", text(c.decidedAt()));
    putIfPresent(claims, "completedAt", text(c.completedAt()));
    if (c.admission() != null) {
      claims.put("admission", c.admission().toClaims());
    }
    return Collections.unmodifiableMap(claims);
  }

  /**
   * Reads a record's claims strictly (see the class description).
   *
   * @throws VerificationException with {@link ReasonCode#RECORD_CHAIN_BROKEN}, naming the record's
   *     {@code seq} (when readable) and the offending claim
   */
  public static RecordClaims fromClaims(Map<String, Object> claims) throws VerificationException {
    return fromClaims(claims, "record");
  }

  /** As {@link #fromClaims(Map)}, naming the record by {@code label} until its seq is read. */
  static RecordClaims fromClaims(Map<String, Object> claims, String label)
      throws VerificationException {
    ClaimReader r = new ClaimReader(label);
    if (claims == null) {
      throw r.fail("payload is not a JSON object");
    }
    try {
      long seq = r.integer(claims, "", "seq", true);
      r.label("record seq " + seq);
      r.onlyKnown(claims, "", TOP);
      String chain = r.string(claims, "", "chain", true);
      if (!claims.containsKey("prev")) {
        throw r.fail("claim 'prev' is missing; the first record states it as null");
      }
      Object prevValue = claims.get("prev");
      if (prevValue != null && !(prevValue instanceof String)) {
        throw r.fail("claim 'prev' must be a digest string or null");
      }
      String prev = (String) prevValue;
      Kind kind = kind(r, r.string(claims, "", "kind", true));
      Boolean executed = r.bool(claims, "", "executed", true);
      Long iat = r.integer(claims, "", "iat", true);

      ProposalRef proposal = null;
      Map<String, Object> p = r.object(claims, "", "proposal", false);
      if (p != null) {
        r.onlyKnown(p, "proposal.", PROPOSAL);
        proposal =
            new ProposalRef(
                r.string(p, "proposal.", "namespace", true),
                r.string(p, "proposal.", "name", true),
                r.string(p, "proposal.", "uid", true),
                r.string(p, "proposal.", "proposalDigest", false));
      }
      MandateRef mandate = null;
      Map<String, Object> m = r.object(claims, "", "mandate", false);
      if (m != null) {
        r.onlyKnown(m, "mandate.", MANDATE);
        mandate =
            new MandateRef(
                r.string(m, "mandate.", "ref", true), r.integer(m, "mandate.", "version", false));
      }
      ContractRef contract = null;
      Map<String, Object> k = r.object(claims, "", "contract", false);
      if (k != null) {
        r.onlyKnown(k, "contract.", CONTRACT);
        contract =
            new ContractRef(
                r.string(k, "contract.", "ref", true),
                r.string(k, "contract.", "digest", false),
                r.string(k, "contract.", "certificateSerial", false));
      }
      Decision decision = null;
      String d = r.string(claims, "", "decision", false);
      if (d != null) {
        decision = enumValue(r, Decision.class, d, "decision");
      }
      List<Reason> reasons = new ArrayList<>();
      List<Object> rs = r.list(claims, "", "reasons", true);
      for (int i = 0; i < rs.size(); i++) {
        String path = "reasons[" + i + "].";
        if (!(rs.get(i) instanceof Map<?, ?>)) {
          throw r.fail("claim '" + path.substring(0, path.length() - 1) + "' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> reason = (Map<String, Object>) rs.get(i);
        r.onlyKnown(reason, path, REASON);
        ReasonCode code =
            enumValue(r, ReasonCode.class, r.string(reason, path, "code", true), path + "code");
        reasons.add(new Reason(code, r.string(reason, path, "message", true)));
      }
      MintedIdentity identity = null;
      Map<String, Object> id = r.object(claims, "", "identity", false);
      if (id != null) {
        r.onlyKnown(id, "identity.", IDENTITY);
        identity =
            new MintedIdentity(
                r.string(id, "identity.", "type", true),
                r.string(id, "identity.", "subject", true),
                r.time(id, "identity.", "expiresAt", true),
                r.time(id, "identity.", "revokedAt", false));
      }
      RecordDraft content =
          new RecordDraft(
              kind,
              proposal,
              mandate,
              contract,
              decision,
              reasons,
              executed,
              identity,
              r.string(claims, "", "preState", false),
              r.string(claims, "", "postState", false),
              r.time(claims, "", "decidedAt", false),
              r.time(claims, "", "completedAt", false),
              admission(r, r.object(claims, "", "admission", false)));
      return new RecordClaims(chain, seq, prev, Instant.ofEpochSecond(iat), content);
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      // the value types' own rules (and anything unforeseen) fail closed, naming the record
      throw r.fail(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  private static AdmissionNotice admission(ClaimReader r, Map<String, Object> a)
      throws VerificationException {
    return a == null ? null : AdmissionNotice.fromClaims(r, a);
  }

  private static Kind kind(ClaimReader r, String name) throws VerificationException {
    for (Kind kind : Kind.values()) {
      if (kindName(kind).equals(name)) {
        return kind;
      }
    }
    throw r.fail("claim 'kind' has unknown value '" + name + "'");
  }

  private static <E extends Enum<E>> E enumValue(
      ClaimReader r, Class<E> type, String value, String claim) throws VerificationException {
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw r.fail("claim '" + claim + "' has unknown value '" + value + "'", e);
    }
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
