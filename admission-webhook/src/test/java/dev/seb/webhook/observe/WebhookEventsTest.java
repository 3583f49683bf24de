package dev.seb.webhook.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the webhook's Events say, and about which object. */
class WebhookEventsTest {

  @Test
  void aBreakGlassWrite_isAboutItsNamespace_andNamesWhoDidWhat() {
    AdmissionRequest request =
        new AdmissionRequest(
            "CREATE",
            "",
            "pods",
            "exec",
            "shop",
            "web-0",
            "oncall",
            Set.of("seb:break-glass", "system:authenticated"),
            null,
            null);
    assertThat(WebhookEvents.reason(Kind.BREAK_GLASS)).isEqualTo(EventReason.BREAK_GLASS);
    var regarding = WebhookEvents.regarding(Kind.BREAK_GLASS, request);
    assertThat(regarding.getKind()).isEqualTo("Namespace");
    assertThat(regarding.getName()).isEqualTo("shop");
    assertThat(regarding.getNamespace()).isNull();
    assertThat(WebhookEvents.note(Kind.BREAK_GLASS, "uid-1", request))
        .isEqualTo(
            "break-glass: oncall (groups [seb:break-glass, system:authenticated]) CREATE"
                + " pods/exec web-0 in shop; allowed after seb recorded it (admission uid-1)");
  }

  @Test
  void anUnprotect_isAboutTheNamespaceItself_withItsUid() throws Exception {
    var old =
        CanonicalJson.mapper().readTree("{\"metadata\":{\"name\":\"shop\",\"uid\":\"ns-uid-7\"}}");
    AdmissionRequest request =
        new AdmissionRequest(
            "DELETE",
            "",
            "namespaces",
            null,
            null,
            "shop",
            "admin",
            Set.of("seb:protection-admins"),
            null,
            old);
    assertThat(WebhookEvents.reason(Kind.UNPROTECT)).isEqualTo(EventReason.UNPROTECTED);
    var regarding = WebhookEvents.regarding(Kind.UNPROTECT, request);
    assertThat(regarding.getName()).isEqualTo("shop");
    assertThat(regarding.getUid()).isEqualTo("ns-uid-7");
    assertThat(WebhookEvents.note(Kind.UNPROTECT, "uid-2", request))
        .startsWith(
            "protection ended: admin (groups [seb:protection-admins]) DELETE namespaces shop;");
  }
}
