package dev.seb.broker.decision;

import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.epoch.HighWaterMark;
import dev.seb.contracts.epoch.VerifiedEpochStatement;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The broker's own durable epoch high-water marks, one per SAB, in the ConfigMap {@value #NAME} of
 * the broker's namespace (docs/decisions/0012-epoch-high-water-mark.md). Only the broker's account
 * may write it (chart RBAC); every replica reads it before each decision, and a mark only ever
 * rises: it is written with the resourceVersion it was read at, and a conflict is read again and
 * compared again. The operator's TrustAnchor status is never consulted.
 */
@ApplicationScoped
public class EpochMarks {

  private static final Logger LOG = Logger.getLogger(EpochMarks.class);

  /** The ConfigMap holding the marks. */
  public static final String NAME = dev.seb.contracts.SebKeys.EPOCH_MARKS;

  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final BrokerConfig config;

  public EpochMarks(KubernetesClient client, BrokerConfig config) {
    this.client = client;
    this.config = config;
  }

  /** The marks as read at one resourceVersion (null when the ConfigMap does not exist yet). */
  public record Snapshot(String resourceVersion, Map<String, String> data) {

    /** The mark for a SAB; none when it never accepted a statement. */
    public HighWaterMark mark(String sabId) throws VerificationException {
      String stored = data.get(key(sabId));
      return stored == null ? HighWaterMark.none() : HighWaterMark.fromJson(sabId, stored);
    }
  }

  /** The key a SAB's mark is stored under: sabIds need not be valid ConfigMap keys. */
  public static String key(String sabId) {
    return "sab-" + CanonicalJson.sha256(sabId).substring("sha256:".length());
  }

  /** Reads every mark. Any failure is thrown: the caller fails closed. */
  public Snapshot read() {
    ConfigMap map = client.configMaps().inNamespace(config.namespace()).withName(NAME).get();
    if (map == null) {
      return new Snapshot(null, Map.of());
    }
    return new Snapshot(
        map.getMetadata().getResourceVersion(),
        map.getData() == null ? Map.of() : Map.copyOf(map.getData()));
  }

  /**
   * The mark a verified statement is to be compared with, after raising the stored mark to it when
   * it is higher. A statement below the mark leaves the mark as it is (the pipeline denies it
   * {@code EPOCH_ROLLBACK}).
   *
   * @param seen the marks read alongside this decision's other inputs
   * @throws VerificationException ({@code INTERNAL_ERROR}) when the mark cannot be read or kept
   */
  public HighWaterMark observe(Snapshot seen, VerifiedEpochStatement statement)
      throws VerificationException {
    Snapshot snapshot = seen;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      HighWaterMark mark = snapshot.mark(statement.issuer());
      HighWaterMark raised;
      try {
        raised = mark.advance(statement);
      } catch (VerificationException rollback) {
        return mark;
      }
      if (raised.equals(mark)) {
        return mark;
      }
      try {
        write(snapshot, statement.issuer(), raised);
        LOG.infof(
            "epoch high-water mark of SAB %s raised to policy %d, revocation %d, iat %s",
            statement.issuer(), raised.policyEpoch(), raised.revocationEpoch(), raised.issuedAt());
        return mark;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw unavailable(statement.issuer(), e);
        }
        // another replica wrote meanwhile: compare with what it wrote
        try {
          snapshot = read();
        } catch (KubernetesClientException again) {
          throw unavailable(statement.issuer(), again);
        }
      }
    }
    throw new VerificationException(
        ReasonCode.INTERNAL_ERROR,
        "the epoch high-water mark of SAB '"
            + statement.issuer()
            + "' kept changing under this broker ("
            + ATTEMPTS
            + " conflicting writes); nothing is decided with it");
  }

  private void write(Snapshot snapshot, String sabId, HighWaterMark raised) {
    Map<String, String> data = new HashMap<>(snapshot.data());
    data.put(key(sabId), raised.toJson(sabId));
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(config.namespace())
            .withResourceVersion(snapshot.resourceVersion())
            .addToLabels("app.kubernetes.io/part-of", "seb")
            .addToLabels("app.kubernetes.io/component", "broker")
            .endMetadata()
            .withData(data)
            .build();
    var resource = client.configMaps().inNamespace(config.namespace()).resource(map);
    if (snapshot.resourceVersion() == null) {
      resource.create(); // 409 when another replica created it first
    } else {
      resource.update(); // 409 unless still at the resourceVersion read
    }
  }

  private static VerificationException unavailable(String sabId, Exception e) {
    return new VerificationException(
        ReasonCode.INTERNAL_ERROR,
        "the epoch high-water mark of SAB '"
            + sabId
            + "' cannot be kept in ConfigMap "
            + NAME
            + ": "
            + e.getMessage(),
        e);
  }
}
