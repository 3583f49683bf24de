package dev.seb.contracts.admission;

import java.util.Map;

/** What the webhook answers. */
public sealed interface AdmissionVerdict {

  /** Allowed. */
  record Allow() implements AdmissionVerdict {}

  /** Allowed, with a warning shown to the client and annotations for the audit log. */
  record AllowWithWarning(String warning, Map<String, String> auditAnnotations)
      implements AdmissionVerdict {}

  /** Denied, with a message saying why and what to do instead. */
  record Deny(String message) implements AdmissionVerdict {}
}
