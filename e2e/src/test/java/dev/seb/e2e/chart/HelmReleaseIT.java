package dev.seb.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.ground.Crds;
import dev.seb.testing.ClusterExtension;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helm install}, {@code upgrade} and {@code uninstall} of seb's chart against the real API
 * server, checking what it stores. Each test installs its own release and uninstalls it.
 *
 * <p>The installed registrations fail closed and point at the webhook's Service, which has no pods
 * here: once they exist, every write they match (seb's kinds, anything in a protected namespace) is
 * refused. The tests therefore write nothing such while a release is installed; helm itself creates
 * the registrations after every object they could match (helm's install order) and deletes them
 * first on uninstall, so a cluster admin's install and uninstall are not blocked by them either.
 * The release namespace is not protected.
 */
class HelmReleaseIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  static final Path CERT_MANAGER_CRDS =
      TestGround.repoRoot().resolve("e2e/src/test/resources/cert-manager-crds");

  @TempDir static Path work;
  private static Path kubeconfig;
  private Release release;

  @BeforeAll
  static void kubeconfig() throws IOException {
    kubeconfig = work.resolve("admin.kubeconfig");
    Files.writeString(kubeconfig, kube.cluster().adminKubeconfig());
  }

  @AfterEach
  void uninstallWhatIsLeft() {
    if (release != null && release.installed()) {
      release.uninstall();
    }
  }

  @Test
  void installUpgradeUninstall_storesEveryObject_keepsTheCa_andLeavesOnlyTheCrds() {
    KubernetesClient admin = kube.admin();
    release = new Release(ChartValuesIT.chart("self-managed-tls.yaml", "seb-system"), kubeconfig);

    Duration took = release.install();
    System.out.printf("helm install of seb's chart took %d ms%n", took.toMillis());

    Manifest installed = release.manifest();
    assertThat(installed.objects()).hasSizeGreaterThan(20);
    assertEveryObjectStored(admin, installed);
    // the chart's crds/ directory, applied by helm before the templates
    for (String crd :
        List.of(
            "executioncontracts",
            "executionrecords",
            "mandates",
            "mutationproposals",
            "trustanchors")) {
      assertThat(
              admin
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName(crd + ".seb.dev")
                  .get())
          .as(crd + ".seb.dev installed from charts/seb/crds")
          .isNotNull();
    }
    Secret tls = tlsSecret(admin);
    String ca = tls.getData().get("ca.crt");
    assertThat(ca).isNotBlank();
    assertThat(storedCaBundles(admin)).containsOnly(ca);

    // upgrade: a third broker, another break-glass group
    release =
        release.upgrade(
            release
                .chart()
                .with("broker.replicas", "3")
                .with("admission.breakGlassGroups[0]", "seb:break-glass")
                .with("admission.breakGlassGroups[1]", "acme:oncall"));
    Manifest upgraded = release.manifest();
    assertEveryObjectStored(admin, upgraded);
    StatefulSet broker = (StatefulSet) upgraded.workloads().get("seb-broker").object();
    assertThat(
            admin
                .apps()
                .statefulSets()
                .inNamespace("seb-system")
                .withName(broker.getMetadata().getName())
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
    assertThat(storedAdmission(admin)).contains("acme:oncall");
    // the self-managed CA and serving certificate are kept across the upgrade
    Secret kept = tlsSecret(admin);
    assertThat(kept.getData()).isEqualTo(tls.getData());
    assertThat(storedCaBundles(admin)).containsOnly(ca);

    release.uninstall();
    for (HasMetadata object : upgraded.objects()) {
      assertThat(release.stored(admin, object))
          .as("%s/%s left after uninstall", object.getKind(), object.getMetadata().getName())
          .isNull();
    }
    assertThat(admin.serviceAccounts().inNamespace("seb-system").list().getItems())
        .extracting(sa -> sa.getMetadata().getName())
        .doesNotContain("seb-operator", "seb-broker", "seb-admission-webhook");
    assertThat(admin.secrets().inNamespace("seb-system").list().getItems()).isEmpty();
    assertThat(Release.clusterScopedLeft(admin)).isEmpty();
    // Helm keeps the CRDs of crds/ on uninstall
    assertThat(admin.apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .contains("mandates.seb.dev", "executionrecords.seb.dev");
  }

  @Test
  void certManagerValues_theCertificateAndIssuerAreStored_noChartMadeSecret() {
    KubernetesClient admin = kube.admin();
    // stand-ins for cert-manager's CRDs (src/test/resources/cert-manager-crds), only so that the
    // API server accepts the chart's objects; no cert-manager runs here
    if (admin
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("certificates.cert-manager.io")
            .get()
        == null) {
      Crds.install(admin, CERT_MANAGER_CRDS);
    }
    release = new Release(ChartValuesIT.chart("cert-manager.yaml", "seb-system"), kubeconfig);
    release.install();
    Manifest installed = release.manifest();
    assertEveryObjectStored(admin, installed);
    GenericKubernetesResource certificate =
        admin
            .genericKubernetesResources("cert-manager.io/v1", "Certificate")
            .inNamespace("seb-system")
            .withName("seb-admission-webhook")
            .get();
    assertThat(certificate).isNotNull();
    assertThat(admin.secrets().inNamespace("seb-system").withName(ChartValuesIT.TLS_SECRET).get())
        .as("cert-manager, not the chart, writes the serving certificate")
        .isNull();
    assertThat(
            admin
                .admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("seb-protected")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", "seb-system/seb-admission-webhook");

    release.uninstall();
    for (HasMetadata object : installed.objects()) {
      assertThat(release.stored(admin, object))
          .as("%s/%s left after uninstall", object.getKind(), object.getMetadata().getName())
          .isNull();
    }
  }

  private void assertEveryObjectStored(KubernetesClient admin, Manifest manifest) {
    for (HasMetadata object : manifest.objects()) {
      assertThat(release.stored(admin, object))
          .as("%s/%s stored", object.getKind(), object.getMetadata().getName())
          .isNotNull();
    }
  }

  private static Secret tlsSecret(KubernetesClient admin) {
    Secret secret =
        admin.secrets().inNamespace("seb-system").withName(ChartValuesIT.TLS_SECRET).get();
    assertThat(secret).as("the chart's webhook TLS Secret").isNotNull();
    return secret;
  }

  /** The caBundle of every stored webhook registration. */
  private static List<String> storedCaBundles(KubernetesClient admin) {
    var registrations = admin.admissionRegistration().v1();
    List<String> bundles = new java.util.ArrayList<>();
    registrations
        .validatingWebhookConfigurations()
        .list()
        .getItems()
        .forEach(r -> r.getWebhooks().forEach(w -> bundles.add(w.getClientConfig().getCaBundle())));
    registrations
        .mutatingWebhookConfigurations()
        .list()
        .getItems()
        .forEach(r -> r.getWebhooks().forEach(w -> bundles.add(w.getClientConfig().getCaBundle())));
    assertThat(bundles).isNotEmpty();
    return bundles;
  }

  /** The stored registrations and admission policies, as text. */
  private static String storedAdmission(KubernetesClient admin) {
    var registrations = admin.admissionRegistration().v1();
    return List.<Object>of(
            registrations.validatingWebhookConfigurations().list().getItems(),
            registrations.mutatingWebhookConfigurations().list().getItems(),
            registrations.validatingAdmissionPolicies().list().getItems())
        .toString();
  }
}
