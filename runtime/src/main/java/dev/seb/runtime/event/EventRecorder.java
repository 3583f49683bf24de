package dev.seb.runtime.event;

import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.event.Reporter;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The one Kubernetes Event recorder of seb's operator, broker and webhook. An Event is best effort:
 * losing one never changes a decision, so {@link #record} never throws and never blocks its caller
 * (the webhook decides on the event loop). Events are written on one background thread from a
 * bounded queue; when the queue is full the Event is dropped and counted ({@link #dropped()}), and
 * a failure to write one is logged. Nothing is cached or aggregated: the components record
 * transitions, not every reconcile.
 *
 * <p>Events are core {@code v1} Events in the new style: {@code eventTime}, {@code
 * reportingComponent} ({@link Reporter#controller()}, e.g. {@code seb.dev/operator}), {@code
 * reportingInstance} (the pod), {@code action} and {@code reason} from {@link EventReason}; {@code
 * kubectl describe} of the object shows them.
 */
public final class EventRecorder implements AutoCloseable {

  /** The most Events waiting to be written; more are dropped. */
  public static final int QUEUE_CAPACITY = 512;

  /** The API server's limit of an Event's note (message), in bytes; longer notes are cut. */
  static final int NOTE_LIMIT = 1024;

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Reporter reporter;
  private final String instance;
  private final Executor executor;
  private final ThreadPoolExecutor owned;
  private final AtomicLong dropped = new AtomicLong();

  /**
   * A recorder writing on its own background thread from a bounded queue.
   *
   * @param instance the {@code reportingInstance}, usually {@link #podName()}
   */
  public EventRecorder(KubernetesClient client, Clock clock, Reporter reporter, String instance) {
    this(client, clock, reporter, instance, null);
  }

  /** A recorder writing on the given executor (tests: {@code Runnable::run}, synchronous). */
  public static EventRecorder on(
      Executor executor, KubernetesClient client, Clock clock, Reporter reporter, String instance) {
    return new EventRecorder(
        client, clock, reporter, instance, Objects.requireNonNull(executor, "executor"));
  }

  private EventRecorder(
      KubernetesClient client, Clock clock, Reporter reporter, String instance, Executor executor) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.instance = truncate(Objects.requireNonNull(instance, "instance"), 128);
    if (executor == null) {
      owned =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(QUEUE_CAPACITY),
              r -> {
                Thread t = new Thread(r, "seb-events");
                t.setDaemon(true);
                return t;
              },
              (r, pool) -> {
                throw new RejectedExecutionException("the Event queue is full");
              });
      this.executor = owned;
    } else {
      owned = null;
      this.executor = executor;
    }
  }

  /** The pod's name ({@code HOSTNAME} in a pod), else the host's; never null. */
  public static String podName() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Records an Event about a Kubernetes object, in its namespace. Never throws. */
  public void record(HasMetadata about, EventReason reason, String note) {
    ObjectReference regarding;
    try {
      regarding =
          new ObjectReferenceBuilder()
              .withApiVersion(about.getApiVersion())
              .withKind(about.getKind())
              .withName(about.getMetadata().getName())
              .withNamespace(about.getMetadata().getNamespace())
              .withUid(about.getMetadata().getUid())
              .withResourceVersion(about.getMetadata().getResourceVersion())
              .build();
    } catch (RuntimeException e) {
      LOG.warnf("cannot record event %s: the object is unreadable: %s", reason, e.toString());
      return;
    }
    record(regarding, reason, note);
  }

  /**
   * Records an Event about the referenced object: in its namespace, or in {@code default} when it
   * is cluster-scoped (a Namespace, say), where the API server requires such Events. Never throws.
   */
  public void record(ObjectReference regarding, EventReason reason, String note) {
    Event event;
    try {
      event = build(regarding, reason, note, clock.instant());
    } catch (RuntimeException e) {
      LOG.warnf("cannot record event %s: %s", reason, e.toString());
      return;
    }
    try {
      executor.execute(() -> write(event));
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      LOG.warnf(
          "event %s on %s/%s dropped (%d so far): %s",
          reason.reason(), regarding.getKind(), regarding.getName(), n, e.getMessage());
    }
  }

  /** How many Events were dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Stops the background thread after the Events already queued, waiting a few seconds. */
  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
      try {
        owned.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  Event build(ObjectReference regarding, EventReason reason, String note, Instant now) {
    Objects.requireNonNull(reason, "reason");
    String namespace = regarding.getNamespace();
    if (namespace == null || namespace.isEmpty()) {
      namespace = "default";
    }
    String name = regarding.getName() == null ? "seb" : regarding.getName();
    String stamp = DateTimeFormatter.ISO_INSTANT.format(now);
    return new EventBuilder()
        .withNewMetadata()
        .withName(
            truncate(name, 200)
                + "."
                + Long.toHexString(now.toEpochMilli())
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()))
        .withNamespace(namespace)
        .endMetadata()
        .withInvolvedObject(regarding)
        .withType(reason.type().value())
        .withReason(reason.reason())
        .withAction(reason.action())
        .withMessage(note(note))
        .withEventTime(new MicroTime(micro(now)))
        .withFirstTimestamp(stamp)
        .withLastTimestamp(stamp)
        .withCount(1)
        .withReportingComponent(reporter.controller())
        .withReportingInstance(instance)
        .withNewSource()
        .withComponent(reporter.controller())
        .endSource()
        .build();
  }

  private void write(Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not record event %s on %s %s/%s: %s",
          event.getReason(),
          event.getInvolvedObject().getKind(),
          event.getInvolvedObject().getNamespace(),
          event.getInvolvedObject().getName(),
          e.getMessage());
    }
  }

  /** The note, cut to the API server's limit (counted in UTF-8 bytes). */
  static String note(String note) {
    if (note == null) {
      return "";
    }
    byte[] bytes = note.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= NOTE_LIMIT) {
      return note;
    }
    String cut = note;
    while (cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NOTE_LIMIT - 3) {
      cut = cut.substring(0, Math.max(0, cut.length() - Math.max(1, cut.length() / 20)));
    }
    return cut + "...";
  }

  private static String micro(Instant now) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
        .withZone(java.time.ZoneOffset.UTC)
        .format(now);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
