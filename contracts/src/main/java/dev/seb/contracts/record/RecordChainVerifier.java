package dev.seb.contracts.record;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.jose.Jws;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies an exported record chain, as a security team does: every record is a JWS with {@code
 * typ: seb-record+jws} signed by a trusted broker key (found by {@code kid}); its claims are
 * well-formed (see {@link RecordClaims}), state {@code executed}, and claim an execution only on an
 * outcome record of an ADMIT decision; all belong to the expected chain; {@code seq} runs from the
 * start without gap, duplicate or reordering; and each {@code prev} is the digest of the previous
 * compact JWS, so an edit anywhere but the last record breaks the next link.
 *
 * <p>Every failure is a {@link VerificationException} with {@link ReasonCode#RECORD_CHAIN_BROKEN}
 * whose message names the record's {@code seq} (or, before its payload can be trusted, its position
 * and the seq expected there). An empty list does not verify: an export that shows nothing proves
 * nothing.
 */
public final class RecordChainVerifier {

  private static final ReasonCode BROKEN = ReasonCode.RECORD_CHAIN_BROKEN;

  private RecordChainVerifier() {}

  /** Verifies a whole chain, from {@code seq} 0, against {@code kid -> key} trusted broker keys. */
  public static ChainSummary verify(
      List<String> compactJwsInOrder, Map<String, PublicKey> trustedKeys, String expectedChain)
      throws VerificationException {
    return verifyFrom(compactJwsInOrder, trustedKeys, expectedChain, ChainHead.GENESIS);
  }

  /** Verifies a whole chain against a published JWK set (e.g. {@code /.well-known/jwks.json}). */
  public static ChainSummary verify(
      List<String> compactJwsInOrder, JWKSet trustedKeys, String expectedChain)
      throws VerificationException {
    return verifyFrom(
        compactJwsInOrder, TrustedKeys.of(trustedKeys), expectedChain, ChainHead.GENESIS);
  }

  /**
   * Verifies a stretch of a chain that starts at {@code start}: the first record must have {@code
   * seq == start.nextSeq()} and {@code prev == start.lastDigest()}. With {@link ChainHead#GENESIS}
   * this is {@link #verify(List, Map, String)}.
   */
  public static ChainSummary verifyFrom(
      List<String> compactJwsInOrder,
      Map<String, PublicKey> trustedKeys,
      String expectedChain,
      ChainHead start)
      throws VerificationException {
    if (compactJwsInOrder == null || compactJwsInOrder.isEmpty()) {
      throw new VerificationException(BROKEN, "no records to verify");
    }
    if (trustedKeys == null || trustedKeys.isEmpty()) {
      throw new VerificationException(BROKEN, "no trusted broker keys given");
    }
    Objects.requireNonNull(expectedChain, "expectedChain");
    Objects.requireNonNull(start, "start");
    try {
      // first every record on its own, so sequence errors below can rely on signed seq values
      List<RecordClaims> records = new ArrayList<>(compactJwsInOrder.size());
      for (int i = 0; i < compactJwsInOrder.size(); i++) {
        String label = "record at position " + i + " (expected seq " + (start.nextSeq() + i) + ")";
        records.add(verifyOne(compactJwsInOrder.get(i), trustedKeys, expectedChain, label));
      }
      checkLinks(compactJwsInOrder, records, start);
      RecordClaims last = records.get(records.size() - 1);
      return new ChainSummary(
          expectedChain,
          records.size(),
          records.get(0).seq(),
          last.seq(),
          CanonicalJson.sha256(compactJwsInOrder.get(compactJwsInOrder.size() - 1)),
          records);
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new VerificationException(BROKEN, "record chain cannot be checked: " + e, e);
    }
  }

