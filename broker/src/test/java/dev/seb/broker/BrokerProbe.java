package dev.seb.broker;

import dev.seb.broker.execution.ExecutionProbe;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import jakarta.inject.Singleton;

/**
 * The test suite's {@link ExecutionProbe}: hands each point of an execution to the hooks that act
 * at it (each acts only on the proposals it is meant for).
 */
@Singleton
public class BrokerProbe implements ExecutionProbe {

  private final WindowRacer racer;
  private final Freezer freezer;
  private final Overtaker overtaker;
  private final RevocationBlocker blocker;
  private final Unbinder unbinder;
  private final RevokedTokens revoked;

  BrokerProbe(
      WindowRacer racer,
      Freezer freezer,
      Overtaker overtaker,
      RevocationBlocker blocker,
      Unbinder unbinder,
      RevokedTokens revoked) {
    this.racer = racer;
    this.freezer = freezer;
    this.overtaker = overtaker;
    this.blocker = blocker;
    this.unbinder = unbinder;
    this.revoked = revoked;
  }

  @Override
  public void beforeDecisionRecord(ProposalRef proposal, AdmittedExecution admitted) {
    overtaker.onRecording(proposal, admitted);
  }

  @Override
  public void beforeWrite(ProposalRef proposal, AdmittedExecution admitted) {
    racer.onStarting(proposal, admitted);
    blocker.onStarting(proposal, admitted);
    unbinder.onStarting(proposal, admitted);
    freezer.onStarting(proposal, admitted);
  }

  @Override
  public void revoked(ProposalRef proposal, String username, String token) {
    revoked.revoked.add(new RevokedTokens.Revoked(username, token));
  }
}
