package dev.seb.contracts.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.Precondition;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class DriftVerifierTest {

  private static final JsonNode LIVE =
      read(
          """
          {"metadata": {"name": "web", "resourceVersion": "42", "annotations": {"seb.dev/owner": "shop"}},
           "spec": {"replicas": 2, "template": {"spec": {"containers": [{"image": "web:1.4.2"}]}}}}
          """);

  private static JsonNode read(String json) {
    try {
      return CanonicalJson.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void assertDrift(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ReasonCode.DRIFT_DETECTED);
              assertThat(e.getMessage()).contains(messagePart);
            });
  }

  @Test
  void matchingPreconditions_returnTheCheckedResourceVersion() throws Exception {
    List<Precondition> preconditions =
        List.of(
            new Precondition("/spec/template/spec/containers/0/image", "web:1.4.2"),
            new Precondition("/spec/replicas", "2"),
            new Precondition("/metadata/annotations/seb.dev~1owner", "shop"));
    assertThat(DriftVerifier.verify(preconditions, LIVE, "42")).isEqualTo("42");
    assertThat(DriftVerifier.verify(preconditions, LIVE, null)).isEqualTo("42");
  }

  @Test
  void changedImage_isDriftNamingPathExpectedAndActual() {
    assertDrift(
        () ->
            DriftVerifier.verify(
                List.of(new Precondition("/spec/template/spec/containers/0/image", "web:1.4.1")),
                LIVE,
                null),
        "/spec/template/spec/containers/0/image is 'web:1.4.2', expected 'web:1.4.1'");
  }

  @Test
  void staleObservedResourceVersion_isDrift() {
    assertDrift(
        () -> DriftVerifier.verify(List.of(), LIVE, "41"), "spec.observed.resourceVersion 41");
  }

  @Test
  void absentOrNonScalarPath_isDrift() {
    assertDrift(
        () -> DriftVerifier.verify(List.of(new Precondition("/spec/paused", "false")), LIVE, null),
        "/spec/paused is absent");
    assertDrift(
        () -> DriftVerifier.verify(List.of(new Precondition("/spec/template", "x")), LIVE, null),
        "is not a scalar");
  }

  @Test
  void missingObject_orMalformedPointer_isDrift() {
    assertDrift(() -> DriftVerifier.verify(List.of(), null, null), "does not exist");
    assertDrift(
        () -> DriftVerifier.verify(List.of(new Precondition("spec/replicas", "2")), LIVE, null),
        "is not a JSON Pointer");
  }
}
