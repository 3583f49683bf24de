package dev.seb.broker.record;

import dev.seb.broker.runtime.BrokerConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * One writer per record chain: a Lease {@code seb-chain-<instance>} in the broker's namespace, held
 * by one process at a time. A second process started under the same instance name (a Deployment
 * scaled up, a force-deleted pod still running) waits as a standby instead of signing records with
 * the same sequence numbers into a fork of the chain. The holder renews every 2 s and gives the
 * chain up after 10 s without renewal, before the 15 s lease lets another process take it.
 */
@ApplicationScoped
public class ChainLease {

  private static final Logger LOG = Logger.getLogger(ChainLease.class);

  static final Duration LEASE = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration RETRY = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final BrokerConfig config;
  private final String identity = UUID.randomUUID().toString();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "seb-chain-lease");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean held;
  private volatile CompletableFuture<?> running;

  public ChainLease(KubernetesClient client, BrokerConfig config) {
    this.client = client;
    this.config = config;
  }

  /** The Lease's name for a chain. */
  public static String name(String instance) {
    return dev.seb.contracts.SebKeys.CHAIN_LEASE_PREFIX + instance;
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  private volatile boolean stopping;

  /**
   * Starts competing for the chain's Lease; idempotent. A lease lost (renewal failed) is competed
   * for again at once: the elector ends when it stops leading.
   */
  public synchronized ChainLease start() {
    stopping = false;
    if (running == null) {
      String lease = name(config.instance());
      running =
          new LeaderElector(
                  client,
                  new LeaderElectionConfigBuilder()
                      .withName(lease)
                      .withLock(new LeaseLock(config.namespace(), lease, identity))
                      .withLeaseDuration(LEASE)
                      .withRenewDeadline(RENEW_DEADLINE)
                      .withRetryPeriod(RETRY)
                      .withReleaseOnCancel(true)
                      .withLeaderCallbacks(
                          new LeaderCallbacks(
                              () -> {
                                held = true;
                                LOG.infof("this process writes record chain %s", config.instance());
                              },
                              () -> {
                                held = false;
                                LOG.warnf(
                                    "this process no longer writes record chain %s",
                                    config.instance());
                              },
                              holder -> {
                                if (holder != null
                                    && !holder.isEmpty()
                                    && !identity.equals(holder)) {
                                  LOG.warnf(
                                      "record chain %s is written by another process (%s); this"
                                          + " one waits",
                                      config.instance(), holder);
                                }
                              }))
                      .build(),
                  executor)
              .start();
      CompletableFuture<?> current = running;
      current.whenComplete(
          (done, failed) -> {
            synchronized (this) {
              if (running == current) {
                running = null;
                held = false;
                if (!stopping) {
                  start();
                }
              }
            }
          });
    }
    return this;
  }

  /** Gives the chain up (the Lease is released for the next process). */
  public synchronized void stop() {
    stopping = true;
    if (running != null) {
      CompletableFuture<?> current = running;
      running = null;
      current.cancel(true);
    }
    held = false;
  }

  /** Whether this process may write the chain now. */
  public boolean held() {
    return held;
  }

  /** The chain's instance name. */
  String instance() {
    return config.instance();
  }
}
