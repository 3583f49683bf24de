package dev.seb.broker.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Execution identities share one credential-less connection pool: on the real API server, each
 * request is authenticated as the token it carries and as nothing else, even when the pool was
 * derived from a client-certificate (admin) configuration, and a revoked token is refused while
 * another identity goes on over the same pool.
 */
class IdentityClientsIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  private static final String NS = "pool";
  private static Vertx vertx;
  private static IdentityClients identities;

  @BeforeAll
  static void setUp() {
    KubernetesClient admin = kube.admin();
    Config adminConfig = admin.getConfiguration();
    assertThat(adminConfig.getClientCertData() != null || adminConfig.getClientCertFile() != null)
        .as("the pool is derived from a client-certificate configuration")
        .isTrue();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    admin
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("mode", "calm")
                .build())
        .create();
    admin
        .rbac()
        .roles()
        .inNamespace(NS)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("reader")
                .endMetadata()
                .withRules(
                    new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withResourceNames("settings")
                        .withVerbs("get")
                        .build())
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("reader")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "reader")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("reader")
                .withNamespace(NS)
                .endSubject()
                .build())
        .create();
    vertx = Vertx.vertx();
    identities =
        new IdentityClients(
            admin,
            vertx,
            new dev.seb.broker.runtime.ApiCallSpans(
                io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")));
  }

  @AfterAll
  static void tearDown() {
    if (identities != null) {
      identities.close(null);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static String token(String name) {
    KubernetesClient admin = kube.admin();
    admin
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return admin
        .serviceAccounts()
        .inNamespace(NS)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  private static String whoAmI(KubernetesClient client) {
    return client
        .resource(new SelfSubjectReviewBuilder().withNewMetadata().endMetadata().build())
        .create()
        .getStatus()
        .getUserInfo()
        .getUsername();
  }

  private static int status(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (KubernetesClientException e) {
      return e.getCode();
    }
  }

  @Test
  void credentialsAreStripped_fromTheBrokersConfiguration() {
    Config config = IdentityClients.withoutCredentials(kube.admin().getConfiguration());
    assertThat(config.getClientCertData()).isNull();
    assertThat(config.getClientKeyData()).isNull();
    assertThat(config.getClientCertFile()).isNull();
    assertThat(config.getOauthToken()).isNull();
    assertThat(config.getUsername()).isNull();
    assertThat(config.getPassword()).isNull();
    assertThat(config.getRequestRetryBackoffLimit()).isZero();
    assertThat(config.getMasterUrl()).isEqualTo(kube.admin().getConfiguration().getMasterUrl());
    assertThatThrownBy(() -> identities.as(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachRequestIsTheIdentityItCarries_overOneSharedPool() {
    String reader = token("reader");
    String stranger = token("stranger");
    for (int round = 0; round < 3; round++) {
      try (KubernetesClient asReader = identities.as(reader);
          KubernetesClient asStranger = identities.as(stranger)) {
        assertThat(whoAmI(asReader)).isEqualTo("system:serviceaccount:pool:reader");
        assertThat(whoAmI(asStranger)).isEqualTo("system:serviceaccount:pool:stranger");
        assertThat(asReader.configMaps().inNamespace(NS).withName("settings").get().getData())
            .containsEntry("mode", "calm");
        assertThat(status(() -> asStranger.configMaps().inNamespace(NS).withName("settings").get()))
            .as("the stranger never borrows the reader's rights or the pool's origin")
            .isEqualTo(403);
      }
      // closing one identity's client leaves the pool to the next
    }
  }

  @Test
  void aRevokedToken_isRefused_whileAnotherIdentityGoesOn() {
    String doomed = token("doomed");
    String other = token("other");
    try (KubernetesClient asDoomed = identities.as(doomed);
        KubernetesClient asOther = identities.as(other)) {
      assertThat(whoAmI(asDoomed)).isEqualTo("system:serviceaccount:pool:doomed");
      kube.admin().serviceAccounts().inNamespace(NS).withName("doomed").delete();
      // the API server caches a token's successful authentication for up to 10 s
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          status(
                              () ->
                                  asDoomed
                                      .resource(
                                          new SelfSubjectReviewBuilder()
                                              .withNewMetadata()
                                              .endMetadata()
                                              .build())
                                      .create()))
                      .isEqualTo(401));
      assertThat(whoAmI(asOther)).isEqualTo("system:serviceaccount:pool:other");
    }
  }
}
