package dev.seb.broker.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.broker.execution.FailpointPlan.Point;
import dev.seb.broker.identity.IdentityClients;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.broker.record.ProposalRecords;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.proposal.Ending;
import dev.seb.contracts.record.MintedIdentity;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import dev.seb.runtime.event.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.jboss.logging.Logger;

/**
 * Steps 9 to 11 of an admitted proposal (ARCHITECTURE.md section 5): the signed decision record,
 * then an identity scoped to exactly this mutation, the write conditioned on the checked state by
 * that identity only, its revocation as soon as the call returns, and the outcome record. A step
 * that fails ends the execution there, recorded with executed=false.
 */
@ApplicationScoped
public class Execution {

  private static final Logger LOG = Logger.getLogger(Execution.class);

  private final KubernetesClient client;
  private final ProposalRecords records;
  private final IdentityMinter minter;
  private final IdentityClients identities;
  private final ExecutionProbe probe;
  private final Stages stages;
  private final EventRecorder events;
  private final Clock clock;
  private final Failpoints failpoints;

  public Execution(
      KubernetesClient client,
      ProposalRecords records,
      IdentityMinter minter,
      IdentityClients identities,
      ExecutionProbe probe,
      Stages stages,
      EventRecorder events,
      Clock clock,
      Failpoints failpoints) {
    this.client = client;
    this.records = records;
    this.minter = minter;
    this.identities = identities;
    this.probe = probe;
    this.stages = stages;
    this.events = events;
    this.clock = clock;
    this.failpoints = failpoints;
  }

  /**
   * What an execution left: its decision record (null when that could not be stored) and how it
   * ended.
   */
  public record Result(String decisionRecord, Ending ending) {}

  /**
   * Executes the admitted proposal. {@link RecordLog.AlreadyDecided} when another broker recorded a
   * decision about it first: then this broker recorded, minted and wrote nothing. {@code createdAt}
   * is the proposal's creationTimestamp (which proposals a failpoint holds).
   */
  public Result run(
      AdmittedExecution admitted, ProposalRef ref, String createdAt, Instant claimedUntil)
      throws RecordLog.AlreadyDecided {
    failpoints.reach(Point.CLAIMED, ref, createdAt);
    String decided;
    try (Stages.Stage stage = stages.begin("record")) {
      probe.beforeDecisionRecord(ref, admitted);
      decided = records.admitted(ref, admitted);
    } catch (VerificationException | RuntimeException e) {
      return unrecorded(ref, null, false, "not executed: the decision could not be recorded: ", e);
    }
    failpoints.reach(Point.DECIDED, ref, createdAt);
    if (lapsed(claimedUntil)) {
      return outcome(ref, decided, claimLapsed("minting"), null, admitted.preState(), null);
    }
    TargetResource target;
    IdentityMinter.Minted minted;
    try (Stages.Stage stage = stages.begin("mint")) {
      target = TargetResource.resolve(client, admitted.target());
      minted = minter.mint(admitted, target, ref.uid());
      events.record(
          ProposalEvents.about(ref),
          EventReason.IDENTITY_MINTED,
          minted.username() + " for exactly this mutation");
    } catch (RuntimeException e) {
      return outcome(
          ref,
          decided,
          new Reason(
              ReasonCode.IDENTITY_MINT_FAILED,
              "the execution identity could not be minted: " + e.getMessage()),
          null,
          admitted.preState(),
          null);
    }
    failpoints.reach(Point.MINTED, ref, createdAt);
    Reason failure = null;
    JsonNode written = null;
    Instant revokedAt;
    try (Stages.Stage stage = stages.begin("execute");
        KubernetesClient identity = identities.as(minted.token())) {
      // 10. the mutation, by the minted identity only, conditioned on the checked resourceVersion
      probe.beforeWrite(ref, admitted);
      if (lapsed(claimedUntil)) {
        // stalled past its claim: another broker may have recovered the proposal from the
        // target as it is now; writing after that would make its record untrue
        failure = claimLapsed("the write");
      } else {
        written = new KubernetesExecutor(identity, minted.username(), target).execute(admitted);
        failpoints.reach(Point.WRITTEN, ref, createdAt);
      }
    } catch (VerificationException e) {
      failure = new Reason(e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      failure = new Reason(ReasonCode.EXECUTION_FAILED, "the write failed: " + e.getMessage());
    } finally {
      // 11. revoke as soon as the call returned
      revokedAt = revoke(ref, minted);
    }
    failpoints.reach(Point.REVOKED, ref, createdAt);
    MintedIdentity identity =
        new MintedIdentity(
            "kubernetes-serviceaccount", minted.username(), minted.expiresAt(), revokedAt);
    return outcome(
        ref,
        decided,
        failure,
        identity,
        admitted.preState(),
        failure == null ? Digests.state(written) : null);
  }

  private boolean lapsed(Instant claimedUntil) {
    return !clock.instant().isBefore(claimedUntil);
  }

  private static Reason claimLapsed(String before) {
    return new Reason(
        ReasonCode.EXECUTION_FAILED,
        "this broker's claim on the proposal lapsed before "
            + before
            + " (it was stalled); another broker recovers it; not executed");
  }

  /**
   * Revokes a minted identity; returns when, or null if it could not be. A failed revocation does
   * not unmake the write: the outcome is recorded as it happened, its identity without revokedAt,
   * and the collector deletes what is left (whichever deletes went through took rights already).
   */
  private Instant revoke(ProposalRef ref, IdentityMinter.Minted minted) {
    try (Stages.Stage stage = stages.begin("revoke")) {
      minter.revoke(minted);
      probe.revoked(ref, minted.username(), minted.token());
      events.record(ProposalEvents.about(ref), EventReason.IDENTITY_REVOKED, minted.username());
      return clock.instant();
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "the execution identity %s could not be revoked; the collector removes it: %s",
          minted.username(),
          e.getMessage());
      events.record(
          ProposalEvents.about(ref),
          EventReason.REVOCATION_FAILED,
          minted.username() + " (the collector removes it): " + e.getMessage());
      return null;
    }
  }

  private Result outcome(
      ProposalRef ref,
      String decided,
      Reason failure,
      MintedIdentity identity,
      String preState,
      String postState) {
    boolean executed = failure == null;
    try (Stages.Stage stage = stages.begin("outcome")) {
      String name = records.outcome(ref, executed, failure, identity, preState, postState);
      String completedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
      return new Result(
          decided,
          executed
              ? new Ending.Executed(name, completedAt)
              : new Ending.NotExecuted(name, failure, completedAt));
    } catch (VerificationException | RuntimeException e) {
      return unrecorded(
          ref,
          decided,
          executed,
          executed
              ? "executed, but the outcome record could not be written: "
              : "not executed ("
                  + failure.message()
                  + "), and the outcome record could not be written: ",
          e);
    }
  }

  private Result unrecorded(
      ProposalRef ref, String decided, boolean executed, String what, Exception e) {
    LOG.errorf(e, "%s%s", what, e.getMessage());
    events.record(ProposalEvents.about(ref), EventReason.RECORD_FAILED, what + e.getMessage());
    return new Result(
        decided,
        new Ending.Unrecorded(
            executed, new Reason(ReasonCode.INTERNAL_ERROR, what + e.getMessage())));
  }
}
