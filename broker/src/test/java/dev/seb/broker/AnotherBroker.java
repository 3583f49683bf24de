package dev.seb.broker;

import dev.seb.broker.decision.AnchorLookup;
import dev.seb.broker.decision.DecisionInputs;
import dev.seb.broker.decision.Decisions;
import dev.seb.broker.decision.EpochMarks;
import dev.seb.broker.execution.Execution;
import dev.seb.broker.identity.IdentityClients;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.broker.proposal.Denials;
import dev.seb.broker.proposal.MutationProposalReconciler;
import dev.seb.broker.proposal.ProposalClaims;
import dev.seb.broker.proposal.ProposalStatuses;
import dev.seb.broker.proposal.SerialTargets;
import dev.seb.broker.record.ChainLease;
import dev.seb.broker.record.ProposalRecords;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.recovery.Recovery;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.broker.runtime.Stages;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;

/**
 * Other broker instances in the test's JVM, each with its own configuration (instance name, claim
 * duration) and record chain, wired from the same steps as the one Quarkus runs, with the test
 * suite's {@link BrokerProbe}.
 */
@Singleton
public class AnotherBroker {

  /** The instance name of the other broker the tests run next to the running one (broker-0). */
  static final String SECOND = "broker-1";

  /**
   * One Lease holder per other broker's chain in this JVM, as one process per instance holds it.
   */
  private static final Map<String, ChainLease> LEASES = new ConcurrentHashMap<>();

  private final KubernetesClient client;
  private final IdentityMinter minter;
  private final IdentityClients identities;
  private final MeterRegistry meters;
  private final BrokerProbe probe;

  AnotherBroker(
      KubernetesClient client,
      IdentityMinter minter,
      IdentityClients identities,
      MeterRegistry meters,
      BrokerProbe probe) {
    this.client = client;
    this.minter = minter;
    this.identities = identities;
    this.meters = meters;
    this.probe = probe;
  }

  /** The configuration of another broker process named {@code instance}: claims of two minutes. */
  static BrokerConfig config(String instance) {
    return new BrokerConfig() {
      public String namespace() {
        return "seb-system";
      }

      public String instance() {
        return instance;
      }

      public String signingKeySecret() {
        return "seb-" + instance + "-signing-key";
      }

      public String brokerId() {
        return "seb-broker";
      }

      public Duration claimDuration() {
        return Duration.ofMinutes(2);
      }

      public Duration clockLeeway() {
        return Duration.ofSeconds(30);
      }

      public java.util.Optional<String> failpoint() {
        return java.util.Optional.empty();
      }

      public Duration failpointHold() {
        return Duration.ofMinutes(10);
      }
    };
  }

  /** The second broker's configuration ({@link #SECOND}). */
  static BrokerConfig second() {
    return config(SECOND);
  }

  /** Another broker's record log, holding its chain's Lease as that broker would. */
  RecordLog recordLog(BrokerConfig broker) {
    ChainLease lease =
        LEASES.computeIfAbsent(broker.instance(), i -> new ChainLease(client, broker).start());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(lease::held);
    return new RecordLog(client, broker, Clock.systemUTC(), lease);
  }

  /** Another broker process with the given configuration, writing to its own record chain. */
  MutationProposalReconciler reconciler(BrokerConfig broker) {
    return reconciler(broker, recordLog(broker));
  }

  /** Another broker process with the given configuration and record log. */
  MutationProposalReconciler reconciler(BrokerConfig broker, RecordLog log) {
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
        new Execution(
            client,
            records,
            minter,
            identities,
            probe,
            stages,
            events,
            clock,
            dev.seb.broker.execution.Failpoints.off()),
        new Denials(records),
        new ProposalStatuses(client, claims, clock, stages, events),
        new SerialTargets(),
        new dev.seb.broker.runtime.ProposalTraces(tracer),
        stages,
        events,
        clock);
  }
}
