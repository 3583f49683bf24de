package dev.seb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestGroundTest {

  @AfterEach
  void clearProvider() {
    System.clearProperty(TestGround.PROVIDER_PROPERTY);
  }

  @Test
  void provider_defaultsToTheLocalTestGround() {
    assertThat(TestGround.provider()).isEqualTo(TestGround.Provider.LOCAL);
  }

  @Test
  void provider_selectsTestcontainersByProperty() {
    System.setProperty(TestGround.PROVIDER_PROPERTY, "Testcontainers");
    assertThat(TestGround.provider()).isEqualTo(TestGround.Provider.TESTCONTAINERS);
  }

  @Test
  void unknownProvider_isRejectedNamingTheProperty() {
    System.setProperty(TestGround.PROVIDER_PROPERTY, "kind");
    assertThatThrownBy(TestGround::provider)
        .hasMessageContaining("seb.testground")
        .hasMessageContaining("'kind'");
  }

  @Test
  void kubernetesVersion_isReadFromTheWrapperModule() {
    assertThat(TestGround.kubernetesVersion()).matches("1\\.\\d+\\.\\d+");
    assertThat(TestGround.kubernetesBinaries().toString())
        .matches(
            ".*/k8s/"
                + TestGround.kubernetesVersion().replace(".", "\\.")
                + "-(linux|darwin)-(amd64|arm64)");
  }
}