  private static void checkLinks(List<String> jws, List<RecordClaims> records, ChainHead start)
      throws VerificationException {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      long expected = start.nextSeq() + i;
      long actual = records.get(i).seq();
      if (actual != expected) {
        throw new VerificationException(BROKEN, sequenceError(records, seen, i, expected, actual));
      }
      seen.add(actual);
      String prev = records.get(i).prev();
      if (i == 0) {
        if (!Objects.equals(prev, start.lastDigest())) {
          throw new VerificationException(
              BROKEN,
              "record seq "
                  + actual
                  + ": prev is "
                  + Digest.quote(prev)
                  + " but the chain is expected to continue from "
                  + Digest.quote(start.lastDigest()));
        }
      } else {
        String previousDigest = CanonicalJson.sha256(jws.get(i - 1));
        if (!previousDigest.equals(prev)) {
          throw new VerificationException(
              BROKEN,
              "record seq "
                  + actual
                  + ": prev "
                  + Digest.quote(prev)
                  + " is not the digest of record seq "
                  + (actual - 1)
                  + " ("
                  + previousDigest
                  + "): record seq "
                  + (actual - 1)
                  + " was edited or replaced");
        }
      }
    }
  }

  private static String sequenceError(
      List<RecordClaims> records, Set<Long> seen, int position, long expected, long actual) {
    if (seen.contains(actual)) {
      return "record at position "
          + position
          + " repeats seq "
          + actual
          + " (duplicate); expected seq "
          + expected;
    }
    for (int j = position + 1; j < records.size(); j++) {
      if (records.get(j).seq() == expected) {
        return "records out of order: seq "
            + actual
            + " at position "
            + position
            + " comes before seq "
            + expected
            + " at position "
            + j;
      }
    }
    if (actual > expected) {
      return "gap: seq "
          + expected
          + (actual - expected > 1 ? " to " + (actual - 1) : "")
          + " missing before record seq "
          + actual
          + " at position "
          + position;
    }
    return "record seq "
        + actual
        + " at position "
        + position
        + " is out of order; expected seq "
        + expected;
  }

  /**
   * One record on its own: structure, {@code typ}, {@code kid}, signature, claims and chain id.
   * Linkage is the caller's business.
   */
  static RecordClaims verifyOne(
      String compact, Map<String, PublicKey> trustedKeys, String expectedChain, String label)
      throws VerificationException {
    try {
      if (compact == null) {
        throw new VerificationException(BROKEN, label + " is missing");
      }
      if (compact.chars().anyMatch(Character::isWhitespace)) {
        // the digest is taken over the exact string, so no "harmless" whitespace is accepted
        throw new VerificationException(BROKEN, label + " contains whitespace");
      }
      JWSObject jws = Jws.parse(compact, label, BROKEN);
      JOSEObjectType typ = jws.getHeader().getType();
      if (!RecordChain.TYPE.equals(typ)) {
        throw new VerificationException(
            BROKEN, label + " has typ '" + typ + "', not '" + RecordChain.TYPE + "'");
      }
      String kid = jws.getHeader().getKeyID();
      if (kid == null || kid.isBlank()) {
        throw new VerificationException(BROKEN, label + " names no kid");
      }
      PublicKey key = trustedKeys.get(kid);
      if (key == null) {
        throw new VerificationException(
            BROKEN, label + " is signed with unknown key id '" + kid + "'");
      }
      Map<String, Object> payload;
      try {
        payload = Jws.verify(jws, key, label, BROKEN);
      } catch (VerificationException e) {
        throw new VerificationException(
            BROKEN,
            e.getMessage()
                + " under trusted key '"
                + kid
                + "': signed by a foreign key or altered after signing",
            e);
      }
      RecordClaims claims = RecordClaims.fromClaims(payload, label);
      if (!claims.chain().equals(expectedChain)) {
        throw new VerificationException(
            BROKEN,
            "record seq "
                + claims.seq()
                + " belongs to chain '"
                + claims.chain()
                + "', expected '"
                + expectedChain
                + "'");
      }
      return claims;
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new VerificationException(BROKEN, label + " cannot be checked: " + e, e);
    }
  }
}
