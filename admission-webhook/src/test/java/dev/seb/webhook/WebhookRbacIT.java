package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.AccessReview;
import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chart's RBAC for the webhook, as the real authorizer reads it: Events in default only. */
class WebhookRbacIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  @BeforeAll
  static void applyRbac() throws Exception {
    KubernetesClient admin = kube.admin();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("seb-system").endMetadata().build())
        .create();
    try (InputStream in = dev.seb.testing.TestGround.chartTemplate("admission-webhook-rbac.yaml")) {
      admin.load(in).create();
    }
  }

  private static boolean allowed(
      String verb, String group, String resource, String subresource, String namespace) {
    return AccessReview.forServiceAccount(kube.admin(), "seb-system", "seb-admission-webhook")
        .allowed(verb, group, resource, subresource, namespace);
  }

  @Test
  void webhook_recordsEventsAboutNamespaces() {
    assertThat(allowed("create", "", "events", null, "default")).isTrue();
  }

  @Test
  void webhook_writesNothingElse() {
    assertThat(allowed("create", "", "events", null, "shop")).isFalse();
    assertThat(allowed("patch", "", "events", null, "default")).isFalse();
    assertThat(allowed("delete", "", "events", null, "default")).isFalse();
    assertThat(allowed("create", "", "configmaps", null, "default")).isFalse();
    assertThat(allowed("patch", "", "namespaces", null, null)).isFalse();
    assertThat(allowed("create", "seb.dev", "executionrecords", null, "seb-system")).isFalse();
  }
}
