package dev.seb.broker.record;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.record.RecordChain;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * This broker instance's signed, hash-chained record log: the Ed25519 key from its Secret (made at
 * first start), the chain resumed from the last record it wrote, and every record stored as an
 * ExecutionRecord before the caller continues. Appends are serialised: one chain, one head.
 */
@ApplicationScoped
public class RecordLog {

  private static final String KEY_FIELD = "jwk";

  private final KubernetesClient client;
  private final BrokerConfig config;
  private final Clock clock;
  private final ChainLease lease;
  private RecordChain chain;

  public RecordLog(KubernetesClient client, BrokerConfig config, Clock clock, ChainLease lease) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.lease = lease;
  }

  /** Whether this process may write the chain now (it holds the chain's Lease). */
  public boolean writable() {
    return lease.held();
  }

  private synchronized RecordChain chain() throws VerificationException {
    if (chain == null) {
      OctetKeyPair key = signingKey(false);
      List<ExecutionRecord> written =
          client
              .resources(ExecutionRecord.class)
              .inAnyNamespace()
              .withLabel(SebKeys.CHAIN, config.instance())
              .list()
              .getItems();
      chain =
          written.stream()
              .max(Comparator.comparing(r -> r.getSpec().sequence()))
              .map(last -> resume(key, last))
              .orElseGet(() -> RecordChain.start(config.instance(), key));
    }
    return chain;
  }

  private RecordChain resume(OctetKeyPair key, ExecutionRecord last) {
    try {
      return RecordChain.resumeAfter(config.instance(), key, last.getSpec().jws());
    } catch (VerificationException e) {
      throw new IllegalStateException(
          "the last record of chain "
              + config.instance()
              + " does not verify under this broker's key: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Signs the draft into the chain and stores it in the proposal's namespace under its chain name
   * ({@code <chain>-<seq>}); returns the stored resource's name. One chain, one head: signing and
   * storing are serialised, and the head moves on only past a stored record. A record that cannot
   * be stored fails its caller, which then does not go on; the next record is signed after the last
   * one actually stored, so the chain has no gap.
   */
  public String append(RecordDraft draft, String namespace) throws VerificationException {
    return store(draft, namespace, null);
  }

  /**
   * Like {@link #append}, for the decision about a proposal: stored under {@link
   * #decisionName(String)}, a name that can exist once. A proposal that already has a decision
   * (decided by another broker, or before its status was reset) is refused by the API server
   * itself, and this throws {@link AlreadyDecided} without storing anything or moving the head.
   */
  public String appendDecision(RecordDraft draft, String namespace)
      throws VerificationException, AlreadyDecided {
    String name = decisionName(draft.proposal().uid());
    try {
      return store(draft, namespace, name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new AlreadyDecided(namespace + "/" + name);
      }
      throw e;
    }
  }

  /**
   * Like {@link #append}, stored under a name that can exist once: true when stored now, false when
   * a record of that name exists already (nothing is stored and the head does not move).
   */
  public boolean appendOnce(RecordDraft draft, String namespace, String name)
      throws VerificationException {
    try {
      store(draft, namespace, name);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The name of the decision record about the proposal with this uid. Deciding a proposal again is
   * found by one GET of this name (a REPLAY), and storing a second decision fails.
   */
  public static String decisionName(String proposalUid) {
    return "decision-" + proposalUid;
  }

  /** Whether a record of this name is stored in the namespace. */
  public boolean exists(String namespace, String name) {
    return client.resources(ExecutionRecord.class).inNamespace(namespace).withName(name).get()
        != null;
  }

  /** The proposal already has a decision record: it is not decided a second time. */
  public static final class AlreadyDecided extends Exception {
    AlreadyDecided(String record) {
      super("the proposal was already decided: record " + record + " exists");
    }
  }

  private synchronized String store(RecordDraft draft, String namespace, String name)
      throws VerificationException {
    if (!lease.held()) {
      chain = null; // whoever holds it may have moved the head
      throw new IllegalStateException(
          "this process does not hold record chain "
              + config.instance()
              + " (Lease "
              + ChainLease.name(config.instance())
              + "): another process with the same instance name writes it");
    }
    dev.seb.contracts.record.SignedRecord record = chain().append(draft, clock);
    ExecutionRecord resource = new ExecutionRecord();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(name == null ? record.resourceName() : name)
            .withNamespace(namespace)
            .withLabels(labels(draft))
            .build());
    resource.setSpec(record.toSpec());
    try {
      return client.resource(resource).create().getMetadata().getName();
    } catch (RuntimeException e) {
      if (e instanceof KubernetesClientException refused
          && refused.getCode() == 409
          && storedAlready(resource)) {
        // the client sent the create again after one that was stored but whose answer was lost:
        // the stored record is this very one (same signature), not another decision
        return resource.getMetadata().getName();
      }
      chain = null; // resume from what is stored, as after a restart
      throw e;
    }
  }

  /** Whether the record stored under this name is exactly this one, signature and all. */
  private boolean storedAlready(ExecutionRecord resource) {
    try {
      ExecutionRecord stored = client.resource(resource).get();
      return stored != null
          && stored.getSpec() != null
          && resource.getSpec().jws().equals(stored.getSpec().jws());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Map<String, String> labels(RecordDraft draft) {
    return draft.proposal() == null || draft.proposal().uid() == null
        ? Map.of(SebKeys.CHAIN, config.instance())
        : Map.of(SebKeys.CHAIN, config.instance(), SebKeys.PROPOSAL_UID, draft.proposal().uid());
  }

  /** The public signing key as a JWK set, for {@code /.well-known/jwks.json}. */
  public JWKSet publicKeys() throws VerificationException {
    return new JWKSet(chain().publicKey());
  }

  /**
   * The signing key from its Secret, generated and stored at first start. A Secret without the key
   * field is refused rather than overwritten.
   */
  private OctetKeyPair signingKey(boolean retried) {
    Secret secret =
        client.secrets().inNamespace(config.namespace()).withName(config.signingKeySecret()).get();
    try {
      if (secret != null && secret.getData() != null && secret.getData().containsKey(KEY_FIELD)) {
        return OctetKeyPair.parse(
            new String(
                Base64.getDecoder().decode(secret.getData().get(KEY_FIELD)),
                StandardCharsets.UTF_8));
      }
      if (secret != null) {
        throw new IllegalStateException(
            "signing key Secret " + config.signingKeySecret() + " has no " + KEY_FIELD + " field");
      }
      OctetKeyPair generated = new OctetKeyPairGenerator(Curve.Ed25519).generate();
      OctetKeyPair key =
          new OctetKeyPair.Builder(generated).keyID(RecordChain.thumbprint(generated)).build();
      client
          .secrets()
          .inNamespace(config.namespace())
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(config.signingKeySecret())
                  .withNamespace(config.namespace())
                  .endMetadata()
                  .addToData(
                      KEY_FIELD,
                      Base64.getEncoder()
                          .encodeToString(key.toJSONString().getBytes(StandardCharsets.UTF_8)))
                  .build())
          .create();
      return key;
    } catch (ParseException | com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(
          "signing key Secret " + config.signingKeySecret() + " is unreadable: " + e.getMessage(),
          e);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && !retried) {
        // another replica created it first: use that one, so all replicas sign with one key
        return signingKey(true);
      }
      throw new IllegalStateException(
          "cannot read or create the signing key Secret "
              + config.signingKeySecret()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
