package dev.seb.broker.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.broker.identity.Authorizer;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.execution.Executor;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;

/**
 * Performs one admitted mutation with the minted identity's client, conditioned on the
 * resourceVersion the live-state check read: a concurrent change makes the API server refuse the
 * write, which is DRIFT_DETECTED. No blind write, and no retry of a write the API server let
 * through to admission; the one write that goes out again is one the authorizer refused because it
 * had not yet seen the identity's RoleBinding.
 */
final class KubernetesExecutor implements Executor<JsonNode> {

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(KubernetesExecutor.class);

  private final KubernetesClient identity;
  private final String username;
  private final TargetResource target;

  /**
   * @param identity the minted identity's client
   * @param username its user name, as the API server's authorizer names it in a refusal
   */
  public KubernetesExecutor(KubernetesClient identity, String username, TargetResource target) {
    this.identity = identity;
    this.username = username;
    this.target = target;
  }

  /**
   * Returns the object as the API server answered the write (the scale subresource for a scale), or
   * null for a delete.
   */
  @Override
  public JsonNode execute(AdmittedExecution admitted) throws VerificationException {
    String rv = admitted.resourceVersion();
    try {
      try {
        return write(admitted);
      } catch (KubernetesClientException e) {
        if (!refusedByTheAuthorizer(e)) {
          throw e;
        }
        // the authorizer works from its own cache of RBAC objects, which can lag the RoleBinding
        // minted a moment ago (on a cluster of API servers, each one's cache separately). The
        // request was refused before admission: nothing was written. Once the authorizer grants
        // the identity its Role, the same conditioned write goes out once more; a change to the
        // target meanwhile still makes it fail as drift.
        long waiting = System.nanoTime();
        boolean granted =
            Authorizer.awaitGranted(
                identity, target, TargetResource.Access.of(admitted.operation().type()));
        LOG.infof(
            "the authorizer had not yet seen the RoleBinding of %s; %s after %d ms",
            username,
            granted ? "granted" : "still refused",
            (System.nanoTime() - waiting) / 1_000_000);
        if (!granted) {
          throw new VerificationException(
              ReasonCode.EXECUTION_FAILED,
              "the API server's authorizer did not grant the minted identity its Role within "
                  + Authorizer.GRANT_SEEN_WITHIN.toSeconds()
                  + " s; nothing was written: "
                  + e.getMessage(),
              e);
        }
        return write(admitted);
      }
    } catch (KubernetesClientException e) {
      boolean conflict =
          e.getCode() == 409
              || (e.getCode() == 422 && String.valueOf(e.getMessage()).contains("test"));
      throw new VerificationException(
          conflict ? ReasonCode.DRIFT_DETECTED : ReasonCode.EXECUTION_FAILED,
          (conflict
                  ? "the target changed after it was checked (resourceVersion "
                      + rv
                      + "); nothing was written: "
                  : "the write failed: ")
              + e.getMessage(),
          e);
    }
  }

  /**
   * Whether the API server's authorizer, not admission, refused the minted identity: its message
   * names the user and what it cannot do; an admission webhook or policy names itself instead.
   */
  private boolean refusedByTheAuthorizer(KubernetesClientException e) {
    String message = String.valueOf(e.getStatus() == null ? null : e.getStatus().getMessage());
    return e.getCode() == 403
        && message.contains("User \"" + username + "\" cannot ")
        && !message.contains("admission webhook")
        && !message.contains("ValidatingAdmissionPolicy");
  }

  private JsonNode write(AdmittedExecution admitted) throws VerificationException {
    // addressed by a stub, so the client writes without reading the object first: the minted
    // identity needs no read access, and the write is one round trip
    GenericKubernetesResource stub = new GenericKubernetesResource();
    stub.setApiVersion(admitted.target().apiVersion());
    stub.setKind(admitted.target().kind());
    stub.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(admitted.target().name())
            .withNamespace(admitted.target().namespace())
            .build());
    var resource =
        identity
            .genericKubernetesResources(target.context())
            .inNamespace(admitted.target().namespace())
            .resource(stub);
    String rv = admitted.resourceVersion();
    GenericKubernetesResource written =
        switch (admitted.operation().type()) {
          case SCALE -> {
            ObjectNode body = CanonicalJson.mapper().createObjectNode();
            body.putObject("metadata").put("resourceVersion", rv);
            body.putObject("spec").put("replicas", admitted.operation().replicas());
            yield resource
                .subresource("scale")
                .patch(
                    PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    body.toString());
          }
          case PATCH -> {
            if (admitted.operation().patchType() == PatchType.JSON) {
              ArrayNode ops = CanonicalJson.mapper().createArrayNode();
              ops.addObject()
                  .put("op", "test")
                  .put("path", "/metadata/resourceVersion")
                  .put("value", rv);
              admitted.operation().patch().forEach(ops::add);
              yield resource.patch(
                  PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                  ops.toString());
            }
            ObjectNode merge = admitted.operation().patch().deepCopy();
            merge.withObject("metadata").put("resourceVersion", rv);
            yield resource.patch(
                PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                merge.toString());
          }
          case CREATE -> {
            // exactly the object the pipeline compared with the certified manifest (the target,
            // its namespace filled in); an existing object makes the API server answer 409, which
            // is drift
            GenericKubernetesResource object =
                CanonicalJson.mapper()
                    .convertValue(admitted.objectToCreate(), GenericKubernetesResource.class);
            yield identity
                .genericKubernetesResources(target.context())
                .inNamespace(admitted.target().namespace())
                .resource(object)
                .create();
          }
          case DELETE -> {
            // preconditioned on the checked resourceVersion: a changed object is not deleted
            var deleted = resource.lockResourceVersion(rv).delete();
            if (deleted == null || deleted.isEmpty()) {
              throw new VerificationException(
                  ReasonCode.DRIFT_DETECTED,
                  "the target was deleted after it was checked; nothing was deleted by seb");
            }
            yield null;
          }
          case AWS_CALL ->
              throw new VerificationException(
                  ReasonCode.EXECUTION_FAILED,
                  "spec.operation.type aws-call is not executable on a Kubernetes target");
        };
    return written == null ? null : CanonicalJson.mapper().valueToTree(written);
  }
}
