package dev.seb.broker.decision;

import dev.seb.broker.runtime.BoundedCache;
import dev.seb.broker.runtime.Parallel;
import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.certificate.IssuerHint;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the TrustAnchor of a certificate's claimed issuer. The anchor that verified a contract last
 * time is read by name alongside the contract (a GET is answered from etcd at once, while a
 * consistent LIST of all anchors waits for the API server's watch cache); the list is the fallback
 * when that anchor is gone or no longer the issuer's. Everything is verified against the anchor
 * found either way.
 */
@ApplicationScoped
public class AnchorLookup {

  private static final int REMEMBERED = 1024;

  private final KubernetesClient client;
  private final Stages stages;
  private final BoundedCache<String, String> lastAnchors = new BoundedCache<>(REMEMBERED);

  public AnchorLookup(KubernetesClient client, Stages stages) {
    this.client = client;
    this.stages = stages;
  }

  /** Starts reading the anchor used last for this contract; null when there is none. */
  public CompletableFuture<TrustAnchor> startExpected(String contractKey) {
    String expected = lastAnchors.get(contractKey);
    return expected == null
        ? null
        : Parallel.start(
            () ->
                stages
                    .read("anchor")
                    .record(() -> client.resources(TrustAnchor.class).withName(expected).get()));
  }

  /** The anchor of the certificate's claimed issuer; null when none is found. */
  public TrustAnchor anchorFor(
      String contractKey, String certificate, CompletableFuture<TrustAnchor> expectedRead) {
    Optional<String> issuer = IssuerHint.unverifiedIssuer(certificate);
    if (issuer.isEmpty()) {
      return null;
    }
    TrustAnchor expected;
    try {
      expected = expectedRead == null ? null : Parallel.result(expectedRead);
    } catch (RuntimeException e) {
      expected = null; // the read by name is only a shortcut: all anchors are listed instead
    }
    TrustAnchor found;
    if (expected != null
        && expected.getSpec() != null
        && issuer.get().equals(expected.getSpec().sabId())) {
      found = expected;
    } else {
      List<TrustAnchor> all =
          stages
              .read("anchors")
              .record(() -> client.resources(TrustAnchor.class).list().getItems());
      found = IssuerHint.anchorFor(certificate, all).orElse(null);
    }
    if (found != null) {
      lastAnchors.put(contractKey, found.getMetadata().getName());
    }
    return found;
  }
}
