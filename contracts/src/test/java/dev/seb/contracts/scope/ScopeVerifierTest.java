package dev.seb.contracts.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.Operation;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.PatchType;
import dev.seb.contracts.v1alpha1.OperationConstraints;
import dev.seb.contracts.v1alpha1.OperationType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The operation must be inside the contract and inside the mandate's scope: type, replica range,
 * every path a patch touches, and the AWS action. Fixtures: a Deployment contract with a scale
 * range [1, 10], two patch operations and delete; an S3 contract with two actions.
 */
class ScopeVerifierTest {

  private static final MandateSpec.Scope UNCONSTRAINED = new MandateSpec.Scope("web", null, null);

  private ObjectNode contract = (ObjectNode) resource("contract-deployment.json");

  // ---- helpers ----

  static JsonNode resource(String name) {
    try (InputStream in = ScopeVerifierTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return CanonicalJson.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return CanonicalJson.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ExecutionContractSpec contract() {
    try {
      return CanonicalJson.mapper().treeToValue(contract, ExecutionContractSpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Operation scale(Integer replicas) {
    return new Operation(OperationType.SCALE, replicas, null, null, null, null, null);
  }

  private static Operation jsonPatch(JsonNode patch) {
    return new Operation(OperationType.PATCH, null, PatchType.JSON, patch, null, null, null);
  }

  private static Operation jsonPatch(String patch) {
    return jsonPatch(json(patch));
  }

  private static Operation mergePatch(JsonNode patch) {
    return new Operation(OperationType.PATCH, null, PatchType.MERGE, patch, null, null, null);
  }

  private static Operation mergePatch(String patch) {
    return mergePatch(json(patch));
  }

  private static Operation awsCall(String action) {
    return new Operation(OperationType.AWS_CALL, null, null, null, null, action, null);
  }

  private static Operation of(OperationType type) {
    return new Operation(type, null, null, null, null, null, null);
  }

  private static MandateSpec.Scope scope(List<OperationType> operations, OperationConstraints c) {
    return new MandateSpec.Scope("web", operations, c);
  }

  private static MandateSpec.Scope mandatePaths(String... allowedPaths) {
    return scope(null, new OperationConstraints(List.of(allowedPaths), null, null));
  }

  private void allowed(Operation operation, MandateSpec.Scope scope) {
    assertThatCode(() -> ScopeVerifier.verify(operation, contract(), scope))
        .doesNotThrowAnyException();
  }

  private void allowed(Operation operation) {
    allowed(operation, UNCONSTRAINED);
  }

  private VerificationException denied(Operation operation, MandateSpec.Scope scope) {
    return denied(() -> ScopeVerifier.verify(operation, contract(), scope));
  }

  private VerificationException denied(Operation operation) {
    return denied(operation, UNCONSTRAINED);
  }

  private static VerificationException denied(ThrowingCallable call) {
    VerificationException e = catchThrowableOfType(VerificationException.class, call);
    assertThat(e).as("expected a VerificationException").isNotNull();
    return e;
  }

  private static void assertReason(VerificationException e, ReasonCode reason, String... parts) {
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(parts);
  }

  private void addOperation(String json) {
    ((ArrayNode) contract.get("operations")).add(json(json));
  }

  // ---- operation type ----

  @Test
  void operationTypeOfTheContract_grantedByAMandateWithoutOperations_isAllowed() {
    allowed(of(OperationType.DELETE));
  }

  @Test
  void mandateWithEmptyOperations_grantsAllOfTheContracts() {
    allowed(of(OperationType.DELETE), scope(List.of(), null));
  }

  @Test
  void operationTypeNotInTheContract_isScopeViolation() {
    VerificationException e = denied(of(OperationType.CREATE));
    assertReason(
        e,
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.type create",
        "not an operation of the contract");
  }

  @Test
  void awsCallAgainstAKubernetesContract_isScopeViolation_namingTheTypeWithItsDash() {
    assertReason(
        denied(awsCall("s3:PutObject")),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.type aws-call");
  }

  @Test
  void contractWithoutOperations_allowsNothing() {
    contract.remove("operations");
    assertReason(denied(scale(3)), ReasonCode.SCOPE_VIOLATION, "spec.operation.type scale");
  }

  @Test
  void operationTypeInTheContractButNotGrantedByTheMandate_isScopeViolation() {
    VerificationException e =
        denied(of(OperationType.DELETE), scope(List.of(OperationType.SCALE), null));
    assertReason(
        e,
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.type delete",
        "not granted by the mandate's scope for contract web");
  }

  @Test
  void operationTypeGrantedByMandateAndContract_isAllowed() {
    allowed(
        of(OperationType.DELETE), scope(List.of(OperationType.SCALE, OperationType.DELETE), null));
  }

  // ---- scale ----

  @Test
  void replicasInsideContractRange_isAllowed_boundsInclusive() {
    allowed(scale(1));
    allowed(scale(4));
    allowed(scale(10));
  }

  @Test
  void replicasAboveContractMax_isScopeViolation() {
    assertReason(
        denied(scale(11)),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.replicas 11",
        "contract's range [1, 10]");
  }

  @Test
  void replicasBelowContractMin_isScopeViolation() {
    assertReason(
        denied(scale(0)),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.replicas 0",
        "contract's range [1, 10]");
  }

  @Test
  void replicasInsideContractButOutsideMandateRange_isScopeViolation() {
    MandateSpec.Scope mandate = scope(null, new OperationConstraints(null, 2, 5));
    allowed(scale(2), mandate);
    allowed(scale(5), mandate);
    assertReason(
        denied(scale(6), mandate),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.replicas 6",
        "mandate's range [2, 5]");
    assertReason(
        denied(scale(1), mandate),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.replicas 1",
        "mandate's range [2, 5]");
  }

  @Test
  void mandateWithOnlyAMaximum_stillLeavesTheContractMinimumInForce() {
    MandateSpec.Scope mandate = scope(null, new OperationConstraints(null, null, 3));
    allowed(scale(1), mandate);
    assertReason(denied(scale(0), mandate), ReasonCode.SCOPE_VIOLATION, "contract's range");
    assertReason(denied(scale(4), mandate), ReasonCode.SCOPE_VIOLATION, "mandate's range [0, 3]");
  }

  @Test
  void mandateConstraintsWithOnlyAllowedPaths_doNotLimitScale() {
    allowed(scale(10), mandatePaths("/spec/replicas"));
  }

  @Test
  void missingReplicas_isMalformed() {
    assertReason(denied(scale(null)), ReasonCode.MALFORMED_PROPOSAL, "spec.operation.replicas");
  }

  @Test
  void negativeReplicas_isMalformed() {
    assertReason(denied(scale(-1)), ReasonCode.MALFORMED_PROPOSAL, "spec.operation.replicas");
  }

  @Test
  void contractWithSeveralScaleOperations_allowsTheUnionOfTheirRanges() {
    addOperation(
        "{\"type\": \"scale\", \"constraints\": {\"minReplicas\": 20, \"maxReplicas\": 30}}");
    allowed(scale(10));
    allowed(scale(20));
    allowed(scale(30));
    assertReason(
        denied(scale(15)),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.replicas 15",
        "contract's range [1, 10]");
    assertReason(denied(scale(31)), ReasonCode.SCOPE_VIOLATION, "spec.operation.replicas 31");
  }

  @Test
  void scaleOperationWithoutConstraints_allowsAnyReplicaCount() {
    contract.set("operations", json("[{\"type\": \"scale\"}]"));
    allowed(scale(0));
    allowed(scale(1000));
  }

  @Test
  void scaleOperationWithOnlyAMaximum_allowsZero() {
    contract.set(
        "operations", json("[{\"type\": \"scale\", \"constraints\": {\"maxReplicas\": 3}}]"));
    allowed(scale(0));
    assertReason(denied(scale(4)), ReasonCode.SCOPE_VIOLATION, "contract's range [0, 3]");
  }

  // ---- JSON patch (RFC 6902) ----

  @Test
  void goldenJsonPatch_everyWrittenPathInsideTheContract_isAllowed() {
    allowed(jsonPatch(resource("json-patch-golden.json")));
  }

  @Test
  void jsonPatch_touchedPaths_areWrittenPathsPlusMoveSources_withoutTestAndCopySources()
      throws VerificationException {
    assertThat(ScopeVerifier.touchedPaths(jsonPatch(resource("json-patch-golden.json"))))
        .containsExactly(
            "/spec/template/spec/containers/0/image",
            "/metadata/labels/release",
            "/metadata/labels/canary",
            "/metadata/annotations/seb.dev~1owner",
            "/metadata/labels/app",
            "/metadata/labels/new",
            "/metadata/labels/old",
            "/spec/replicas");
  }

  @Test
  void jsonPatchPathOutsideAllowedPaths_isScopeViolation_namingThePath() {
    VerificationException e =
        denied(jsonPatch("[{\"op\": \"replace\", \"path\": \"/spec/paused\", \"value\": true}]"));
    assertReason(
        e,
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.patch touches /spec/paused",
        "contract's allowedPaths");
  }

  @Test
  void oneBadOperationAmongGoodOnes_isScopeViolation() {
    ArrayNode patch = (ArrayNode) resource("json-patch-golden.json");
    patch.add(json("{\"op\": \"remove\", \"path\": \"/spec/template/spec/serviceAccountName\"}"));
    assertReason(
        denied(jsonPatch(patch)),
        ReasonCode.SCOPE_VIOLATION,
        "/spec/template/spec/serviceAccountName");
  }

  @Test
  void escapedAnnotationKey_isAllowed_butASiblingKeyIsNot() {
    allowed(
        jsonPatch(
            "[{\"op\": \"add\", \"path\": \"/metadata/annotations/seb.dev~1owner\", \"value\": \"x\"}]"));
    assertReason(
        denied(
            jsonPatch(
                "[{\"op\": \"add\", \"path\": \"/metadata/annotations/seb.dev~1approver\", \"value\": \"x\"}]")),
        ReasonCode.SCOPE_VIOLATION,
        "/metadata/annotations/seb.dev~1approver");
  }

  @Test
  void unescapedSlashInAnAnnotationKey_isTwoSegments_andOutsideTheEscapedPattern() {
    assertReason(
        denied(
            jsonPatch(
                "[{\"op\": \"add\", \"path\": \"/metadata/annotations/seb.dev/owner\", \"value\": \"x\"}]")),
        ReasonCode.SCOPE_VIOLATION,
        "/metadata/annotations/seb.dev/owner");
  }

  @Test
  void replacingTheWholeAnnotationsMap_isOutsideAPatternForOneAnnotation() {
    assertReason(
        denied(
            jsonPatch(
                "[{\"op\": \"replace\", \"path\": \"/metadata/annotations\", \"value\": {}}]")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /metadata/annotations,");
  }

  @Test
  void starMatchesOneSegment_soAWholeContainerIsOutside() {
    allowed(
        jsonPatch(
            "[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/1/image\", \"value\": \"i\"}]"));
    assertReason(
        denied(
            jsonPatch(
                "[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/1\", \"value\": {}}]")),
        ReasonCode.SCOPE_VIOLATION,
        "/spec/template/spec/containers/1,");
  }

  @Test
  void doubleStarMatchesItsPrefixAndAnyDepthBelow() {
    allowed(jsonPatch("[{\"op\": \"replace\", \"path\": \"/metadata/labels\", \"value\": {}}]"));
    allowed(
        jsonPatch("[{\"op\": \"add\", \"path\": \"/metadata/labels/a~1b\", \"value\": \"c\"}]"));
    assertReason(
        denied(jsonPatch("[{\"op\": \"remove\", \"path\": \"/metadata\"}]")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /metadata,");
  }

  @Test
  void moveFromInsideAllowedPaths_isAllowed() {
    allowed(
        jsonPatch(
            "[{\"op\": \"move\", \"from\": \"/metadata/labels/a\", \"path\": \"/metadata/labels/b\"}]"));
  }

  @Test
  void moveFromOutsideAllowedPaths_isScopeViolation() {
    // a move removes its source, so the source must be writable too
    VerificationException e =
        denied(
            jsonPatch(
                "[{\"op\": \"move\", \"from\": \"/spec/template/spec/serviceAccountName\","
                    + " \"path\": \"/metadata/labels/sa\"}]"));
    assertReason(
        e,
        ReasonCode.SCOPE_VIOLATION,
        "touches /spec/template/spec/serviceAccountName",
        "contract's allowedPaths");
  }

  @Test
  void copyFromOutsideAllowedPaths_isAllowed_becauseCopyOnlyReadsItsSource() {
    allowed(
        jsonPatch(
            "[{\"op\": \"copy\", \"from\": \"/spec/template/spec/serviceAccountName\","
                + " \"path\": \"/metadata/labels/sa\"}]"));
  }

  @Test
  void copyToOutsideAllowedPaths_isScopeViolation() {
    assertReason(
        denied(
            jsonPatch(
                "[{\"op\": \"copy\", \"from\": \"/metadata/labels/app\","
                    + " \"path\": \"/spec/template/spec/serviceAccountName\"}]")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /spec/template/spec/serviceAccountName");
  }

  @Test
  void testOperationOutsideAllowedPaths_isIgnored_becauseItOnlyReads() {
    allowed(
        jsonPatch(
            "[{\"op\": \"test\", \"path\": \"/spec/template/spec/serviceAccountName\", \"value\": \"x\"},"
                + " {\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]"));
  }

  @Test
  void testOperationWithoutPath_isMalformed() {
    assertReason(
        denied(jsonPatch("[{\"op\": \"test\", \"value\": \"x\"}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[0].path");
  }

  @Test
  void replacingTheWholeDocument_isOutside_unlessTheContractAllowsRootDoubleStar()
      throws Exception {
    Operation whole = jsonPatch("[{\"op\": \"replace\", \"path\": \"\", \"value\": {}}]");
    assertReason(denied(whole), ReasonCode.SCOPE_VIOLATION, "touches the whole object");
    contract.set(
        "operations",
        json("[{\"type\": \"patch\", \"constraints\": {\"allowedPaths\": [\"/**\"]}}]"));
    allowed(whole);
  }

  @Test
  void patchOperationWithoutAllowedPaths_allowsNothing() {
    contract.set(
        "operations", json("[{\"type\": \"patch\"}, {\"type\": \"patch\", \"constraints\": {}}]"));
    assertReason(
        denied(jsonPatch("[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /spec/replicas");
  }

  @Test
  void malformedContractPattern_allowsNothing_butTheOthersStillApply() {
    contract.set(
        "operations",
        json(
            "[{\"type\": \"patch\", \"constraints\": {\"allowedPaths\": [\"spec/replicas\","
                + " \"/spec/**/image\", \"/spec/paused\"]}}]"));
    allowed(jsonPatch("[{\"op\": \"replace\", \"path\": \"/spec/paused\", \"value\": true}]"));
    assertReason(
        denied(jsonPatch("[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /spec/replicas");
  }

  @Test
  void pathInTheContractButNotInTheMandatesAllowedPaths_isScopeViolation() {
    MandateSpec.Scope mandate = mandatePaths("/spec/replicas");
    allowed(
        jsonPatch("[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]"), mandate);
    VerificationException e =
        denied(
            jsonPatch("[{\"op\": \"add\", \"path\": \"/metadata/labels/x\", \"value\": \"y\"}]"),
            mandate);
    assertReason(
        e, ReasonCode.SCOPE_VIOLATION, "touches /metadata/labels/x", "mandate's allowedPaths");
  }

  @Test
  void pathInTheMandateButNotInTheContract_isStillScopeViolation() {
    VerificationException e =
        denied(
            jsonPatch("[{\"op\": \"replace\", \"path\": \"/spec/paused\", \"value\": true}]"),
            mandatePaths("/spec/**"));
    assertReason(e, ReasonCode.SCOPE_VIOLATION, "touches /spec/paused", "contract's allowedPaths");
  }

  @Test
  void mandateWithEmptyAllowedPaths_allowsNoPatch() {
    assertReason(
        denied(
            jsonPatch("[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]"),
            mandatePaths()),
        ReasonCode.SCOPE_VIOLATION,
        "mandate's allowedPaths");
  }

  @Test
  void mandateWithOnlyReplicaConstraints_leavesPathsToTheContract() {
    allowed(
        jsonPatch("[{\"op\": \"add\", \"path\": \"/metadata/labels/x\", \"value\": \"y\"}]"),
        scope(null, new OperationConstraints(null, 2, 3)));
  }

  @Test
  void pathsMayComeFromDifferentPatchOperationsOfTheContract() {
    allowed(
        jsonPatch(
            "[{\"op\": \"add\", \"path\": \"/metadata/annotations/seb.dev~1owner\", \"value\": \"x\"},"
                + " {\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]"));
  }

  @Test
  void missingPatch_isMalformed() {
    assertReason(
        denied(new Operation(OperationType.PATCH, null, PatchType.JSON, null, null, null, null)),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch is missing");
    assertReason(
        denied(jsonPatch("null")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch is missing");
  }

  @Test
  void missingPatchType_isMalformed() {
    assertReason(
        denied(
            new Operation(
                OperationType.PATCH, null, null, json("{\"spec\": {}}"), null, null, null)),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patchType");
  }

  @Test
  void emptyJsonPatch_isMalformed() {
    assertReason(denied(jsonPatch("[]")), ReasonCode.MALFORMED_PROPOSAL, "spec.operation.patch");
  }

  @Test
  void jsonPatchThatIsAnObject_isMalformed() {
    assertReason(
        denied(jsonPatch("{\"spec\": {\"replicas\": 3}}")),
        ReasonCode.MALFORMED_PROPOSAL,
        "non-empty JSON patch array");
  }

  @Test
  void jsonPatchEntryThatIsNotAnObject_isMalformed() {
    assertReason(
        denied(jsonPatch("[\"/spec/replicas\"]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[0].path");
  }

  @Test
  void pathThatIsNotAJsonPointer_isMalformed_namingTheEntry() {
    assertReason(
        denied(
            jsonPatch(
                "[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3},"
                    + " {\"op\": \"replace\", \"path\": \"spec/replicas\", \"value\": 3}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[1].path");
    assertReason(
        denied(jsonPatch("[{\"op\": \"replace\", \"path\": 7, \"value\": 3}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[0].path");
  }

  @Test
  void unknownOp_isMalformed_namingIt() {
    assertReason(
        denied(jsonPatch("[{\"op\": \"merge\", \"path\": \"/spec/replicas\", \"value\": 3}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[0].op 'merge'");
    assertReason(
        denied(jsonPatch("[{\"op\": \"Replace\", \"path\": \"/spec/replicas\", \"value\": 3}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "'Replace'");
    assertReason(
        denied(jsonPatch("[{\"path\": \"/spec/replicas\", \"value\": 3}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[0].op");
  }

  @Test
  void moveOrCopyWithoutFrom_isMalformed() {
    assertReason(
        denied(jsonPatch("[{\"op\": \"move\", \"path\": \"/metadata/labels/b\"}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[0].from");
    assertReason(
        denied(
            jsonPatch(
                "[{\"op\": \"copy\", \"from\": \"metadata/labels/a\", \"path\": \"/metadata/labels/b\"}]")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch[0].from");
  }

  // ---- merge patch (RFC 7386) ----

  @Test
  void goldenMergePatch_isAllowed() {
    allowed(mergePatch(resource("merge-patch-golden.json")));
  }

  @Test
  void mergePatch_touchedPaths_areLeaves_nestedObjectsRecurse_keysEscaped()
      throws VerificationException {
    assertThat(ScopeVerifier.touchedPaths(mergePatch(resource("merge-patch-tricky.json"))))
        .containsExactly(
            "/metadata/annotations/seb.dev~1owner",
            "/metadata/annotations/a~0b",
            "/metadata/labels",
            "/spec/replicas",
            "/spec/paused",
            "/spec/template/spec/containers");
  }

  @Test
  void mergePatchWithAnArray_replacesTheWholeArray_soAPerElementPatternDoesNotCoverIt() {
    VerificationException e =
        denied(
            mergePatch(
                "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"web\","
                    + " \"image\": \"shop/web:2\"}]}}}}"));
    assertReason(
        e,
        ReasonCode.SCOPE_VIOLATION,
        "touches /spec/template/spec/containers,",
        "contract's allowedPaths");
  }

  @Test
  void mergePatchNullDeletesTheKey_andIsCheckedLikeAnyWrite() {
    allowed(mergePatch("{\"metadata\": {\"labels\": {\"canary\": null}}}"));
    assertReason(
        denied(mergePatch("{\"spec\": {\"paused\": null}}")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /spec/paused");
  }

  @Test
  void mergePatchNullOnAWholeSubtree_isOutsideItsLeafPatterns() {
    assertReason(
        denied(mergePatch("{\"metadata\": {\"annotations\": null}}")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /metadata/annotations,");
  }

  @Test
  void mergePatchKeyWithSlash_isEscaped_andMatchesTheEscapedPattern() {
    allowed(mergePatch("{\"metadata\": {\"annotations\": {\"seb.dev/owner\": \"team\"}}}"));
    assertReason(
        denied(mergePatch("{\"metadata\": {\"annotations\": {\"seb.dev/approver\": \"me\"}}}")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /metadata/annotations/seb.dev~1approver");
  }

  @Test
  void mergePatchOutsideTheMandate_isScopeViolation() {
    assertReason(
        denied(mergePatch("{\"spec\": {\"replicas\": 3}}"), mandatePaths("/metadata/labels/*")),
        ReasonCode.SCOPE_VIOLATION,
        "touches /spec/replicas",
        "mandate's allowedPaths");
  }

  @Test
  void emptyMergePatch_isMalformed() {
    assertReason(
        denied(mergePatch("{}")),
        ReasonCode.MALFORMED_PROPOSAL,
        "spec.operation.patch is an empty");
  }

  @Test
  void nonObjectMergePatch_replacesTheWholeObject() throws VerificationException {
    assertThat(ScopeVerifier.touchedPaths(mergePatch("[1, 2]"))).containsExactly("");
    assertThat(ScopeVerifier.touchedPaths(mergePatch("\"text\""))).containsExactly("");
    assertReason(
        denied(mergePatch("[{\"op\": \"remove\", \"path\": \"/spec/replicas\"}]")),
        ReasonCode.SCOPE_VIOLATION,
        "touches the whole object");
  }

  // ---- aws-call ----

  @Test
  void awsActionAmongTheContractsActions_isAllowed() {
    contract = (ObjectNode) resource("contract-aws.json");
    allowed(awsCall("s3:PutObject"));
    allowed(awsCall("s3:PutObjectTagging"));
  }

  @Test
  void awsActionNotAmongTheContractsActions_isScopeViolation_namingTheAction() {
    contract = (ObjectNode) resource("contract-aws.json");
    assertReason(
        denied(awsCall("s3:DeleteObject")),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.action s3:DeleteObject",
        "contract's actions");
    assertReason(
        denied(awsCall("s3:putobject")), ReasonCode.SCOPE_VIOLATION, "spec.operation.action");
  }

  @Test
  void awsCallWithoutAction_isScopeViolation() {
    contract = (ObjectNode) resource("contract-aws.json");
    assertReason(denied(awsCall(null)), ReasonCode.SCOPE_VIOLATION, "spec.operation.action");
  }

  @Test
  void awsCallOnAContractWithoutAwsTarget_isScopeViolation() {
    addOperation("{\"type\": \"aws-call\"}");
    assertReason(
        denied(awsCall("s3:PutObject")),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.type aws-call needs a contract with an AWS target");
  }

  @Test
  void awsTargetWithoutActions_allowsNoAction() {
    contract = (ObjectNode) resource("contract-aws.json");
    ((ObjectNode) contract.get("target").get("aws")).remove("actions");
    assertReason(
        denied(awsCall("s3:PutObject")),
        ReasonCode.SCOPE_VIOLATION,
        "spec.operation.action s3:PutObject");
  }

  @Test
  void awsCallNotGrantedByTheMandate_isScopeViolation() {
    contract = (ObjectNode) resource("contract-aws.json");
    assertReason(
        denied(awsCall("s3:PutObject"), scope(List.of(OperationType.PATCH), null)),
        ReasonCode.SCOPE_VIOLATION,
        "not granted by the mandate's scope");
  }

  // create: CertifiedCreateTest
}
