package dev.seb.webhook;

import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.admission.AdmissionVerdict;
import dev.seb.contracts.notice.Notice;
import dev.seb.contracts.record.RecordClaims;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Tells the broker about an admission seb must record (a break-glass write, an unprotect) and
 * waits, without blocking the event loop, until the broker confirms the signed record is stored. No
 * confirmation (broker down, refused, slow, no token) is a denial: nothing the notice covers is
 * allowed unrecorded. The call authenticates with the webhook's own ServiceAccount token, which the
 * broker checks by TokenReview.
 */
@ApplicationScoped
public class Notices {

  private static final Logger LOG = Logger.getLogger(Notices.class);

  private final NoticesConfig config;
  private final URI endpoint;
  private final HttpClient http;
  private final ServiceAccountToken token;

  Notices(NoticesConfig config, KubernetesClient client) {
    this.config = config;
    this.endpoint = URI.create(config.url().replaceAll("/+$", "") + "/v1/notices");
    this.http =
        BrokerTls.configure(HttpClient.newBuilder(), config.caFile())
            .connectTimeout(config.timeout())
            .build();
    this.token = new ServiceAccountToken(config.tokenFile(), client);
  }

  /**
   * Records the admission as a record of the kind ({@code BREAK_GLASS} or {@code UNPROTECT}): true
   * once the broker has stored it, false (never a failure) when it has not.
   */
  public Uni<Boolean> record(Kind kind, String admissionUid, AdmissionRequest request) {
    return send(kind, admissionUid, request).map(problem -> problem == null);
  }

  /**
   * The verdict {@code allowed} once the admission is recorded as {@code kind}; otherwise a denial
   * saying that the write was not recorded and why.
   */
  public Uni<AdmissionVerdict> require(
      Kind kind, String admissionUid, AdmissionRequest request, AdmissionVerdict allowed) {
    return send(kind, admissionUid, request)
        .map(
            problem ->
                problem == null
                    ? allowed
                    : new AdmissionVerdict.Deny(
                        "seb "
                            + RecordClaims.kindName(kind)
                            + ": denied because seb could not record it in its signed record"
                            + " chain, and seb allows no unrecorded "
                            + RecordClaims.kindName(kind)
                            + " ("
                            + problem
                            + "); this needs a running broker at "
                            + config.url()));
  }

  /** Null once recorded, otherwise what went wrong. */
  private Uni<String> send(Kind kind, String admissionUid, AdmissionRequest request) {
    Context context = Vertx.currentContext();
    CompletableFuture<String> answer;
    try {
      Notice notice = Notice.of(kind, admissionUid, request);
      String bearer = token.current();
      if (bearer == null) {
        return Uni.createFrom().item("the webhook has no ServiceAccount token to send");
      }
      answer =
          http.sendAsync(
                  HttpRequest.newBuilder(endpoint)
                      .timeout(config.timeout())
                      .header("Authorization", "Bearer " + bearer)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(notice.toJson().toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .handle((response, failure) -> problem(notice, response, failure));
    } catch (RuntimeException e) {
      LOG.errorf(e, "cannot send the %s notice for admission %s", kind, admissionUid);
      return Uni.createFrom().item("the notice cannot be sent: " + e.getMessage());
    }
    Uni<String> result = Uni.createFrom().completionStage(answer);
    return context == null ? result : result.emitOn(r -> context.runOnContext(v -> r.run()));
  }

  private String problem(Notice notice, HttpResponse<String> response, Throwable failure) {
    String what = notice.recordName() + " (" + notice.admission().summary() + ")";
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
      LOG.errorf("not recorded: %s: broker at %s unreachable: %s", what, endpoint, cause);
      return "the broker cannot be reached: " + cause;
    }
    if (response.statusCode() == 200 || response.statusCode() == 201) {
      LOG.infof("recorded by the broker: %s", what);
      return null;
    }
    String body = response.body() == null ? "" : response.body().strip();
    LOG.errorf("not recorded: %s: broker answered %d: %s", what, response.statusCode(), body);
    return "the broker answered HTTP " + response.statusCode() + ": " + abbreviate(body);
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
