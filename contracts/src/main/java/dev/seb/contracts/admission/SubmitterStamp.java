package dev.seb.contracts.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.SebKeys;

/**
 * The submitter stamp, checked again after every mutating webhook ran: a new proposal reaches the
 * validating webhook only with {@code seb.dev/submitted-by} equal to its creator. Should the
 * stamping registration be missing, or another mutating webhook rewrite the annotation after it,
 * the proposal is refused rather than stored under someone else's name.
 */
final class SubmitterStamp {

  private static final String ANNOTATION = SebKeys.SUBMITTED_BY;

  private SubmitterStamp() {}

  static AdmissionVerdict onCreate(AdmissionRequest request) {
    if (request.isServiceAccount() && !request.credentialBound()) {
      return new AdmissionVerdict.Deny(
          "seb: "
              + request.username()
              + " is impersonated, not a token of that ServiceAccount: a proposal is made by the"
              + " agent itself, so that nobody proposes under another agent's mandate");
    }
    JsonNode value =
        request.object() == null
            ? null
            : request.object().path("metadata").path("annotations").get(ANNOTATION);
    String stamp = value == null || !value.isTextual() ? null : value.asText();
    if (stamp != null && stamp.equals(request.username())) {
      return new AdmissionVerdict.Allow();
    }
    return new AdmissionVerdict.Deny(
        "seb: metadata.annotations["
            + ANNOTATION
            + "] is "
            + (stamp == null ? "missing" : "'" + stamp + "'")
            + " but the proposal is created by "
            + request.username()
            + "; seb stamps the real submitter (is the seb-proposals mutating webhook registered?)");
  }
}
