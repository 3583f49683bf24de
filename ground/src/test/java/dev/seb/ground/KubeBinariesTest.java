package dev.seb.ground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeBinariesTest {

  @TempDir Path root;

  @Test
  void version_isTheOneTheWrapperModuleRequires_andNamesTheBinariesDirectory() throws Exception {
    goMod("module seb.dev/kubernetes\n\nrequire k8s.io/kubernetes v1.34.1\n");
    KubeBinaries binaries = KubeBinaries.of(root);
    assertThat(binaries.version()).isEqualTo("1.34.1");
    assertThat(binaries.dir().toString())
        .matches(".*/k8s/1\\.34\\.1-(linux|darwin)-(amd64|arm64|.+)");
    assertThat(binaries.kubectl()).isEqualTo(binaries.dir().resolve("kubectl"));
  }

  @Test
  void aGoModWithoutKubernetes_isRefusedNamingTheFile() throws Exception {
    goMod("module seb.dev/kubernetes\n");
    assertThatThrownBy(() -> KubeBinaries.of(root).version())
        .hasMessageContaining("tools/kubernetes/go.mod")
        .hasMessageContaining("does not require k8s.io/kubernetes");
  }

  @Test
  void missingBinaries_areNamedWithTheCommandThatBuildsThem() throws Exception {
    goMod("require k8s.io/kubernetes v0.0.0-never-provisioned\n");
    assertThatThrownBy(() -> KubeBinaries.of(root).requirePresent())
        .hasMessageContaining("no kube-apiserver in ")
        .hasMessageContaining("0.0.0-never-provisioned")
        .hasMessageContaining("tools/provision.sh");
  }

  private void goMod(String text) throws Exception {
    Path file = root.resolve("tools/kubernetes/go.mod");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
