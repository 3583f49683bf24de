package dev.seb.broker.proposal;

import dev.seb.broker.record.ProposalRecords;
import dev.seb.broker.record.RecordLog;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.execution.Decision;
import dev.seb.contracts.proposal.Ending;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A denied or held proposal: its signed denial record (with executed=false) is its decision record;
 * nothing is minted or written.
 */
@ApplicationScoped
public class Denials {

  private static final Logger LOG = Logger.getLogger(Denials.class);

  private final ProposalRecords records;

  public Denials(ProposalRecords records) {
    this.records = records;
  }

  /** What was recorded: the denial record's name (null if it could not be stored) and ending. */
  public record Recorded(String record, Ending ending) {}

  /**
   * Records the refusal. {@link RecordLog.AlreadyDecided} when another broker recorded a decision
   * about the proposal since this one looked.
   */
  public Recorded record(Decision refused, ProposalRef ref) throws RecordLog.AlreadyDecided {
    boolean hold = refused instanceof Decision.Hold;
    ReasonCode code =
        hold ? ((Decision.Hold) refused).reason() : ((Decision.Deny) refused).reason();
    String message =
        hold ? ((Decision.Hold) refused).message() : ((Decision.Deny) refused).message();
    if (code == ReasonCode.REPLAY) {
      message += records.earlierOutcome(ref);
    }
    MutationProposalStatus.Decision decision =
        hold ? MutationProposalStatus.Decision.HOLD : MutationProposalStatus.Decision.DENY;
    Reason reason = new Reason(code, message);
    try {
      return new Recorded(
          records.refused(ref, decision, reason), new Ending.Refused(decision, reason));
    } catch (VerificationException | RuntimeException e) {
      LOG.errorf(e, "the denial of %s could not be recorded: %s", ref.ref(), e.getMessage());
      return new Recorded(
          null,
          new Ending.Unrecorded(
              false,
              new Reason(
                  ReasonCode.INTERNAL_ERROR,
                  "not executed: the decision could not be recorded: " + e.getMessage())));
    }
  }
}
