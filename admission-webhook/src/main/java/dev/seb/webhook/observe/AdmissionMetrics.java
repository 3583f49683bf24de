package dev.seb.webhook.observe;

import dev.seb.contracts.admission.AdmissionVerdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The webhook's metrics, every tag from a closed set:
 *
 * <ul>
 *   <li>{@code seb.webhook.admissions{endpoint,verdict,reason,layer="webhook"}}: every answer;
 *       {@code endpoint} the registration ({@code protected}, {@code guard}, {@code seb}, {@code
 *       proposals}), {@code verdict} {@code allow}, {@code warn} or {@code deny}, {@code reason}
 *       one of {@link Reason};
 *   <li>{@code seb.webhook.admission.duration{endpoint,verdict}}: how long answering took, as a
 *       histogram (Prometheus buckets), including the wait for the broker's record.
 * </ul>
 */
@ApplicationScoped
public class AdmissionMetrics {

  /** Why the webhook answered as it did; a closed set so the series stay bounded. */
  public enum Reason {
    /** A rule allowed it. */
    ALLOWED("allowed"),
    /** A break-glass write, allowed once recorded. */
    BREAK_GLASS("break-glass"),
    /** The end of a namespace's protection, allowed once recorded. */
    UNPROTECT("unprotect"),
    /** A rule denied it. */
    DENIED("denied"),
    /** Allowed by the rules, but denied because the broker did not record it. */
    NOT_RECORDED("not-recorded"),
    /** The webhook could not decide (unreadable review, error): denied. */
    FAILED_CLOSED("failed-closed");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }

    /** The tag value. */
    public String tag() {
      return tag;
    }
  }

  /** The {@code layer} tag: this is the webhook, not the ValidatingAdmissionPolicy. */
  public static final String LAYER = "webhook";

  private final MeterRegistry registry;

  public AdmissionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one answer and its latency since {@code startNanos} ({@link System#nanoTime()}). */
  public void answered(String endpoint, AdmissionVerdict verdict, Reason reason, long startNanos) {
    String v = verdictTag(verdict);
    Counter.builder("seb.webhook.admissions")
        .description("Admission answers by endpoint, verdict, reason and layer")
        .tag("endpoint", endpoint)
        .tag("verdict", v)
        .tag("reason", reason.tag())
        .tag("layer", LAYER)
        .register(registry)
        .increment();
    Timer.builder("seb.webhook.admission.duration")
        .description("Time to answer an AdmissionReview")
        .tag("endpoint", endpoint)
        .tag("verdict", v)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)
        .record(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  static String verdictTag(AdmissionVerdict verdict) {
    if (verdict instanceof AdmissionVerdict.Allow) {
      return "allow";
    }
    return verdict instanceof AdmissionVerdict.AllowWithWarning ? "warn" : "deny";
  }
}
