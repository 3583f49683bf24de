package dev.seb.broker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.contracts.record.ChainSummary;
import dev.seb.contracts.record.RecordChainVerifier;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.ground.WebDeployment;
import dev.seb.testing.QuarkusClusterResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One real API server with seb's CRDs for every {@code @QuarkusTest} of the broker, and what the
 * broker's tests set up on it alike.
 */
@QuarkusTestResource(
    value = QuarkusClusterResource.class,
    initArgs = @ResourceArg(name = QuarkusClusterResource.CRDS, value = "../crds"))
public final class BrokerTestGround {

  private static final Duration SOON = Duration.ofSeconds(30);

  private BrokerTestGround() {}

  /** Applies the namespaces (another test class may have made them already). */
  static void namespaces(KubernetesClient client, String... names) {
    for (String ns : names) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
  }

  /** The Deployment {@code web} with two replicas of one container running {@code image}. */
  static Deployment web(String namespace, String image) {
    return WebDeployment.of(namespace, image);
  }

  /**
   * Sets the mandate's status.phase Active for its current generation, as the operator would (no
   * operator runs in the broker's tests).
   */
  static Mandate setActive(KubernetesClient client, Mandate mandate) {
    MandateStatus status = new MandateStatus();
    status.setPhase(MandateStatus.Phase.Active);
    status.setObservedGeneration(mandate.getMetadata().getGeneration());
    mandate.setStatus(status);
    return client.resource(mandate).updateStatus();
  }

  /**
   * The running broker's record chain (broker-0) as the auditor with {@code token} exports it
   * ({@code GET /v1/records}), verified under the key the broker publishes.
   */
  static ChainSummary exportedChain(String token) throws Exception {
    String jwks =
        given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
    String export =
        given()
            .header("Authorization", "Bearer " + token)
            .when()
            .get("/v1/records")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> chain = Arrays.stream(export.split("\n")).filter(l -> !l.isBlank()).toList();
    return RecordChainVerifier.verify(chain, JWKSet.parse(jwks), "broker-0");
  }

  /**
   * The proposal's status once it is decided: a denial or hold, or an admission whose outcome is
   * recorded.
   */
  static MutationProposalStatus awaitDecided(
      KubernetesClient client, String namespace, String name) {
    await()
        .atMost(SOON)
        .until(
            () -> {
              MutationProposal p =
                  client
                      .resources(MutationProposal.class)
                      .inNamespace(namespace)
                      .withName(name)
                      .get();
              return p.getStatus() != null
                  && p.getStatus().getDecision() != null
                  && (p.getStatus().getOutcomeRecord() != null
                      || p.getStatus().getDecision() != MutationProposalStatus.Decision.ADMIT);
            });
    return client
        .resources(MutationProposal.class)
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getStatus();
  }
}
