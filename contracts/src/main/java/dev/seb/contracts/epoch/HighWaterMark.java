package dev.seb.contracts.epoch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.TrustAnchorStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The highest epochs (and newest issue time) a TrustAnchor has accepted. Epochs never go backwards:
 * {@link #advance} refuses a statement below the mark with {@link ReasonCode#EPOCH_ROLLBACK}.
 *
 * <p>Statements are ordered by {@code (minPolicyEpoch, revocationEpoch, iat)}, each component
 * monotonic. A statement with the same epochs is accepted when its {@code iat} is the same (the
 * same statement seen again) or newer (a refreshed statement). One with the same epochs but an
 * older {@code iat} is a rollback too: it is a replay of a superseded statement, whose revocation
 * list may be shorter, so accepting it could un-revoke a serial.
 *
 * @param policyEpoch highest {@code minPolicyEpoch} accepted
 * @param revocationEpoch highest {@code revocationEpoch} accepted
 * @param issuedAt {@code iat} of the statement accepted last, or null if none was
 */
public record HighWaterMark(long policyEpoch, long revocationEpoch, Instant issuedAt) {

  /** A mark; epochs must not be negative. */
  public HighWaterMark {
    if (policyEpoch < 0 || revocationEpoch < 0) {
      throw new IllegalArgumentException("epochs must not be negative");
    }
  }

  /** The mark of a TrustAnchor that has accepted nothing yet. */
  public static HighWaterMark none() {
    return new HighWaterMark(0, 0, null);
  }

  /**
   * The mark recorded in a TrustAnchor status ({@code policyEpoch}, {@code revocationEpoch}, {@code
   * statementIssuedAt}); missing values count as nothing accepted.
   *
   * @throws VerificationException ({@link ReasonCode#INTERNAL_ERROR}) if the recorded values are
   *     unreadable, so a corrupted status never lowers the mark silently
   */
  public static HighWaterMark fromStatus(TrustAnchorStatus status) throws VerificationException {
    if (status == null) {
      return none();
    }
    try {
      return new HighWaterMark(
          status.getPolicyEpoch() == null ? 0 : status.getPolicyEpoch(),
          status.getRevocationEpoch() == null ? 0 : status.getRevocationEpoch(),
          status.getStatementIssuedAt() == null
              ? null
              : Instant.parse(status.getStatementIssuedAt()));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new VerificationException(
          ReasonCode.INTERNAL_ERROR,
          "TrustAnchor status high-water mark is unreadable (status.policyEpoch,"
              + " status.revocationEpoch, status.statementIssuedAt): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Accepts a statement at or above this mark and returns the new mark.
   *
   * @throws VerificationException ({@link ReasonCode#EPOCH_ROLLBACK}) naming the claim that went
   *     backwards
   */
  public HighWaterMark advance(VerifiedEpochStatement statement) throws VerificationException {
    if (statement.minPolicyEpoch() < policyEpoch) {
      throw rollback("minPolicyEpoch", statement.minPolicyEpoch(), policyEpoch);
    }
    if (statement.revocationEpoch() < revocationEpoch) {
      throw rollback("revocationEpoch", statement.revocationEpoch(), revocationEpoch);
    }
    if (issuedAt != null && statement.issuedAt().isBefore(issuedAt)) {
      throw rollback("iat", statement.issuedAt(), issuedAt);
    }
    return new HighWaterMark(
        statement.minPolicyEpoch(), statement.revocationEpoch(), statement.issuedAt());
  }

  /**
   * The mark as stored by the broker for one SAB: {@code {"sabId", "policyEpoch",
   * "revocationEpoch", "issuedAt"}}.
   */
  public String toJson(String sabId) {
    var node = CanonicalJson.mapper().createObjectNode();
    node.put("sabId", sabId);
    node.put("policyEpoch", policyEpoch);
    node.put("revocationEpoch", revocationEpoch);
    if (issuedAt != null) {
      node.put("issuedAt", issuedAt.toString());
    }
    return node.toString();
  }

  /**
   * Reads a mark stored with {@link #toJson(String)}.
   *
   * @throws VerificationException ({@link ReasonCode#INTERNAL_ERROR}) if it is unreadable or is
   *     another SAB's, so a damaged mark never lowers it silently
   */
  public static HighWaterMark fromJson(String sabId, String json) throws VerificationException {
    try {
      JsonNode node = CanonicalJson.mapper().readTree(json);
      if (node == null
          || !sabId.equals(node.path("sabId").asText(null))
          || !node.path("policyEpoch").isIntegralNumber()
          || !node.path("revocationEpoch").isIntegralNumber()
          || (node.has("issuedAt") && !node.get("issuedAt").isTextual())) {
        throw new IllegalArgumentException("not a high-water mark of SAB '" + sabId + "'");
      }
      return new HighWaterMark(
          node.get("policyEpoch").asLong(),
          node.get("revocationEpoch").asLong(),
          node.has("issuedAt") ? Instant.parse(node.get("issuedAt").asText()) : null);
    } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
      throw new VerificationException(
          ReasonCode.INTERNAL_ERROR,
          "the epoch high-water mark stored for SAB '"
              + sabId
              + "' is unreadable: "
              + e.getMessage(),
          e);
    }
  }

  private static VerificationException rollback(String claim, Object presented, Object mark) {
    return new VerificationException(
        ReasonCode.EPOCH_ROLLBACK,
        "spec.epochStatement claim '"
            + claim
            + "' is "
            + presented
            + ", below the high-water mark "
            + mark
            + "; epochs never go backwards");
  }
}
