package dev.seb.broker;

import dev.seb.broker.decision.AnchorLookup;
import dev.seb.broker.decision.DecisionInputs;
import dev.seb.broker.decision.Decisions;
import dev.seb.broker.decision.EpochMarks;
import dev.seb.broker.execution.Execution;
import dev.seb.broker.execution.ExecutionProbe;
import dev.seb.broker.identity.IdentityClients;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.broker.proposal.Denials;
import dev.seb.broker.proposal.MutationProposalReconciler;
import dev.seb.broker.proposal.ProposalClaims;
import dev.seb.broker.proposal.ProposalStatuses;
import dev.seb.broker.proposal.SerialTargets;
import dev.seb.broker.record.ProposalRecords;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.recovery.Recovery;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.broker.runtime.Stages;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * A second broker instance in the test's JVM, with its own configuration (instance name, claim
 * duration) and record chain, wired from the same steps as the one Quarkus runs.
 */
final class AnotherBroker {

  private AnotherBroker() {}

  static MutationProposalReconciler reconciler(
      KubernetesClient client,
      BrokerConfig broker,
      RecordLog log,
      IdentityMinter minter,
      IdentityClients identities,
      MeterRegistry meters,
      ExecutionProbe probe) {
    Clock clock = Clock.systemUTC();
    var tracer = io.opentelemetry.api.OpenTelemetry.noop().getTracer("seb-broker");
    Stages stages = new Stages(meters, tracer);
    var events =
        dev.seb.runtime.event.EventRecorder.on(
            Runnable::run,
            client,
            clock,
            dev.seb.contracts.event.Reporter.BROKER,
            broker.instance());
    ProposalRecords records = new ProposalRecords(client, log, clock);
    DecisionInputs inputs =
        new DecisionInputs(
            client,
            clock,
            broker,
            new EpochMarks(client, broker),
            records,
            new AnchorLookup(client, stages),
            stages);
    ProposalClaims claims = new ProposalClaims(client, broker, clock, stages);
    return new MutationProposalReconciler(
        log,
        claims,
        new Recovery(client, records, minter, inputs, clock),
        inputs,
        new Decisions(clock, broker, stages),
        new Execution(client, records, minter, identities, probe, stages, events, clock),
        new Denials(records),
        new ProposalStatuses(client, claims, clock, stages, events),
        new SerialTargets(),
        new dev.seb.broker.runtime.ProposalTraces(tracer),
        stages,
        events,
        clock);
  }
}
