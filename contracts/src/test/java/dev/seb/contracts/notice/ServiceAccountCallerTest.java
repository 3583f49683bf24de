package dev.seb.contracts.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceAccountCallerTest {

  private static final ServiceAccountCaller WEBHOOK =
      new ServiceAccountCaller("system:serviceaccount:seb-system:seb-admission-webhook");

  @Test
  void theWebhooksServiceAccount_isAccepted() {
    assertThat(
            WEBHOOK.refusal(
                "system:serviceaccount:seb-system:seb-admission-webhook",
                Set.of(
                    "system:serviceaccounts",
                    "system:serviceaccounts:seb-system",
                    "system:authenticated")))
        .isNull();
  }

  @Test
  void aUserNamedLikeTheAccount_butNotAServiceAccount_isRefused() {
    assertThat(
            WEBHOOK.refusal(
                "system:serviceaccount:seb-system:seb-admission-webhook",
                Set.of("system:authenticated")))
        .contains("is not that ServiceAccount");
  }

  @Test
  void anotherAccount_andTheSameNameInAnotherNamespace_areRefused() {
    assertThat(
            WEBHOOK.refusal(
                "system:serviceaccount:agents:seb-admission-webhook",
                Set.of("system:serviceaccounts", "system:serviceaccounts:agents")))
        .contains("is not system:serviceaccount:seb-system:seb-admission-webhook");
    assertThat(WEBHOOK.refusal(null, Set.of())).contains("is not");
  }

  @Test
  void theConfiguredCaller_mustBeAServiceAccount() {
    assertThatThrownBy(() -> new ServiceAccountCaller("admin"))
        .hasMessageContaining("must be a ServiceAccount");
    assertThatThrownBy(() -> new ServiceAccountCaller("system:serviceaccount:seb-system"))
        .hasMessageContaining("must be a ServiceAccount");
  }
}
