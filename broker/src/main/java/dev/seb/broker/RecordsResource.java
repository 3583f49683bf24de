package dev.seb.broker;

import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.util.Comparator;
import java.util.stream.Collectors;

/** The broker key for verifiers, and this instance's record chain for export. */
@Path("/")
public class RecordsResource {

  private final RecordLog records;
  private final KubernetesClient client;
  private final BrokerConfig config;

  RecordsResource(RecordLog records, KubernetesClient client, BrokerConfig config) {
    this.records = records;
    this.client = client;
    this.config = config;
  }

  /** The public signing key(s), by kid. */
  @GET
  @Path(".well-known/jwks.json")
  @Produces("application/jwk-set+json")
  public String jwks() throws VerificationException {
    return records.publicKeys().toString(true);
  }

  /** The chain after a sequence number, one compact JWS per line, in order. */
  @GET
  @Path("v1/records")
  @Produces("application/jsonl")
  public String export(@QueryParam("after") Long after) {
    long from = after == null ? -1 : after;
    return client
        .resources(ExecutionRecord.class)
        .inAnyNamespace()
        .withLabel(RecordLog.CHAIN_LABEL, config.instance())
        .list()
        .getItems()
        .stream()
        .filter(r -> r.getSpec().sequence() > from)
        .sorted(Comparator.comparing(r -> r.getSpec().sequence()))
        .map(r -> r.getSpec().jws() + "\n")
        .collect(Collectors.joining());
  }
}
