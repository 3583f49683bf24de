package dev.seb.contracts.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoticeTest {

  private static final AdmissionRequest ONCALL_UPDATE =
      new AdmissionRequest(
          "UPDATE",
          "",
          "configmaps",
          null,
          "shop",
          "settings",
          "oncall",
          Set.of("seb:break-glass", "system:authenticated"),
          null,
          null);

  private static JsonNode json(String text) throws Exception {
    return CanonicalJson.mapper().readTree(text);
  }

  @Test
  void theWebhooksBody_readsBackAsTheSameNotice_andDraftsABreakGlassRecord() {
    Notice sent = Notice.of(Kind.BREAK_GLASS, "ab3b66b5-232d", ONCALL_UPDATE);

    Notice read = Notice.parse(sent.toJson());

    assertThat(read).isEqualTo(sent);
    assertThat(read.recordName()).isEqualTo("break-glass-ab3b66b5-232d");
    assertThat(read.draft().kind()).isEqualTo(Kind.BREAK_GLASS);
    assertThat(read.draft().admission().summary())
        .isEqualTo("oncall update configmaps shop/settings");
    assertThat(read.draft().executed()).isFalse();
  }

  @Test
  void anUnprotectNotice_forANamespace() throws Exception {
    Notice read =
        Notice.parse(
            json(
                """
                {"kind": "unprotect", "admissionUid": "u-1", "user": "alice",
                 "groups": ["seb:protection-admins"], "operation": "UPDATE", "group": "",
                 "resource": "namespaces", "name": "shop"}
                """));
    assertThat(read.kind()).isEqualTo(Kind.UNPROTECT);
    assertThat(read.recordName()).isEqualTo("unprotect-u-1");
  }

  @Test
  void anyOtherKind_isRefused_soANoticeCannotForgeADecision() throws Exception {
    assertThatThrownBy(
            () ->
                Notice.parse(
                    json(
                        """
                        {"kind": "decision", "admissionUid": "u-1", "user": "a", "groups": [],
                         "operation": "UPDATE", "group": "", "resource": "pods"}
                        """)))
        .hasMessageContaining("field 'kind' must be break-glass or unprotect");
    assertThatThrownBy(
            () ->
                new Notice(
                    Kind.DECISION, Notice.of(Kind.UNPROTECT, "u", ONCALL_UPDATE).admission()))
        .hasMessageContaining("kind must be break-glass or unprotect");
  }

  @Test
  void malformedBodies_areRefusedNamingTheField() throws Exception {
    String base =
        """
        {"kind": "break-glass", "admissionUid": "u-1", "user": "oncall", "groups": [],
         "operation": "UPDATE", "group": "", "resource": "pods"%s}
        """;
    assertThatThrownBy(() -> Notice.parse(json(base.formatted(", \"executed\": true"))))
        .hasMessageContaining("unknown field 'executed'");
    assertThatThrownBy(
            () -> Notice.parse(json(base.formatted("").replace("\"user\": \"oncall\",", ""))))
        .hasMessageContaining("field 'user' is missing");
    assertThatThrownBy(() -> Notice.parse(json(base.formatted(", \"name\": 7"))))
        .hasMessageContaining("field 'name' must be a string");
    assertThatThrownBy(() -> Notice.parse(json(base.formatted("").replace("\"u-1\"", "\"U/1\""))))
        .hasMessageContaining("admission.uid");
    assertThatThrownBy(() -> Notice.parse(json("[]"))).hasMessageContaining("JSON object");
  }
}
