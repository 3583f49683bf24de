package dev.seb.runtime.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.event.Reporter;
import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The recorder against a real API server: its Events pass validation and find their object. */
class EventRecorderIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  @Test
  void anEventIsAcceptedAndFoundByItsObjectsUid() {
    KubernetesClient admin = kube.admin();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("ev").endMetadata().build())
        .create();
    ConfigMap cm =
        admin
            .configMaps()
            .inNamespace("ev")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("target")
                    .withNamespace("ev")
                    .endMetadata()
                    .build())
            .create();
    EventRecorder recorder =
        EventRecorder.on(
            Runnable::run, admin, Clock.systemUTC(), Reporter.OPERATOR, "seb-operator-7f9");
    recorder.record(
        cm, EventReason.CERTIFICATION_FAILED, "CERTIFICATE_EXPIRED: " + "x".repeat(3000));

    // what kubectl describe asks for
    List<Event> found =
        admin
            .v1()
            .events()
            .inNamespace("ev")
            .withField("involvedObject.uid", cm.getMetadata().getUid())
            .list()
            .getItems();
    assertThat(found).hasSize(1);
    Event e = found.get(0);
    assertThat(e.getReason()).isEqualTo("CertificationFailed");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getAction()).isEqualTo("Certify");
    assertThat(e.getReportingComponent()).isEqualTo("seb.dev/operator");
    assertThat(e.getReportingInstance()).isEqualTo("seb-operator-7f9");
    assertThat(e.getMessage()).startsWith("CERTIFICATE_EXPIRED: ").endsWith("...");
    // the same Event through events.k8s.io/v1
    var v1 =
        admin.events().v1().events().inNamespace("ev").withName(e.getMetadata().getName()).get();
    assertThat(v1.getReportingController()).isEqualTo("seb.dev/operator");
    assertThat(v1.getRegarding().getName()).isEqualTo("target");
  }

  @Test
  void anEventAboutANamespaceIsAcceptedInDefault() {
    KubernetesClient admin = kube.admin();
    var ns =
        admin
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName("gone").endMetadata().build())
            .create();
    EventRecorder.on(Runnable::run, admin, Clock.systemUTC(), Reporter.WEBHOOK, "w-1")
        .record(ns, EventReason.UNPROTECTED, "alice removed seb.dev/protected");
    assertThat(
            admin
                .v1()
                .events()
                .inNamespace("default")
                .withField("involvedObject.name", "gone")
                .list()
                .getItems())
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).isEqualTo("Unprotected"));
  }

  @Test
  void theBackgroundRecorderWritesToo() throws Exception {
    KubernetesClient admin = kube.admin();
    try (EventRecorder recorder =
        new EventRecorder(admin, Clock.systemUTC(), Reporter.BROKER, EventRecorder.podName())) {
      recorder.record(
          new ObjectReferenceBuilder()
              .withKind("MutationProposal")
              .withApiVersion("seb.dev/v1alpha1")
              .withName("p1")
              .withNamespace("default")
              .build(),
          EventReason.PROPOSAL_EXECUTED,
          "executed");
    }
    assertThat(
            admin
                .v1()
                .events()
                .inNamespace("default")
                .withField("involvedObject.name", "p1")
                .list()
                .getItems())
        .singleElement()
        .satisfies(e -> assertThat(e.getReportingComponent()).isEqualTo("seb.dev/broker"));
  }
}
