package dev.seb.contracts.drift;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.Precondition;
import java.util.List;
import java.util.Objects;

/**
 * Live state against what the contract and the agent assumed: every precondition must hold on the
 * live object, and the resourceVersion the agent observed (if given) must still be current.
 */
public final class DriftVerifier {

  private DriftVerifier() {}

  /**
   * Checks the live object and returns the resourceVersion that was checked; the broker conditions
   * its write on exactly that version, so no drift can slip in between check and act.
   */
  public static String verify(
      List<Precondition> preconditions, JsonNode live, String observedResourceVersion)
      throws VerificationException {
    if (live == null || !live.isObject()) {
      throw new VerificationException(
          ReasonCode.DRIFT_DETECTED, "the target object does not exist");
    }
    String resourceVersion = live.at("/metadata/resourceVersion").asText(null);
    if (resourceVersion == null || resourceVersion.isBlank()) {
      throw new VerificationException(
          ReasonCode.DRIFT_DETECTED, "the live object has no metadata.resourceVersion");
    }
    if (observedResourceVersion != null && !observedResourceVersion.equals(resourceVersion)) {
      throw new VerificationException(
          ReasonCode.DRIFT_DETECTED,
          "spec.observed.resourceVersion "
              + observedResourceVersion
              + " is not the live resourceVersion "
              + resourceVersion);
    }
    for (int i = 0; i < preconditions.size(); i++) {
      Precondition precondition = preconditions.get(i);
      String field = "ExecutionContract spec.preconditions[" + i + "]";
      JsonPointer pointer;
      try {
        // compile(null) is the root pointer, so a missing path must be refused here
        pointer = JsonPointer.compile(Objects.requireNonNull(precondition.path()));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new VerificationException(
            ReasonCode.DRIFT_DETECTED,
            field + ".path '" + precondition.path() + "' is not a JSON Pointer",
            e);
      }
      JsonNode actual = live.at(pointer);
      if (actual.isMissingNode() || actual.isNull()) {
        throw new VerificationException(
            ReasonCode.DRIFT_DETECTED,
            field
                + ": "
                + precondition.path()
                + " is absent, expected '"
                + precondition.equalTo()
                + "'");
      }
      if (!actual.isValueNode()) {
        throw new VerificationException(
            ReasonCode.DRIFT_DETECTED,
            field
                + ": "
                + precondition.path()
                + " is not a scalar, expected '"
                + precondition.equalTo()
                + "'");
      }
      if (!actual.asText().equals(precondition.equalTo())) {
        throw new VerificationException(
            ReasonCode.DRIFT_DETECTED,
            field
                + ": "
                + precondition.path()
                + " is '"
                + actual.asText()
                + "', expected '"
                + precondition.equalTo()
                + "'");
      }
    }
    return resourceVersion;
  }
}
