package dev.seb.contracts.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.Operation;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ScopeVerifierTest {

  private static final ExecutionContractSpec CONTRACT =
      read(
          """
          {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop", "name": "web"}},
           "operations": [
             {"type": "scale", "constraints": {"minReplicas": 2, "maxReplicas": 6}},
             {"type": "patch", "constraints": {"allowedPaths": ["/metadata/annotations/**", "/spec/template/spec/containers/*/resources/**"]}}]}
          """,
          ExecutionContractSpec.class);

  private static <T> T read(String json, Class<T> type) {
    try {
      return CanonicalJson.mapper().readValue(json, type);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Operation op(String json) {
    return read(json, Operation.class);
  }

  private static MandateSpec.Scope scope(String json) {
    return read(json, MandateSpec.Scope.class);
  }

  private static final MandateSpec.Scope ALL = scope("{\"contractRef\": \"c\"}");

  private static void assertRejected(ThrowingCallable call, ReasonCode reason, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(messagePart);
            });
  }

  @Test
  void scaleInsideBothRanges_isAllowed() throws Exception {
    ScopeVerifier.verify(
        op("{\"type\": \"scale\", \"replicas\": 4}"),
        CONTRACT,
        scope("{\"contractRef\": \"c\", \"constraints\": {\"maxReplicas\": 4}}"));
  }

  @Test
  void scaleOutsideTheContractRange_isScopeViolation() {
    assertRejected(
        () -> ScopeVerifier.verify(op("{\"type\": \"scale\", \"replicas\": 7}"), CONTRACT, ALL),
        ReasonCode.SCOPE_VIOLATION,
        "contract's range [2, 6]");
    assertRejected(
        () -> ScopeVerifier.verify(op("{\"type\": \"scale\", \"replicas\": 1}"), CONTRACT, ALL),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.replicas 1");
  }

  @Test
  void scaleOutsideTheMandatesNarrowerRange_isScopeViolation() {
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op("{\"type\": \"scale\", \"replicas\": 5}"),
                CONTRACT,
                scope("{\"contractRef\": \"c\", \"constraints\": {\"maxReplicas\": 4}}")),
        ReasonCode.SCOPE_VIOLATION,
        "mandate's range");
  }

  @Test
  void operationNotInTheContract_orNotGrantedByTheMandate_isScopeViolation() {
    assertRejected(
        () -> ScopeVerifier.verify(op("{\"type\": \"delete\"}"), CONTRACT, ALL),
        ReasonCode.SCOPE_VIOLATION,
        "delete is not an operation of the contract");
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op("{\"type\": \"scale\", \"replicas\": 3}"),
                CONTRACT,
                scope("{\"contractRef\": \"c\", \"operations\": [\"patch\"]}")),
        ReasonCode.SCOPE_VIOLATION,
        "not granted by the mandate");
  }

  @Test
  void jsonPatchInsideAllowedPaths_isAllowed_andTestOpsAreReadOnly() throws Exception {
    ScopeVerifier.verify(
        op(
            """
            {"type": "patch", "patchType": "json", "patch": [
              {"op": "test", "path": "/spec/replicas", "value": 2},
              {"op": "add", "path": "/metadata/annotations/seb.dev~1reason", "value": "peak"},
              {"op": "replace", "path": "/spec/template/spec/containers/0/resources/limits/cpu", "value": "2"}]}
            """),
        CONTRACT,
        ALL);
  }

  @Test
  void jsonPatchTouchingAnotherPath_isScopeViolationNamingIt() {
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op(
                    "{\"type\": \"patch\", \"patchType\": \"json\", \"patch\": [{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\": \"x\"}]}"),
                CONTRACT,
                ALL),
        ReasonCode.SCOPE_VIOLATION,
        "/spec/template/spec/containers/0/image");
  }

  @Test
  void moveFromOutsideAllowedPaths_isScopeViolation() {
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op(
                    "{\"type\": \"patch\", \"patchType\": \"json\", \"patch\": [{\"op\": \"move\", \"from\": \"/spec/selector\", \"path\": \"/metadata/annotations/x\"}]}"),
                CONTRACT,
                ALL),
        ReasonCode.SCOPE_VIOLATION,
        "/spec/selector");
  }

  @Test
  void mergePatch_checksEveryLeaf_includingNullsAndArrays() throws Exception {
    ScopeVerifier.verify(
        op(
            "{\"type\": \"patch\", \"patchType\": \"merge\", \"patch\": {\"metadata\": {\"annotations\": {\"a\": \"1\", \"b\": null}}}}"),
        CONTRACT,
        ALL);
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op(
                    "{\"type\": \"patch\", \"patchType\": \"merge\", \"patch\": {\"metadata\": {\"annotations\": {\"a\": \"1\"}, \"labels\": null}}}"),
                CONTRACT,
                ALL),
        ReasonCode.SCOPE_VIOLATION,
        "/metadata/labels");
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op(
                    "{\"type\": \"patch\", \"patchType\": \"merge\", \"patch\": {\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"x\"}]}}}}}"),
                CONTRACT,
                ALL),
        ReasonCode.SCOPE_VIOLATION,
        "/spec/template/spec/containers");
  }

  @Test
  void mandateAllowedPaths_narrowThePatch() {
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op(
                    "{\"type\": \"patch\", \"patchType\": \"merge\", \"patch\": {\"metadata\": {\"annotations\": {\"b\": \"1\"}}}}"),
                CONTRACT,
                scope(
                    "{\"contractRef\": \"c\", \"constraints\": {\"allowedPaths\": [\"/metadata/annotations/a\"]}}")),
        ReasonCode.SCOPE_VIOLATION,
        "mandate's allowedPaths");
  }

  @Test
  void malformedPatches_areMalformedProposals() {
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op("{\"type\": \"patch\", \"patchType\": \"json\", \"patch\": []}"), CONTRACT, ALL),
        ReasonCode.MALFORMED_PROPOSAL,
        "non-empty JSON patch array");
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op(
                    "{\"type\": \"patch\", \"patchType\": \"json\", \"patch\": [{\"op\": \"exec\", \"path\": \"/a\"}]}"),
                CONTRACT,
                ALL),
        ReasonCode.MALFORMED_PROPOSAL,
        "patch[0].op 'exec'");
    assertRejected(
        () ->
            ScopeVerifier.verify(
                op("{\"type\": \"patch\", \"patchType\": \"merge\", \"patch\": {}}"),
                CONTRACT,
                ALL),
        ReasonCode.MALFORMED_PROPOSAL,
        "empty merge patch");
  }

  @Test
  void mandateWideningItsContract_isScopeViolation() {
    assertRejected(
        () ->
            MandateNarrowing.verify(
                scope("{\"contractRef\": \"c\", \"constraints\": {\"maxReplicas\": 60}}"),
                CONTRACT),
        ReasonCode.SCOPE_VIOLATION,
        "maxReplicas 60");
    assertRejected(
        () ->
            MandateNarrowing.verify(
                scope("{\"contractRef\": \"c\", \"constraints\": {\"minReplicas\": 1}}"), CONTRACT),
        ReasonCode.SCOPE_VIOLATION,
        "minReplicas 1");
    assertRejected(
        () ->
            MandateNarrowing.verify(
                scope("{\"contractRef\": \"c\", \"operations\": [\"delete\"]}"), CONTRACT),
        ReasonCode.SCOPE_VIOLATION,
        "DELETE");
    assertRejected(
        () ->
            MandateNarrowing.verify(
                scope(
                    "{\"contractRef\": \"c\", \"constraints\": {\"allowedPaths\": [\"/spec/**\"]}}"),
                CONTRACT),
        ReasonCode.SCOPE_VIOLATION,
        "/spec/**");
  }

  @Test
  void mandateNarrowingItsContract_isAccepted() throws Exception {
    MandateNarrowing.verify(
        scope(
            "{\"contractRef\": \"c\", \"operations\": [\"scale\"], \"constraints\": {\"minReplicas\": 3, \"maxReplicas\": 4, \"allowedPaths\": [\"/metadata/annotations/a\"]}}"),
        CONTRACT);
  }
}
