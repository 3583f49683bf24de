package dev.seb.broker.identity;

import dev.seb.broker.execution.TargetResource;
import dev.seb.broker.runtime.Polling;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * What the API server's authorizer answers about an execution identity. It authorizes from its own
 * cache of RBAC objects, which follows the store a moment behind: a minted identity is granted, and
 * a revoked one refused, only once that cache caught up.
 */
public final class Authorizer {

  private Authorizer() {}

  /** How long the authorizer may take to see a revocation. */
  public static final java.time.Duration REVOCATION_SEEN_WITHIN = java.time.Duration.ofSeconds(10);

  /**
   * How long the authorizer may take to see a new identity's RoleBinding: it authorizes from its
   * own cache of RBAC objects, which follows the store a moment behind (on each API server of a
   * cluster separately).
   */
  public static final java.time.Duration GRANT_SEEN_WITHIN = java.time.Duration.ofSeconds(5);

  /**
   * Whether the authorizer refuses each user the target access (SubjectAccessReview) within {@link
   * #REVOCATION_SEEN_WITHIN}: it sees a deleted RoleBinding a moment after the deletion.
   */
  static boolean awaitRefused(
      KubernetesClient client,
      List<String> users,
      TargetResource resource,
      TargetResource.Access access) {
    return await(
        "the authorizer refuses " + users,
        REVOCATION_SEEN_WITHIN,
        () -> users.stream().noneMatch(user -> allowed(client, user, resource, access)));
  }

  /**
   * Whether the authorizer grants the minted identity, asked by that identity itself
   * (SelfSubjectAccessReview), the target access within {@link #GRANT_SEEN_WITHIN}.
   */
  public static boolean awaitGranted(
      KubernetesClient identity, TargetResource resource, TargetResource.Access access) {
    return await(
        "the authorizer grants the minted identity its Role",
        GRANT_SEEN_WITHIN,
        () ->
            identity
                .authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(
                    new io.fabric8.kubernetes.api.model.authorization.v1
                            .SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withResourceAttributes(attributes(resource, access))
                        .endSpec()
                        .build())
                .getStatus()
                .getAllowed());
  }

  private static boolean await(
      String what, java.time.Duration within, java.util.function.BooleanSupplier condition) {
    return Polling.until(within, condition);
  }

  private static boolean allowed(
      KubernetesClient client, String user, TargetResource resource, TargetResource.Access access) {
    return client
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(
            new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user)
                .withGroups("system:serviceaccounts", "system:authenticated")
                .withResourceAttributes(attributes(resource, access))
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  private static io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes attributes(
      TargetResource resource, TargetResource.Access access) {
    return new io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder()
        .withGroup(resource.group())
        .withResource(resource.plural())
        .withSubresource(access.subresource())
        .withVerb(access.verb())
        .withNamespace(resource.target().namespace())
        .withName(resource.target().name())
        .build();
  }
}
