package dev.seb.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.TestGround;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images `./mvnw package` builds (README, "Images"), read from their OCI archives without a
 * container runtime: each runs as user 65532 with the chart's JVM options and Quarkus' fast-jar in
 * /deployments, exposes its ports, carries its labels, and sits on the JRE base image provisioning
 * built (same first layer); the base has a JRE, the non-root user and no apt. Skipped with
 * -Dseb.images.skip (no tarballs are built then); tools/images.sh checks that two builds give the
 * same digests.
 */
@DisabledIfSystemProperty(named = "seb.images.skip", matches = ".*")
class ImagesIT {

  private static final Path ROOT = TestGround.repoRoot();
  private static final Path BASE = ROOT.resolve(".seb/images/jre-base.tar");
  static final List<String> ENTRYPOINT =
      List.of(
          "java",
          "-XX:MaxRAMPercentage=75",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.security.egd=file:/dev/urandom",
          "-jar",
          "/deployments/quarkus-run.jar");

  private static OciArchive base;

  @BeforeAll
  static void base() throws IOException {
    assertThat(BASE).as("the JRE base image, built by tools/provision.sh jre-base").isRegularFile();
    base = OciArchive.open(BASE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "broker", "admission-webhook"})
  void image_runsSebAsNonRoot_withTheChartsJvmOptions(String component) throws IOException {
    OciArchive image = image(component);
    var config = image.config.path("config");

    assertThat(config.path("User").asText()).as("%s user", component).isEqualTo("65532:65532");
    assertThat(strings(config.path("Entrypoint")))
        .as("%s entrypoint", component)
        .isEqualTo(ENTRYPOINT);
    assertThat(config.path("Cmd").isMissingNode() || config.path("Cmd").isNull())
        .as("%s has no Cmd", component)
        .isTrue();
    assertThat(config.path("WorkingDir").asText()).isEqualTo("/deployments");
    assertThat(strings(config.path("Env")))
        .as("%s leaves JAVA_TOOL_OPTIONS to its users", component)
        .noneMatch(e -> e.startsWith("JAVA_TOOL_OPTIONS="));
    List<String> ports = new ArrayList<>();
    config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports)
        .as("%s exposed ports", component)
        .containsExactlyInAnyOrderElementsOf(
            component.equals("admission-webhook")
                ? List.of("8080/tcp", "8443/tcp")
                : List.of("8080/tcp"));
    var labels = config.path("Labels");
    assertThat(labels.path("org.opencontainers.image.title").asText())
        .isEqualTo("seb-" + component);
    assertThat(labels.path("dev.seb.component").asText()).isEqualTo(component);
    assertThat(labels.path("org.opencontainers.image.version").asText()).isNotBlank();
    assertThat(labels.path("dev.seb.jre-base.openjdk").asText())
        .as("the base image's label, inherited")
        .startsWith("17.");
    assertThat(image.config.path("created").asText())
        .as("fixed creation time")
        .isEqualTo("1970-01-01T00:00:00Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "broker", "admission-webhook"})
  void image_isTheBaseImagePlusLibrariesAndApplication(String component) throws IOException {
    OciArchive image = image(component);

    assertThat(image.layerDigests()).hasSize(3);
    assertThat(image.layerDigests().get(0))
        .as("%s's first layer is the JRE base's", component)
        .isEqualTo(base.layerDigests().get(0));
    assertThat(image.diffIds().get(0)).isEqualTo(base.diffIds().get(0));

    Map<String, TarEntries.Entry> libraries = image.layer(image.layerDigests().get(1), 0);
    Map<String, TarEntries.Entry> application = image.layer(image.layerDigests().get(2), 0);
    assertThat(libraries.keySet())
        .as("%s libraries layer", component)
        .allMatch(n -> n.startsWith("deployments/lib/") || n.equals("deployments/"))
        .anyMatch(n -> n.startsWith("deployments/lib/boot/"))
        .anyMatch(n -> n.startsWith("deployments/lib/main/"));
    assertThat(application.keySet())
        .as("%s application layer", component)
        .contains("deployments/quarkus-run.jar")
        .anyMatch(n -> n.startsWith("deployments/app/seb-"))
        .anyMatch(n -> n.startsWith("deployments/quarkus/"))
        .noneMatch(n -> n.startsWith("deployments/lib/") && !n.equals("deployments/lib/"));
    assertThat(application.values())
        .as("%s: files owned by root, read-only for the app user", component)
        .allMatch(e -> e.uid() == 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "broker", "admission-webhook"})
  void archive_isConsistent_andItsDigestFileNamesIt(String component) throws IOException {
    OciArchive image = image(component);
    Path digestFile = ROOT.resolve(component + "/target/seb-" + component + "-image.digest");

    assertThat(Files.readString(digestFile, StandardCharsets.UTF_8).trim())
        .as("%s digest file", digestFile)
        .isEqualTo(image.manifestDigest);
    assertThat(OciArchive.sha256(image.manifestBytes)).isEqualTo(image.manifestDigest);
    assertThat(image.entries).containsKey("oci-layout");
    assertThat(
            image
                .index
                .path("manifests")
                .get(0)
                .path("annotations")
                .path("org.opencontainers.image.ref.name")
                .asText())
        .as("%s image name", component)
        .contains("/" + component + ":");
    for (String layer : image.layerDigests()) {
      assertThat(image.digestOf(layer))
          .as("%s layer %s as stored", component, layer)
          .isEqualTo(layer);
    }
  }

  @Test
  void base_hasTheJre_theNonRootUser_andNoPackageManager() throws IOException {
    Map<String, TarEntries.Entry> rootfs = base.layer(base.layerDigests().get(0), 1 << 16);

    assertThat(rootfs.keySet())
        .as("base image files")
        .anyMatch(n -> n.matches("usr/lib/jvm/[^/]+/bin/java"))
        .contains("etc/ssl/certs/java/cacerts")
        .doesNotContain("usr/bin/apt", "usr/bin/apt-get")
        .noneMatch(n -> n.startsWith("usr/share/man/man") && !n.endsWith("/") && !isLink(rootfs, n))
        .noneMatch(
            n -> n.startsWith("usr/share/locale/") && n.length() > "usr/share/locale/".length());
    assertThat(rootfs.values())
        .as("setuid or setgid programs in the base (su, newgrp, ...)")
        .noneMatch(e -> (e.type() == '0' || e.type() == '\0') && (e.mode() & 06000) != 0);
    assertThat(TarEntries.text(rootfs.get("etc/passwd")))
        .contains("nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin");
    assertThat(TarEntries.text(rootfs.get("etc/group"))).contains("nonroot:x:65532:");
    TarEntries.Entry home = rootfs.get("home/nonroot/");
    assertThat(home).as("/home/nonroot").isNotNull();
    assertThat(home.uid()).isEqualTo(65532);
    assertThat(base.config.path("config").path("User").asText()).isEqualTo("65532:65532");
    assertThat(Files.readString(ROOT.resolve(".seb/images/jre-base.digest")).trim())
        .isEqualTo(base.manifestDigest);
    assertThat(base.entries)
        .as("Jib reads a tar:// base through Docker's manifest.json")
        .containsKey("manifest.json");
  }

  private static boolean isLink(Map<String, TarEntries.Entry> entries, String name) {
    char type = entries.get(name).type();
    return type == '2' || type == '1';
  }

  private static OciArchive image(String component) throws IOException {
    Path tar = ROOT.resolve(component + "/target/seb-" + component + "-image.tar");
    assertThat(tar).as("built by ./mvnw package").isRegularFile();
    return OciArchive.open(tar);
  }

  private static List<String> strings(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
