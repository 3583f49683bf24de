package dev.seb.e2e.ground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.seb.ground.SelfSignedTls;
import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that the real API server calls a {@code url:} validating webhook on loopback over TLS and
 * honours its denial. seb's admission webhook is registered the same way in tests.
 */
class AdmissionWebhookGroundIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  private static final String DENIAL = "the ground webhook refuses ConfigMaps named denied-*";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final List<String> reviewed = new CopyOnWriteArrayList<>();
  private static HttpsServer server;

  @BeforeAll
  static void startWebhook() throws IOException {
    Assumptions.assumeTrue(
        kube.cluster().reachesLoopbackWebhooks(), "API server cannot reach loopback");
    SelfSignedTls tls = SelfSignedTls.generate("seb-test-webhook");
    server = HttpsServer.create(new InetSocketAddress(SelfSignedTls.loopback(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext("/validate", AdmissionWebhookGroundIT::review);
    server.start();

    KubernetesClient admin = kube.admin();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("guarded")
                .addToLabels("seb.dev/ground", "webhook")
                .endMetadata()
                .build())
        .create();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("unguarded").endMetadata().build())
        .create();
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(
            new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("ground.seb.dev")
                .endMetadata()
                .addNewWebhook()
                .withName("ground.seb.dev")
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + server.getAddress().getPort() + "/validate")
                .withCaBundle(tls.caBundle())
                .endClientConfig()
                .addNewRule()
                .withOperations("CREATE")
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("configmaps")
                .endRule()
                .withNewNamespaceSelector()
                .addToMatchLabels("seb.dev/ground", "webhook")
                .endNamespaceSelector()
                .withFailurePolicy("Fail")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(5)
                .endWebhook()
                .build())
        .create();
  }

  @AfterAll
  static void stopWebhook() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static void review(HttpExchange exchange) throws IOException {
    AdmissionReview review =
        JSON.unmarshal(
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
            AdmissionReview.class);
    AdmissionRequest request = review.getRequest();
    reviewed.add(request.getNamespace() + "/" + request.getName());
    boolean allowed = !request.getName().startsWith("denied-");
    AdmissionReview response =
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withNewResponse()
            .withUid(request.getUid())
            .withAllowed(allowed)
            .withStatus(
                new StatusBuilder()
                    .withCode(allowed ? 200 : 403)
                    .withMessage(allowed ? null : DENIAL)
                    .build())
            .endResponse()
            .build();
    byte[] body = JSON.asJson(response).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void apiServer_callsTheUrlWebhook_andHonoursItsDenial() {
    KubernetesClient admin = kube.admin();
    // the API server picks up a new webhook configuration asynchronously
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () ->
                            admin
                                .configMaps()
                                .inNamespace("guarded")
                                .resource(
                                    KubernetesGroundIT.configMap(
                                        "guarded", "denied-" + System.nanoTime()))
                                .create())
                    .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> {
                          assertThat(e.getCode()).isEqualTo(403);
                          assertThat(e.getMessage()).contains(DENIAL);
                        }));
    assertThat(reviewed).anyMatch(r -> r.startsWith("guarded/denied-"));
    assertThat(admin.configMaps().inNamespace("guarded").list().getItems())
        .noneMatch(cm -> cm.getMetadata().getName().startsWith("denied-"));

    admin
        .configMaps()
        .inNamespace("guarded")
        .resource(KubernetesGroundIT.configMap("guarded", "welcome"))
        .create();
    assertThat(reviewed).contains("guarded/welcome");
  }

  @Test
  void namespaceOutsideTheSelector_isNeverSentToTheWebhook() {
    KubernetesClient admin = kube.admin();
    admin
        .configMaps()
        .inNamespace("unguarded")
        .resource(KubernetesGroundIT.configMap("unguarded", "denied-free"))
        .create();
    assertThat(admin.configMaps().inNamespace("unguarded").withName("denied-free").get())
        .isNotNull();
    assertThat(reviewed).noneMatch(r -> r.startsWith("unguarded/"));
  }
}
