package dev.seb.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.admission.AdmissionRules;
import dev.seb.contracts.admission.AdmissionVerdict;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.webhook.observe.AdmissionMetrics;
import dev.seb.webhook.observe.AdmissionMetrics.Reason;
import dev.seb.webhook.observe.WebhookEvents;
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
import org.jboss.logging.MDC;

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
 *
 * <p>Every answer is counted and timed ({@link AdmissionMetrics}); an allowed break-glass write or
 * unprotect is also an Event ({@link WebhookEvents}); log lines carry the AdmissionReview uid as
 * {@code admission}.
 */
@Path("/")
@NonBlocking
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdmissionResource {

  private static final Logger LOG = Logger.getLogger(AdmissionResource.class);

  private final AdmissionRules rules;
  private final Notices notices;
  private final AdmissionMetrics metrics;
  private final WebhookEvents events;

  AdmissionResource(
      AdmissionRules rules, Notices notices, AdmissionMetrics metrics, WebhookEvents events) {
    this.rules = rules;
    this.notices = notices;
    this.metrics = metrics;
    this.events = events;
  }

  /**
   * Every write and connect in namespaces labelled seb.dev/protected=true (selected by the
   * registration). A break-glass write is allowed only once the broker has recorded it (a dry run
   * writes nothing and is not recorded); the wait for the broker does not hold the event loop.
   */
  @POST
  @Path("validate/protected")
  public Uni<String> protectedNamespaces(byte[] body) {
    return decideRecorded("protected", Kind.BREAK_GLASS, body, rules::protectedNamespace);
  }

  /**
   * The guard: the broker's own RBAC, ServiceAccount and Secret writes outside protected
   * namespaces, and the removal of a namespace's protection, allowed to a protection admin only
   * once the broker has recorded it as an {@code unprotect} record.
   */
  @POST
  @Path("validate/guard")
  public Uni<String> guard(byte[] body) {
    return decideRecorded("guard", Kind.UNPROTECT, body, rules::guard);
  }

  /** seb's own kinds, in every namespace. */
  @POST
  @Path("validate/seb")
  public String sebKinds(byte[] body) {
    long start = System.nanoTime();
    String uid = null;
    try {
      JsonNode review = AdmissionReviews.parse(body);
      uid = admission(review);
      AdmissionVerdict verdict = rules.sebKinds(AdmissionReviews.request(review));
      return answer("seb", uid, verdict, null, reason(verdict, null), start);
    } catch (IOException | RuntimeException e) {
      return failedClosed("seb", uid, e, start);
    }
  }

  /** Stamps new MutationProposals with their creator. */
  @POST
  @Path("mutate/proposals")
  public String stampProposals(byte[] body) throws IOException {
    long start = System.nanoTime();
    JsonNode review = AdmissionReviews.parse(body);
    String uid = admission(review);
    try {
      AdmissionRequest request = AdmissionReviews.request(review);
      if (!"CREATE".equals(request.operation()) || request.username() == null) {
        return answer("proposals", uid, new AdmissionVerdict.Allow(), null, Reason.ALLOWED, start);
      }
      String patch = AdmissionRules.stampSubmitter(request).toString();
      return answer("proposals", uid, new AdmissionVerdict.Allow(), patch, Reason.ALLOWED, start);
    } catch (RuntimeException e) {
      LOG.errorf(e, "cannot stamp proposal %s", uid);
      return answer(
          "proposals",
          uid,
          new AdmissionVerdict.Deny(
              "seb admission webhook could not stamp the proposal: " + e.getMessage()),
          null,
          Reason.FAILED_CLOSED,
          start);
    }
  }

  /**
   * Decides by the rule; a verdict that allows with a warning (break-glass, the end of a
   * namespace's protection) stands only once the broker has recorded it as {@code kind}. A dry run
   * changes nothing and is not recorded. Anything that goes wrong is a denial.
   */
  private Uni<String> decideRecorded(
      String endpoint, Kind kind, byte[] body, Function<AdmissionRequest, AdmissionVerdict> rule) {
    long start = System.nanoTime();
    String uid = null;
    try {
      JsonNode review = AdmissionReviews.parse(body);
      String id = admission(review);
      uid = id;
      boolean dryRun = review.path("request").path("dryRun").asBoolean(false);
      AdmissionRequest request = AdmissionReviews.request(review);
      AdmissionVerdict verdict = rule.apply(request);
      if (!(verdict instanceof AdmissionVerdict.AllowWithWarning) || dryRun) {
        return Uni.createFrom()
            .item(answer(endpoint, id, verdict, null, reason(verdict, kind), start));
      }
      return notices
          .require(kind, id, request, verdict)
          .map(
              answered -> {
                if (answered instanceof AdmissionVerdict.Deny) {
                  return answer(endpoint, id, answered, null, Reason.NOT_RECORDED, start);
                }
                events.allowedRecorded(kind, id, request);
                return answer(endpoint, id, answered, null, reason(answered, kind), start);
              })
          .onFailure()
          .recoverWithItem(e -> failedClosed(endpoint, id, e, start));
    } catch (IOException | RuntimeException e) {
      return Uni.createFrom().item(failedClosed(endpoint, uid, e, start));
    }
  }

  /** The review's uid, also put on this request's log lines as {@code admission}. */
  private static String admission(JsonNode review) {
    String uid = AdmissionReviews.uid(review);
    if (uid != null) {
      MDC.put("admission", uid);
    }
    return uid;
  }

  private static Reason reason(AdmissionVerdict verdict, Kind kind) {
    if (verdict instanceof AdmissionVerdict.Allow) {
      return Reason.ALLOWED;
    }
    if (verdict instanceof AdmissionVerdict.AllowWithWarning) {
      return kind == Kind.UNPROTECT ? Reason.UNPROTECT : Reason.BREAK_GLASS;
    }
    return Reason.DENIED;
  }

  private String answer(
      String endpoint,
      String uid,
      AdmissionVerdict verdict,
      String patch,
      Reason reason,
      long start) {
    metrics.answered(endpoint, verdict, reason, start);
    return AdmissionReviews.response(uid, verdict, patch);
  }

  private String failedClosed(String endpoint, String uid, Throwable e, long start) {
    LOG.errorf(e, "cannot decide admission %s", uid);
    return answer(
        endpoint,
        uid,
        new AdmissionVerdict.Deny("seb admission webhook failed closed: " + e.getMessage()),
        null,
        Reason.FAILED_CLOSED,
        start);
  }
}
