package dev.seb.broker.execution;

import dev.seb.broker.execution.FailpointPlan.Point;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.record.ProposalRef;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Holds the execution of a proposal at the step named by {@code seb.broker.failpoint} (off unless
 * set; docs/decisions/0024-failpoints.md), so that a test can kill the broker at exactly that step.
 * A hold logs one WARN line {@code failpoint <point> holds <namespace>/<name> uid <uid>}, then
 * blocks the calling thread until {@code seb.broker.failpoint-hold} elapsed or the thread is
 * interrupted, then returns: it never throws and never changes what the execution does. Made when
 * the broker starts, before anything else starts (the record chain's lease, the operator), so that
 * a value outside the allowed ones stops the start before the broker does anything.
 */
@Startup(Failpoints.FIRST)
@ApplicationScoped
public class Failpoints {

  /** Its startup priority: before every default-priority startup observer. */
  static final int FIRST = jakarta.enterprise.inject.spi.ObserverMethod.DEFAULT_PRIORITY - 1000;

  private static final Logger LOG = Logger.getLogger(Failpoints.class);

  private final FailpointPlan plan;

  @Inject
  public Failpoints(BrokerConfig config, Clock clock) {
    this(FailpointPlan.of(config.failpoint(), config.failpointHold(), clock));
  }

  /** Failpoints following {@code plan}. */
  public Failpoints(FailpointPlan plan) {
    this.plan = plan;
    plan.point()
        .ifPresent(
            p ->
                LOG.warnf(
                    "failpoint %s is set: proposals created from now on are held there for up to %s",
                    p.value(), plan.hold()));
  }

  /** No failpoint: nothing is ever held. */
  public static Failpoints off() {
    return new Failpoints(FailpointPlan.of(Optional.empty(), null, Clock.systemUTC()));
  }

  /**
   * The execution of {@code proposal}, created at {@code creationTimestamp}, reached {@code point}:
   * holds it there if the plan says so.
   */
  public void reach(Point point, ProposalRef proposal, String creationTimestamp) {
    if (!plan.armed() || !plan.holds(point, proposal.uid(), creationTimestamp)) {
      return;
    }
    LOG.warnf(
        "failpoint %s holds %s/%s uid %s for up to %s",
        point.value(), proposal.namespace(), proposal.name(), proposal.uid(), plan.hold());
    try {
      Thread.sleep(plan.hold().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
