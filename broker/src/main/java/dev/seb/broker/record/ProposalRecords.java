package dev.seb.broker.record;

import com.nimbusds.jose.JWSObject;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.MintedIdentity;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordClaims;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.recovery.RecoveryPlan.StoredRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The records about one proposal: its decision (or denial) record, stored under a name that can
 * exist once, its outcome record, and reading back what earlier brokers recorded about it.
 */
@ApplicationScoped
public class ProposalRecords {

  private static final Logger LOG = Logger.getLogger(ProposalRecords.class);

  private final KubernetesClient client;
  private final RecordLog log;
  private final Clock clock;

  public ProposalRecords(KubernetesClient client, RecordLog log, Clock clock) {
    this.client = client;
    this.log = log;
    this.clock = clock;
  }

  /** Step 9: the signed ADMIT decision record, before any identity exists. */
  public String admitted(ProposalRef ref, AdmittedExecution admitted)
      throws VerificationException, RecordLog.AlreadyDecided {
    return log.appendDecision(
        RecordDraft.builder(Kind.DECISION)
            .proposal(ref)
            .decision(Decision.ADMIT)
            .executed(false)
            .preState(admitted.preState())
            .decidedAt(clock.instant())
            .build(),
        ref.namespace());
  }

  /**
   * A denial or hold, as the proposal's decision record; a REPLAY (the proposal has a decision
   * record already) under this broker's chain name, naming where the first decision is.
   */
  public String refused(ProposalRef ref, Decision decision, Reason reason)
      throws VerificationException, RecordLog.AlreadyDecided {
    RecordDraft draft =
        RecordDraft.builder(Kind.DENIAL)
            .proposal(ref)
            .decision(decision)
            .reason(reason.code(), reason.message())
            .executed(false)
            .decidedAt(clock.instant())
            .build();
    return reason.code() == ReasonCode.REPLAY
        ? log.append(draft, ref.namespace())
        : log.appendDecision(draft, ref.namespace());
  }

  /** The outcome record of an admitted proposal: executed, or why not. */
  public String outcome(
      ProposalRef ref,
      boolean executed,
      Reason failure,
      MintedIdentity identity,
      String preState,
      String postState)
      throws VerificationException {
    RecordDraft.Builder draft =
        RecordDraft.builder(Kind.OUTCOME)
            .proposal(ref)
            .decision(Decision.ADMIT)
            .executed(executed)
            .preState(preState)
            .postState(postState)
            .decidedAt(clock.instant())
            .completedAt(clock.instant());
    if (identity != null) {
      draft.identity(identity);
    }
    if (!executed) {
      draft.reason(failure.code(), failure.message());
    }
    return log.append(draft.build(), ref.namespace());
  }

  /** Whether the proposal has a decision record (deciding it again is a REPLAY). */
  public boolean decided(String namespace, String proposalUid) {
    return log.exists(namespace, RecordLog.decisionName(proposalUid));
  }

  /** Every record about the proposal, with what each says (null where unreadable). */
  public List<StoredRecord> about(String namespace, String proposalUid) {
    return client
        .resources(ExecutionRecord.class)
        .inNamespace(namespace)
        .withLabel(SebKeys.PROPOSAL_UID, proposalUid)
        .list()
        .getItems()
        .stream()
        .map(
            r ->
                new StoredRecord(
                    r.getMetadata().getName(),
                    r.getSpec().kind(),
                    Optional.ofNullable(r.getMetadata().getLabels())
                        .map(labels -> labels.get(SebKeys.CHAIN))
                        .orElse(null),
                    content(r)))
        .toList();
  }

  /**
   * For a REPLAY: where the proposal's first decision and its outcome are, so that "not executed"
   * about the replay is not read as "never executed".
   */
  public String earlierOutcome(ProposalRef ref) {
    try {
      Optional<StoredRecord> outcome =
          about(ref.namespace(), ref.uid()).stream()
              .filter(r -> r.kind() == Kind.OUTCOME)
              .findFirst();
      return "; its decision record is "
          + RecordLog.decisionName(ref.uid())
          + outcome
              .map(
                  r ->
                      ", its outcome record "
                          + r.name()
                          + (r.content() == null ? "" : " says executed=" + r.content().executed()))
              .orElse(", with no outcome recorded");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** What a stored record says (its signature is not checked here); null when unreadable. */
  private static RecordDraft content(ExecutionRecord record) {
    try {
      return RecordClaims.fromClaims(
              JWSObject.parse(record.getSpec().jws()).getPayload().toJSONObject())
          .content();
    } catch (ParseException | VerificationException | RuntimeException e) {
      LOG.warnf("record %s cannot be read: %s", record.getMetadata().getName(), e.getMessage());
      return null;
    }
  }
}
