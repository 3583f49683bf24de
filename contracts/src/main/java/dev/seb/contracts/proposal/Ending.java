package dev.seb.contracts.proposal;

import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import java.util.Objects;

/** How a decided proposal ended, as its status reports it. */
public sealed interface Ending {

  /** Denied or held: the decision record is the signed denial; nothing was minted. */
  record Refused(Decision decision, Reason reason) implements Ending {
    public Refused {
      if (decision == Decision.ADMIT) {
        throw new IllegalArgumentException("a refusal is a DENY or a HOLD");
      }
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Admitted and performed: the outcome record says executed=true. */
  record Executed(String outcomeRecord, String completedAt) implements Ending {}

  /**
   * Admitted but not performed (the identity could not be minted, the write was refused, an
   * interrupted execution did not apply): the outcome record says executed=false, and the
   * proposal's decision becomes DENY with this reason.
   */
  record NotExecuted(String outcomeRecord, Reason reason, String completedAt) implements Ending {
    public NotExecuted {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A record could not be written (or anything else failed): the status says truthfully whether the
   * write happened; the reason is INTERNAL_ERROR. Nothing is retried.
   */
  record Unrecorded(boolean executed, Reason reason) implements Ending {
    public Unrecorded {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
