package dev.seb.broker.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code seb.broker.*}. */
@ConfigMapping(prefix = "seb.broker")
public interface BrokerConfig {

  /** The broker's namespace: execution identities and the signing-key Secret live here. */
  @WithDefault("seb-system")
  String namespace();

  /** This instance's record chain id (one chain per broker instance), DNS-1123. */
  @WithDefault("broker-0")
  String instance();

  /** The Secret holding the Ed25519 signing key; created at first start if absent. */
  @WithDefault(dev.seb.contracts.SebKeys.SIGNING_KEY_SECRET)
  String signingKeySecret();

  /**
   * How long a broker's claim on a proposal holds. Longer than any execution takes; after it,
   * another replica recovers the proposal, and execution identities older than it are leftovers.
   */
  @WithDefault("PT2M")
  java.time.Duration claimDuration();

  /** The broker id certificates may name in {@code aud}. */
  @WithDefault("seb-broker")
  String brokerId();

  /**
   * Tolerated clock skew between the SAB, the broker and the API server: certificate {@code nbf}
   * and statement {@code iat} are accepted this much early; certificate and statement {@code exp}
   * and mandate {@code lifecycle.notAfter} count as reached this much early
   * (docs/decisions/0013-clock-leeway.md).
   */
  @WithDefault("PT30S")
  java.time.Duration clockLeeway();

  /**
   * The step of an admitted proposal's execution at which this broker holds it, so that a test can
   * kill the broker exactly there: one of claimed, decided, minted, written, revoked; unset (the
   * default) holds nothing. Any other value stops the broker's start. Only proposals created after
   * the broker started are held, each at most once (docs/decisions/0024-failpoints.md).
   */
  java.util.Optional<String> failpoint();

  /** How long a failpoint holds a proposal at most before the execution goes on. */
  @WithDefault("PT10M")
  java.time.Duration failpointHold();
}
