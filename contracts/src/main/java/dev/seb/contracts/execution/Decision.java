package dev.seb.contracts.execution;

import dev.seb.contracts.ReasonCode;
import java.util.Objects;

/**
 * What the pipeline decided. Only {@link Admit} carries an {@link AdmittedExecution}; a {@link
 * Deny} or {@link Hold} has nothing an executor would accept.
 */
public sealed interface Decision {

  /** The proposal digest the decision is about (null only when the proposal was unreadable). */
  String proposalDigest();

  /** Admitted: execute with the capability. */
  record Admit(String proposalDigest, AdmittedExecution execution) implements Decision {
    public Admit {
      Objects.requireNonNull(execution, "execution");
    }
  }

  /** Denied, with the deciding reason and a message naming what failed. */
  record Deny(String proposalDigest, ReasonCode reason, String message) implements Decision {
    public Deny {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Held: not executed, waiting (for an approval). */
  record Hold(String proposalDigest, ReasonCode reason, String message) implements Decision {
    public Hold {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
