package dev.seb.broker.access;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Authenticates the broker's HTTP callers with the API server, never by itself: the bearer token
 * goes to a TokenReview, and what a caller may read is asked of the API server's authorizer with a
 * SubjectAccessReview, so the cluster's RBAC decides. Any failure to ask is a refusal (503), never
 * an answer.
 */
@ApplicationScoped
public class Callers {

  private static final Logger LOG = Logger.getLogger(Callers.class);
  private static final String BEARER = "Bearer ";

  private final KubernetesClient client;
  private final Optional<List<String>> audiences;

  public Callers(
      KubernetesClient client,
      @org.eclipse.microprofile.config.inject.ConfigProperty(name = "seb.broker.token-audiences")
          Optional<List<String>> audiences) {
    this.client = client;
    this.audiences = audiences;
  }

  /**
   * The caller of a request with this {@code Authorization} header.
   *
   * @throws Refusal 401 without a bearer token or with one the API server does not accept; 503 when
   *     the API server cannot be asked
   */
  public Caller authenticate(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw Refusal.unauthenticated(
          "send the caller's Kubernetes bearer token: Authorization: Bearer <token>");
    }
    String token = authorization.substring(BEARER.length()).trim();
    if (token.isEmpty()) {
      throw Refusal.unauthenticated("the Authorization header carries an empty bearer token");
    }
    TokenReviewStatus status;
    try {
      TokenReview review =
          new TokenReviewBuilder()
              .withNewSpec()
              .withToken(token)
              .withAudiences(audiences.orElse(null))
              .endSpec()
              .build();
      TokenReview answer = client.authentication().v1().tokenReviews().create(review);
      status = answer.getStatus();
    } catch (KubernetesClientException e) {
      LOG.errorf(e, "TokenReview failed");
      throw Refusal.of(
          Response.Status.SERVICE_UNAVAILABLE,
          "the broker cannot check the token with the API server now (TokenReview: "
              + e.getMessage()
              + ")");
    }
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
      throw Refusal.unauthenticated(
          "the API server does not accept this token"
              + (status == null || status.getError() == null ? "" : ": " + status.getError()));
    }
    UserInfo user = status.getUser();
    return new Caller(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra());
  }

  /**
   * Whether the API server's authorizer lets the caller list {@code executionrecords.seb.dev} in
   * the namespace, or in all namespaces when it is null.
   *
   * @throws Refusal 503 when the API server cannot be asked
   */
  public boolean mayListRecords(Caller caller, String namespace) {
    try {
      return Boolean.TRUE.equals(
          client
              .authorization()
              .v1()
              .subjectAccessReview()
              .create(
                  new SubjectAccessReviewBuilder()
                      .withNewSpec()
                      .withUser(caller.username())
                      .withUid(caller.uid())
                      .withGroups(caller.groups())
                      .withExtra(caller.extra())
                      .withNewResourceAttributes()
                      .withVerb("list")
                      .withGroup("seb.dev")
                      .withResource("executionrecords")
                      .withNamespace(namespace == null ? "" : namespace)
                      .endResourceAttributes()
                      .endSpec()
                      .build())
              .getStatus()
              .getAllowed());
    } catch (KubernetesClientException e) {
      LOG.errorf(e, "SubjectAccessReview failed");
      throw Refusal.of(
          Response.Status.SERVICE_UNAVAILABLE,
          "the broker cannot ask the API server's authorizer now (SubjectAccessReview: "
              + e.getMessage()
              + ")");
    }
  }
}
