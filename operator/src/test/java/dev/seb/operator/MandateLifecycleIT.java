package dev.seb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * Mandate lifecycle on a real API server: expiry on time, revocation with cascade, delegation
 * checks.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class MandateLifecycleIT {

  private static final Duration SOON = Duration.ofSeconds(20);

  @Inject KubernetesClient client;

  private String namespace;

  @BeforeEach
  void namespace() {
    namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  private Mandate apply(String name, String json) throws Exception {
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    mandate.setSpec(CanonicalJson.mapper().readValue(json, MandateSpec.class));
    return client.resource(mandate).serverSideApply();
  }

  private static String spec(String notAfter, String parentRef, String delegation, String scope) {
    return """
        {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
         "scope": %s,
         "lifecycle": {"notAfter": "%s"}%s%s}
        """
        .formatted(
            scope,
            notAfter,
            parentRef == null ? "" : ", \"parentRef\": \"" + parentRef + "\"",
            delegation == null ? "" : ", \"delegation\": " + delegation);
  }

  private static final String SCOPE =
      "[{\"contractRef\": \"scale-web\", \"operations\": [\"scale\"], \"constraints\": {\"minReplicas\": 2, \"maxReplicas\": 6}}]";
  private static final String NARROWER =
      "[{\"contractRef\": \"scale-web\", \"operations\": [\"scale\"], \"constraints\": {\"minReplicas\": 2, \"maxReplicas\": 4}}]";
  private static final String DELEGABLE = "{\"permitted\": true, \"maxAdditionalHops\": 2}";

  private MandateStatus status(String name) {
    Mandate m = client.resources(Mandate.class).inNamespace(namespace).withName(name).get();
    return m == null || m.getStatus() == null ? new MandateStatus() : m.getStatus();
  }

  private void awaitPhase(String name, Phase phase) {
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(status(name).getPhase()).as(status(name).getMessage()).isEqualTo(phase));
  }

  private static String inHours(int hours) {
    return Instant.now().plus(Duration.ofHours(hours)).toString();
  }

  @Test
  void mandate_expiresWithinASecondOfNotAfter() throws Exception {
    Instant end = Instant.now().plusSeconds(4);
    apply("short", spec(end.toString(), null, null, SCOPE));
    awaitPhase("short", Phase.Active);
    awaitPhase("short", Phase.Expired);
    assertThat(Instant.now()).isBefore(end.plusSeconds(3));
    assertThat(status("short").getVersion()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void revocation_cascadesToChildrenAndGrandchildren_andHaltsOpenProposals() throws Exception {
    String oneHour = inHours(1);
    apply("root", spec(inHours(2), null, DELEGABLE, SCOPE));
    awaitPhase("root", Phase.Active);
    apply(
        "child",
        spec(oneHour, "root", "{\"permitted\": true, \"maxAdditionalHops\": 1}", NARROWER));
    awaitPhase("child", Phase.Active);
    apply("grandchild", spec(oneHour, "child", null, NARROWER));
    awaitPhase("grandchild", Phase.Active);
    assertThat(status("grandchild").getDelegationChain())
        .containsExactly("root", "child", "grandchild");

    MutationProposal open = new MutationProposal();
    open.setMetadata(new ObjectMetaBuilder().withName("open-one").withNamespace(namespace).build());
    open.setSpec(
        CanonicalJson.mapper()
            .readValue(
                "{\"mandateRef\": \"root\", \"contractRef\": \"scale-web\", \"operation\": {\"type\": \"scale\", \"replicas\": 3}}",
                MutationProposalSpec.class));
    client.resource(open).create();

    long versionBefore = status("root").getVersion();
    client
        .resources(Mandate.class)
        .inNamespace(namespace)
        .withName("root")
        .edit(
            m -> {
              m.setSpec(
                  new MandateSpec(
                      m.getSpec().principal(),
                      m.getSpec().agent(),
                      m.getSpec().purpose(),
                      m.getSpec().scope(),
                      m.getSpec().conditions(),
                      m.getSpec().lifecycle(),
                      m.getSpec().delegation(),
                      m.getSpec().parentRef(),
                      new MandateSpec.Revocation("alice", "incident 42")));
              return m;
            });
    awaitPhase("root", Phase.Revoked);
    awaitPhase("child", Phase.Revoked);
    awaitPhase("grandchild", Phase.Revoked);

    MandateStatus.RevocationRecord record = status("root").getRevocation();
    assertThat(record.requestedBy()).isEqualTo("alice");
    assertThat(record.reason()).isEqualTo("incident 42");
    assertThat(record.revokedAt()).isNotBlank();
    assertThat(record.cascadedTo()).containsExactly("child");
    assertThat(record.haltedProposals()).containsExactly("open-one");
    assertThat(status("child").getRevocation().cascadedFrom()).isEqualTo("root");
    assertThat(status("grandchild").getRevocation().cascadedFrom()).isEqualTo("child");
    assertThat(status("root").getVersion()).isGreaterThan(versionBefore);

    // the revocation is an Event on the mandate, and a phase transition in the metrics
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .v1()
                            .events()
                            .inNamespace(namespace)
                            .withField("involvedObject.name", "root")
                            .list()
                            .getItems())
                    .extracting(e -> e.getType() + " " + e.getReason())
                    .contains("Normal MandateActive", "Warning MandateRevoked"));
    assertThat(io.restassured.RestAssured.get("/q/metrics").then().extract().asString())
        .contains("seb_operator_mandate_transitions_total{phase=\"Revoked\"}")
        .contains("seb_operator_reconciles_total{kind=\"Mandate\",result=\"ok\"}");
  }

  @Test
  void childOfANonDelegableParent_isRejected_andNeverActive() throws Exception {
    apply("solo", spec(inHours(2), null, null, SCOPE));
    awaitPhase("solo", Phase.Active);
    apply("sneaky", spec(inHours(1), "solo", null, NARROWER));
    awaitPhase("sneaky", Phase.Rejected);
    assertThat(status("sneaky").getMessage()).contains("does not permit delegation");
    // Ready and Active say the same: not ready, for the phase's reason
    for (String type : List.of("Ready", "Active")) {
      var condition = Conditions.find(status("sneaky").getConditions(), type).orElseThrow();
      assertThat(condition.getStatus()).isEqualTo("False");
      assertThat(condition.getReason()).isEqualTo("InvalidDelegation");
    }
  }

  @Test
  void childOutlivingItsParent_isRejected() throws Exception {
    apply("parent", spec(inHours(1), null, DELEGABLE, SCOPE));
    awaitPhase("parent", Phase.Active);
    apply("longer", spec(inHours(5), "parent", null, NARROWER));
    awaitPhase("longer", Phase.Rejected);
    assertThat(status("longer").getMessage()).contains("notAfter");
  }

  @Test
  void childWithAWiderScope_isRejected() throws Exception {
    apply("narrow", spec(inHours(2), null, DELEGABLE, NARROWER));
    awaitPhase("narrow", Phase.Active);
    apply("wider", spec(inHours(1), "narrow", null, SCOPE));
    awaitPhase("wider", Phase.Rejected);
    assertThat(status("wider").getMessage()).contains("maxReplicas");
  }

  @Test
  void childBeyondTheAllowedHops_isRejected() throws Exception {
    apply("top", spec(inHours(2), null, "{\"permitted\": true, \"maxAdditionalHops\": 1}", SCOPE));
    awaitPhase("top", Phase.Active);
    apply(
        "middle",
        spec(inHours(1), "top", "{\"permitted\": true, \"maxAdditionalHops\": 1}", NARROWER));
    awaitPhase("middle", Phase.Rejected);
    assertThat(status("middle").getMessage()).contains("maxAdditionalHops");
  }

  @Test
  void reportedTerminalEvent_completesTheMandate() throws Exception {
    String json =
        spec(inHours(2), null, null, SCOPE)
            .replace(
                "\"lifecycle\": {", "\"lifecycle\": {\"terminalEvents\": [\"window-closed\"], ");
    apply("windowed", json);
    awaitPhase("windowed", Phase.Active);
    client
        .resources(Mandate.class)
        .inNamespace(namespace)
        .withName("windowed")
        .edit(
            m -> {
              m.getMetadata()
                  .setAnnotations(java.util.Map.of("seb.dev/terminal-event", "window-closed"));
              return m;
            });
    awaitPhase("windowed", Phase.Completed);
  }
}
