package dev.seb.webhook.observe;

import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.event.Reporter;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.runtime.event.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.TreeSet;

/**
 * The webhook's Events, through seb's shared recorder reporting as {@code seb.dev/webhook}: a
 * break-glass write and the end of a namespace's protection, once the broker has recorded them and
 * the webhook allows them. Both are about the namespace concerned (a Namespace is cluster-scoped,
 * so the API server keeps its Events in {@code default}); {@code kubectl get events -A
 * --field-selector reason=BreakGlass} lists them. Recording never delays or changes the verdict.
 */
@ApplicationScoped
public class WebhookEvents {

  private final EventRecorder recorder;

  WebhookEvents(KubernetesClient client) {
    this.recorder =
        new EventRecorder(client, Clock.systemUTC(), Reporter.WEBHOOK, EventRecorder.podName());
  }

  /** The admission {@code admissionUid} of this kind was recorded by the broker and is allowed. */
  public void allowedRecorded(Kind kind, String admissionUid, AdmissionRequest request) {
    recorder.record(regarding(kind, request), reason(kind), note(kind, admissionUid, request));
  }

  static EventReason reason(Kind kind) {
    return kind == Kind.UNPROTECT ? EventReason.UNPROTECTED : EventReason.BREAK_GLASS;
  }

  /** The namespace the write is in (break-glass) or whose protection ends (unprotect). */
  static ObjectReference regarding(Kind kind, AdmissionRequest request) {
    String namespace = kind == Kind.UNPROTECT ? request.name() : request.namespace();
    String uid =
        kind == Kind.UNPROTECT
            ? firstText(request.oldObject(), request.object(), "/metadata/uid")
            : null;
    return new ObjectReferenceBuilder()
        .withApiVersion("v1")
        .withKind("Namespace")
        .withName(namespace)
        .withUid(uid)
        .build();
  }

  static String note(Kind kind, String admissionUid, AdmissionRequest request) {
    String what =
        request.operation()
            + " "
            + (request.group() == null || request.group().isEmpty()
                ? request.resource()
                : request.resource() + "." + request.group())
            + (request.subresource() == null || request.subresource().isEmpty()
                ? ""
                : "/" + request.subresource())
            + (request.name() == null || request.name().isEmpty() ? "" : " " + request.name())
            + (request.namespace() == null || request.namespace().isEmpty()
                ? ""
                : " in " + request.namespace());
    return (kind == Kind.UNPROTECT ? "protection ended: " : "break-glass: ")
        + request.username()
        + " (groups "
        + new TreeSet<>(request.groups())
        + ") "
        + what
        + "; allowed after seb recorded it (admission "
        + admissionUid
        + ")";
  }

  private static String firstText(
      com.fasterxml.jackson.databind.JsonNode a,
      com.fasterxml.jackson.databind.JsonNode b,
      String pointer) {
    for (var node : new com.fasterxml.jackson.databind.JsonNode[] {a, b}) {
      if (node != null && node.at(pointer).isTextual()) {
        return node.at(pointer).asText();
      }
    }
    return null;
  }

  @PreDestroy
  void close() {
    recorder.close();
  }
}
