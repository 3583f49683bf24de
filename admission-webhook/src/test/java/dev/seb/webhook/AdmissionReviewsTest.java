package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.admission.AdmissionRules;
import dev.seb.contracts.admission.AdmissionVerdict;
import dev.seb.contracts.canonical.CanonicalJson;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The webhook reads AdmissionReviews as JSON trees and writes its answers directly; these are
 * checked against Fabric8's typed model as a reference reader and writer, on every review a real
 * kube-apiserver sent in {@code AdmissionWebhookIT} ({@code admission-reviews/captured.jsonl}).
 */
class AdmissionReviewsTest {

  private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
  private static final AdmissionRules RULES = new AdmissionRules(AdmissionPolicy.defaults());

  record Captured(String endpoint, String body) {}

  private static List<Captured> captured() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Captured> reviews = new ArrayList<>();
    try (InputStream in =
        AdmissionReviewsTest.class.getResourceAsStream("/admission-reviews/captured.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          JsonNode entry = json.readTree(line);
          reviews.add(new Captured(entry.get("endpoint").asText(), entry.get("review").toString()));
        }
      }
    }
    return reviews;
  }

  /** The reference reading of a review, through Fabric8's typed model. */
  private static AdmissionRequest readByFabric8(String body) {
    var r = FABRIC8.unmarshal(body, AdmissionReview.class).getRequest();
    var user = r.getUserInfo();
    return new AdmissionRequest(
        r.getOperation(),
        r.getResource() == null ? null : r.getResource().getGroup(),
        r.getResource() == null ? null : r.getResource().getResource(),
        r.getSubResource() == null || r.getSubResource().isEmpty() ? null : r.getSubResource(),
        r.getNamespace(),
        r.getName(),
        user == null ? null : user.getUsername(),
        user == null || user.getGroups() == null ? Set.of() : new HashSet<>(user.getGroups()),
        r.getObject() == null ? null : CanonicalJson.mapper().valueToTree(r.getObject()),
        r.getOldObject() == null ? null : CanonicalJson.mapper().valueToTree(r.getOldObject()),
        user != null
            && user.getExtra() != null
            && user.getExtra().containsKey(AdmissionRequest.CREDENTIAL_ID));
  }

  /** The reference answer, written through Fabric8's typed model. */
  private static String writtenByFabric8(String uid, AdmissionVerdict verdict, String patch) {
    AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(uid);
    if (verdict instanceof AdmissionVerdict.Deny deny) {
      response
          .withAllowed(false)
          .withStatus(
              new StatusBuilder()
                  .withCode(403)
                  .withReason("Forbidden")
                  .withMessage(deny.message())
                  .build());
    } else if (verdict instanceof AdmissionVerdict.AllowWithWarning warn) {
      response
          .withAllowed(true)
          .withWarnings(List.of(warn.warning()))
          .withAuditAnnotations(warn.auditAnnotations());
    } else {
      response.withAllowed(true);
    }
    if (patch != null) {
      response
          .withPatchType("JSONPatch")
          .withPatch(Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
    }
    return FABRIC8.asJson(
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withResponse(response.build())
            .build());
  }

  @Test
  void everyCapturedReview_readsAsFabric8ReadIt_andGetsTheSameVerdicts() throws IOException {
    List<Captured> reviews = captured();
    assertThat(reviews).hasSizeGreaterThan(20);
    for (Captured review : reviews) {
      JsonNode tree = AdmissionReviews.parse(review.body().getBytes(StandardCharsets.UTF_8));
      AdmissionRequest read = AdmissionReviews.request(tree);
      AdmissionRequest before = readByFabric8(review.body());
      String what = review.endpoint() + " " + read.operation() + " " + read.groupResource();
      assertThat(AdmissionReviews.uid(tree))
          .isEqualTo(FABRIC8.unmarshal(review.body(), AdmissionReview.class).getRequest().getUid());
      assertThat(read)
          .as(what)
          .usingRecursiveComparison()
          .ignoringFields("object", "oldObject")
          .isEqualTo(before);
      assertThat(RULES.protectedNamespace(read))
          .as(what)
          .isEqualTo(RULES.protectedNamespace(before));
      assertThat(RULES.sebKinds(read)).as(what).isEqualTo(RULES.sebKinds(before));
      assertThat(AdmissionRules.stampSubmitter(read))
          .as(what)
          .isEqualTo(AdmissionRules.stampSubmitter(before));
    }
  }

  @Test
  void everyKindOfAnswer_isWrittenByteForByteAsFabric8WroteIt() {
    List<AdmissionVerdict> verdicts =
        List.of(
            new AdmissionVerdict.Allow(),
            new AdmissionVerdict.Deny("seb: \"quoted\" and üñíçødé may not"),
            new AdmissionVerdict.AllowWithWarning(
                "seb break-glass: oncall update configmaps shop/settings outside seb",
                Map.of(SebKeys.BREAK_GLASS, "oncall update configmaps shop/settings")),
            new AdmissionVerdict.AllowWithWarning("no annotations", Map.of()));
    for (String uid : new String[] {"173be162-b78b-4d8d-ab6f-2902f2dec00d", null}) {
      for (AdmissionVerdict verdict : verdicts) {
        assertThat(AdmissionReviews.response(uid, verdict, null))
            .isEqualTo(writtenByFabric8(uid, verdict, null));
      }
      String patch =
          "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"seb.dev/submitted-by\":\"a\"}}]";
      assertThat(AdmissionReviews.response(uid, new AdmissionVerdict.Allow(), patch))
          .isEqualTo(writtenByFabric8(uid, new AdmissionVerdict.Allow(), patch));
    }
  }

  @Test
  void reviewsThatAreNotAdmissionRequests_areDenied() {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    AdmissionResource resource =
        new AdmissionResource(
            RULES, null, new dev.seb.webhook.observe.AdmissionMetrics(registry), null);
    for (String body :
        List.of(
            "",
            "{}",
            "[]",
            "\"request\"",
            "{\"request\":null}",
            "{\"request\":{\"uid\":\"u\",\"userInfo\":{\"username\":7}}}",
            "{\"request\":{\"uid\":\"u\",\"userInfo\":{\"groups\":\"system:masters\"}}}",
            "{\"request\":{\"uid\":\"u\",\"userInfo\":{\"groups\":[{\"name\":\"system:masters\"}]}}}",
            "{\"request\":",
            "not json")) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(resource.protectedNamespaces(bytes).await().indefinitely())
          .as(body)
          .contains("\"allowed\":false");
      assertThat(resource.sebKinds(bytes)).as(body).contains("\"allowed\":false");
    }
    // each counted as a denial the webhook failed closed on, per endpoint
    for (String endpoint : List.of("protected", "seb")) {
      assertThat(
              registry
                  .get("seb.webhook.admissions")
                  .tags(
                      "endpoint",
                      endpoint,
                      "verdict",
                      "deny",
                      "reason",
                      "failed-closed",
                      "layer",
                      "webhook")
                  .counter()
                  .count())
          .isEqualTo(10);
      assertThat(
              registry
                  .get("seb.webhook.admission.duration")
                  .tags("endpoint", endpoint, "verdict", "deny")
                  .timer()
                  .count())
          .isEqualTo(10);
    }
  }
}
