package dev.seb.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.admission.AdmissionRules;
import dev.seb.contracts.admission.AdmissionVerdict;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * AdmissionReview v1 endpoints, a thin shell around {@link AdmissionRules}. Anything that goes
 * wrong while deciding is a denial: the API server's {@code failurePolicy: Fail} covers the webhook
 * being unreachable, this covers it being reachable but confused.
 *
 * <p>Decisions run on the event loop: they are pure and take microseconds, and nothing here blocks
 * (a break-glass write waits for the broker's record asynchronously, see {@link Notices}). On
 * worker threads, HTTP/2 at a few hundred requests per second lost request bodies (answered as
 * denials) and reset streams until the connection was closed; see {@code
 * AdmissionHandlerBenchmarkIT}.
 */
@Path("/")
@NonBlocking
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdmissionResource {

  private static final Logger LOG = Logger.getLogger(AdmissionResource.class);

  private final AdmissionRules rules;
  private final Notices notices;

  AdmissionResource(AdmissionRules rules, Notices notices) {
    this.rules = rules;
    this.notices = notices;
  }

  /**
   * Every write and connect in namespaces labelled seb.dev/protected=true (selected by the
   * registration). A break-glass write is allowed only once the broker has recorded it (a dry run
   * writes nothing and is not recorded); the wait for the broker does not hold the event loop.
   */
  @POST
  @Path("validate/protected")
  public Uni<String> protectedNamespaces(byte[] body) {
    return decideRecorded(
        body,
        review -> recorded(Kind.BREAK_GLASS, review, rules.protectedNamespace(review.request())));
  }

  /**
   * A verdict that allows with a warning (break-glass, the end of a namespace's protection) stands
   * only once the broker has recorded it; a dry run changes nothing and is not recorded.
   */
  private Uni<AdmissionVerdict> recorded(Kind kind, Review review, AdmissionVerdict verdict) {
    return verdict instanceof AdmissionVerdict.AllowWithWarning && !review.dryRun()
        ? notices.require(kind, review.uid(), review.request(), verdict)
        : Uni.createFrom().item(verdict);
  }

  /** One AdmissionReview's request: its uid, whether it is a dry run, and what it asks. */
  private record Review(String uid, boolean dryRun, AdmissionRequest request) {}

  /**
   * The guard: the broker's own RBAC, ServiceAccount and Secret writes outside protected
   * namespaces, and the removal of a namespace's protection, allowed to a protection admin only
   * once the broker has recorded it as an {@code unprotect} record.
   */
  @POST
  @Path("validate/guard")
  public Uni<String> guard(byte[] body) {
    return decideRecorded(
        body, review -> recorded(Kind.UNPROTECT, review, rules.guard(review.request())));
  }

  /** seb's own kinds, in every namespace. */
  @POST
  @Path("validate/seb")
  public String sebKinds(byte[] body) {
    return decide(body, rules::sebKinds);
  }

  /** Stamps new MutationProposals with their creator. */
  @POST
  @Path("mutate/proposals")
  public String stampProposals(byte[] body) throws IOException {
    JsonNode review = AdmissionReviews.parse(body);
    String uid = AdmissionReviews.uid(review);
    try {
      AdmissionRequest request = AdmissionReviews.request(review);
      if (!"CREATE".equals(request.operation()) || request.username() == null) {
        return AdmissionReviews.response(uid, new AdmissionVerdict.Allow(), null);
      }
      String patch = AdmissionRules.stampSubmitter(request).toString();
      return AdmissionReviews.response(uid, new AdmissionVerdict.Allow(), patch);
    } catch (RuntimeException e) {
      LOG.errorf(e, "cannot stamp proposal %s", uid);
      return AdmissionReviews.response(
          uid,
          new AdmissionVerdict.Deny(
              "seb admission webhook could not stamp the proposal: " + e.getMessage()),
          null);
    }
  }

  /** As {@link #decide}, for a rule whose verdict may wait for a record (uid, request). */
  private Uni<String> decideRecorded(byte[] body, Function<Review, Uni<AdmissionVerdict>> rule) {
    String uid = null;
    try {
      JsonNode review = AdmissionReviews.parse(body);
      String id = AdmissionReviews.uid(review);
      uid = id;
      boolean dryRun = review.path("request").path("dryRun").asBoolean(false);
      return rule.apply(new Review(id, dryRun, AdmissionReviews.request(review)))
          .map(verdict -> AdmissionReviews.response(id, verdict, null))
          .onFailure()
          .recoverWithItem(e -> failedClosed(id, e));
    } catch (IOException | RuntimeException e) {
      return Uni.createFrom().item(failedClosed(uid, e));
    }
  }

  private static String failedClosed(String uid, Throwable e) {
    LOG.errorf(e, "cannot decide admission %s", uid);
    return AdmissionReviews.response(
        uid,
        new AdmissionVerdict.Deny("seb admission webhook failed closed: " + e.getMessage()),
        null);
  }

  private String decide(byte[] body, Function<AdmissionRequest, AdmissionVerdict> rule) {
    String uid = null;
    try {
      JsonNode review = AdmissionReviews.parse(body);
      uid = AdmissionReviews.uid(review);
      return AdmissionReviews.response(uid, rule.apply(AdmissionReviews.request(review)), null);
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "cannot decide admission %s", uid);
      return AdmissionReviews.response(
          uid,
          new AdmissionVerdict.Deny("seb admission webhook failed closed: " + e.getMessage()),
          null);
    }
  }
}
