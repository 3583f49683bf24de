package dev.seb.contracts.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.Precondition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Live state against the contract's preconditions and the agent's observed resourceVersion. The
 * live fixture is a Deployment at resourceVersion 42 running shop/web:1.4.1 with 3 replicas.
 */
class DriftVerifierTest {

  private static final Precondition IMAGE =
      new Precondition("/spec/template/spec/containers/0/image", "shop/web:1.4.1");

  private final ObjectNode live = (ObjectNode) resource("live-deployment.json");

  private static JsonNode resource(String name) {
    try (InputStream in = DriftVerifierTest.class.getResourceAsStream(name)) {
      return CanonicalJson.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static VerificationException drift(ThrowingCallable call, String... messageParts) {
    VerificationException e = catchThrowableOfType(VerificationException.class, call);
    assertThat(e).as("expected DRIFT_DETECTED").isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(e.getMessage()).contains(messageParts);
    return e;
  }

  private VerificationException drift(Precondition precondition, String... messageParts) {
    return drift(() -> DriftVerifier.verify(List.of(precondition), live, null), messageParts);
  }

  @Test
  void preconditionsHold_andObservedIsCurrent_returnsTheCheckedResourceVersion()
      throws VerificationException {
    assertThat(DriftVerifier.verify(List.of(IMAGE), live, "42")).isEqualTo("42");
  }

  @Test
  void noPreconditionsAndNothingObserved_returnsTheLiveResourceVersion()
      throws VerificationException {
    assertThat(DriftVerifier.verify(List.of(), live, null)).isEqualTo("42");
  }

  @Test
  void everyPreconditionIsChecked_notOnlyTheFirst() {
    drift(
        () ->
            DriftVerifier.verify(
                List.of(IMAGE, new Precondition("/spec/replicas", "4")), live, null),
        "spec.preconditions[1]",
        "/spec/replicas is '3', expected '4'");
  }

  @Test
  void missingObject_isDrift() {
    drift(() -> DriftVerifier.verify(List.of(), null, null), "the target object does not exist");
    drift(
        () -> DriftVerifier.verify(List.of(), CanonicalJson.mapper().nullNode(), null),
        "does not exist");
    drift(
        () -> DriftVerifier.verify(List.of(), CanonicalJson.mapper().createArrayNode(), null),
        "does not exist");
  }

  @Test
  void liveObjectWithoutResourceVersion_isDrift() {
    ((ObjectNode) live.get("metadata")).remove("resourceVersion");
    drift(() -> DriftVerifier.verify(List.of(), live, null), "metadata.resourceVersion");
  }

  @Test
  void liveObjectWithBlankResourceVersion_isDrift() {
    ((ObjectNode) live.get("metadata")).put("resourceVersion", " ");
    drift(() -> DriftVerifier.verify(List.of(), live, null), "metadata.resourceVersion");
  }

  @Test
  void liveObjectWithNullResourceVersion_isDrift() {
    ((ObjectNode) live.get("metadata")).putNull("resourceVersion");
    drift(() -> DriftVerifier.verify(List.of(), live, null), "metadata.resourceVersion");
  }

  @Test
  void staleObservedResourceVersion_isDrift_namingBothVersions() {
    drift(
        () -> DriftVerifier.verify(List.of(IMAGE), live, "41"),
        "spec.observed.resourceVersion 41 is not the live resourceVersion 42");
  }

  @Test
  void emptyObservedResourceVersion_isNotCurrent() {
    drift(() -> DriftVerifier.verify(List.of(), live, ""), "spec.observed.resourceVersion");
  }

  @Test
  void staleObservedResourceVersion_isCheckedBeforePreconditions() {
    drift(
        () -> DriftVerifier.verify(List.of(new Precondition("/spec/replicas", "9")), live, "7"),
        "spec.observed.resourceVersion 7");
  }

  @Test
  void differentValue_isDrift_namingPathActualAndExpected() {
    drift(
        new Precondition("/spec/template/spec/containers/0/image", "shop/web:1.4.0"),
        "ExecutionContract spec.preconditions[0]",
        "/spec/template/spec/containers/0/image is 'shop/web:1.4.1', expected 'shop/web:1.4.0'");
  }

  @Test
  void absentPath_isDrift() {
    drift(
        new Precondition("/spec/template/spec/containers/1/image", "shop/web:1.4.1"),
        "spec.preconditions[0]",
        "/spec/template/spec/containers/1/image is absent, expected 'shop/web:1.4.1'");
  }

  @Test
  void nullValue_isAbsent() {
    drift(
        new Precondition("/spec/revisionHistoryLimit", "null"),
        "/spec/revisionHistoryLimit is absent");
  }

  @Test
  void objectOrArrayValue_isNotAScalar() {
    drift(new Precondition("/spec/template", "{}"), "/spec/template is not a scalar");
    drift(
        new Precondition("/spec/template/spec/containers", "[]"),
        "/spec/template/spec/containers is not a scalar");
  }

  @Test
  void emptyPointer_isTheWholeObject_andNotAScalar() {
    drift(new Precondition("", "x"), "spec.preconditions[0]", "is not a scalar");
  }

  @Test
  void numbersAndBooleans_compareByTheirTextForm() throws VerificationException {
    assertThat(
            DriftVerifier.verify(
                List.of(
                    new Precondition("/spec/replicas", "3"),
                    new Precondition("/spec/paused", "false"),
                    new Precondition(
                        "/spec/template/spec/containers/0/ports/0/containerPort", "8080")),
                live,
                null))
        .isEqualTo("42");
    drift(new Precondition("/spec/replicas", "3.0"), "/spec/replicas is '3', expected '3.0'");
    drift(new Precondition("/spec/paused", "False"), "/spec/paused is 'false'");
  }

  @Test
  void escapedPointerSegments_reachKeysWithSlashAndTilde() throws VerificationException {
    assertThat(
            DriftVerifier.verify(
                List.of(
                    new Precondition("/metadata/annotations/seb.dev~1owner", "team-shop"),
                    new Precondition("/metadata/annotations/a~0b", "tilde")),
                live,
                "42"))
        .isEqualTo("42");
    drift(
        new Precondition("/metadata/annotations/seb.dev/owner", "team-shop"),
        "/metadata/annotations/seb.dev/owner is absent");
  }

  @Test
  void pointerWithoutLeadingSlash_isMalformed_andDrift() {
    VerificationException e =
        drift(
            new Precondition("spec/replicas", "3"),
            "spec.preconditions[0].path 'spec/replicas' is not a JSON Pointer");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void missingPointer_isDrift() {
    drift(new Precondition(null, "3"), "spec.preconditions[0].path 'null' is not a JSON Pointer");
  }

  @Test
  void missingExpectedValue_neverHolds() {
    drift(new Precondition("/spec/replicas", null), "/spec/replicas is '3', expected 'null'");
  }

  @Test
  void stringValueEqualToTheExpectedText_holds_evenIfTheSameTextAsANumber()
      throws VerificationException {
    ((ObjectNode) live.get("metadata")).put("resourceVersion", "100");
    assertThat(
            DriftVerifier.verify(List.of(new Precondition("/metadata/name", "web")), live, "100"))
        .isEqualTo("100");
  }
}
