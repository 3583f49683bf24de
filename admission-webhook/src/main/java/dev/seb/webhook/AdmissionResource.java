package dev.seb.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.admission.AdmissionRules;
import dev.seb.contracts.admission.AdmissionVerdict;
import dev.seb.contracts.canonical.CanonicalJson;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * AdmissionReview v1 endpoints, a thin shell around {@link AdmissionRules}. Anything that goes
 * wrong while deciding is a denial: the API server's {@code failurePolicy: Fail} covers the webhook
 * being unreachable, this covers it being reachable but confused.
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdmissionResource {

  private static final Logger LOG = Logger.getLogger(AdmissionResource.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final AdmissionRules rules;
  private final BreakGlassEvents breakGlass;

  AdmissionResource(AdmissionRules rules, BreakGlassEvents breakGlass) {
    this.rules = rules;
    this.breakGlass = breakGlass;
  }

  /**
   * Protected kinds in namespaces labelled seb.dev/protected=true (selected by the configuration).
   */
  @POST
  @Path("validate/protected")
  public String protectedNamespaces(String body) {
    return decide(
        body,
        request -> {
          AdmissionVerdict verdict = rules.protectedNamespace(request);
          if (verdict instanceof AdmissionVerdict.AllowWithWarning warning) {
            breakGlass.record(
                request.namespace(), request.resource(), request.name(), warning.warning());
          }
          return verdict;
        });
  }

  /** seb's own kinds, in every namespace. */
  @POST
  @Path("validate/seb")
  public String sebKinds(String body) {
    return decide(body, rules::sebKinds);
  }

  /** Stamps new MutationProposals with their creator. */
  @POST
  @Path("mutate/proposals")
  public String stampProposals(String body) {
    AdmissionReview review = JSON.unmarshal(body, AdmissionReview.class);
    String uid = review.getRequest() == null ? null : review.getRequest().getUid();
    try {
      AdmissionRequest request = toRequest(review);
      if (!"CREATE".equals(request.operation()) || request.username() == null) {
        return respond(uid, new AdmissionVerdict.Allow(), null);
      }
      String patch = AdmissionRules.stampSubmitter(request).toString();
      return respond(uid, new AdmissionVerdict.Allow(), patch);
    } catch (RuntimeException e) {
      LOG.errorf(e, "cannot stamp proposal %s", uid);
      return respond(
          uid,
          new AdmissionVerdict.Deny(
              "seb admission webhook could not stamp the proposal: " + e.getMessage()),
          null);
    }
  }

  private String decide(String body, Function<AdmissionRequest, AdmissionVerdict> rule) {
    String uid = null;
    try {
      AdmissionReview review = JSON.unmarshal(body, AdmissionReview.class);
      uid = review.getRequest().getUid();
      return respond(uid, rule.apply(toRequest(review)), null);
    } catch (RuntimeException e) {
      LOG.errorf(e, "cannot decide admission %s", uid);
      return respond(
          uid,
          new AdmissionVerdict.Deny("seb admission webhook failed closed: " + e.getMessage()),
          null);
    }
  }

  private static AdmissionRequest toRequest(AdmissionReview review) {
    var r = review.getRequest();
    var user = r.getUserInfo();
    return new AdmissionRequest(
        r.getOperation(),
        r.getResource() == null ? null : r.getResource().getGroup(),
        r.getResource() == null ? null : r.getResource().getResource(),
        r.getSubResource() == null || r.getSubResource().isEmpty() ? null : r.getSubResource(),
        r.getNamespace(),
        r.getName(),
        user == null ? null : user.getUsername(),
        user == null || user.getGroups() == null
            ? java.util.Set.of()
            : new HashSet<>(user.getGroups()),
        tree(r.getObject()),
        tree(r.getOldObject()));
  }

  private static JsonNode tree(Object object) {
    return object == null ? null : CanonicalJson.mapper().valueToTree(object);
  }

  private static String respond(String uid, AdmissionVerdict verdict, String jsonPatch) {
    AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(uid);
    if (verdict instanceof AdmissionVerdict.Deny deny) {
      response
          .withAllowed(false)
          .withStatus(
              new StatusBuilder()
                  .withCode(403)
                  .withReason("Forbidden")
                  .withMessage(deny.message())
                  .build());
    } else if (verdict instanceof AdmissionVerdict.AllowWithWarning warn) {
      response
          .withAllowed(true)
          .withWarnings(List.of(warn.warning()))
          .withAuditAnnotations(warn.auditAnnotations());
    } else {
      response.withAllowed(true);
    }
    if (jsonPatch != null) {
      response
          .withPatchType("JSONPatch")
          .withPatch(
              Base64.getEncoder().encodeToString(jsonPatch.getBytes(StandardCharsets.UTF_8)));
    }
    AdmissionResponse built = response.build();
    return JSON.asJson(
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withResponse(built)
            .build());
  }
}
