package dev.seb.testing;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Asks the real API server's authorizer what a ServiceAccount may do (SubjectAccessReview). */
public final class AccessReview {

  private final KubernetesClient admin;
  private final String namespace;
  private final String name;

  private AccessReview(KubernetesClient admin, String namespace, String name) {
    this.admin = admin;
    this.namespace = namespace;
    this.name = name;
  }

  /** Reviews for the ServiceAccount {@code namespace/name}. */
  public static AccessReview forServiceAccount(
      KubernetesClient admin, String namespace, String name) {
    return new AccessReview(admin, namespace, name);
  }

  /** Whether the account may perform the verb; {@code subresource} and {@code ns} may be null. */
  public boolean allowed(
      String verb, String group, String resource, String subresource, String ns) {
    return allowed(verb, group, resource, subresource, ns, null);
  }

  /** As {@link #allowed(String, String, String, String, String)}, on the object {@code object}. */
  public boolean allowed(
      String verb, String group, String resource, String subresource, String ns, String object) {
    return admin
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(
            new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser("system:serviceaccount:" + namespace + ":" + name)
                .addToGroups(
                    "system:serviceaccounts",
                    "system:serviceaccounts:" + namespace,
                    "system:authenticated")
                .withNewResourceAttributes()
                .withVerb(verb)
                .withGroup(group)
                .withResource(resource)
                .withSubresource(subresource)
                .withNamespace(ns)
                .withName(object)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }
}
