package dev.seb.broker.record;

import dev.seb.broker.access.Caller;
import dev.seb.broker.access.Callers;
import dev.seb.broker.access.Refusal;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The broker key for verifiers (public), and this instance's record chain for export (only to
 * callers the cluster's RBAC lets list {@code executionrecords}: in the namespace asked for with
 * {@code ?namespace=}, or in every namespace for the whole chain).
 */
@Path("/")
public class RecordsResource {

  private final RecordLog records;
  private final KubernetesClient client;
  private final BrokerConfig config;
  private final Callers callers;

  public RecordsResource(
      RecordLog records, KubernetesClient client, BrokerConfig config, Callers callers) {
    this.records = records;
    this.client = client;
    this.config = config;
    this.callers = callers;
  }

  /** The public signing key(s), by kid. */
  @GET
  @Path(".well-known/jwks.json")
  @Produces("application/jwk-set+json")
  public String jwks() throws VerificationException {
    return records.publicKeys().toString(true);
  }

  /**
   * The chain after a sequence number, one compact JWS per line, in order: the whole chain (every
   * namespace) for a caller who may list ExecutionRecords cluster-wide, or with {@code ?namespace=}
   * the chain's records stored in that namespace, for a caller who may list them there. 401 without
   * a bearer token the API server accepts, 403 without that right.
   */
  @GET
  @Path("v1/records")
  @Produces("application/jsonl")
  public String export(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("namespace") String namespace,
      @QueryParam("after") Long after) {
    Caller caller = callers.authenticate(authorization);
    String scope = namespace == null || namespace.isBlank() ? null : namespace;
    if (!callers.mayListRecords(caller, scope)) {
      throw Refusal.forbidden(
          caller.username()
              + " may not list executionrecords.seb.dev "
              + (scope == null
                  ? "in all namespaces (the whole chain); ask for one namespace with ?namespace="
                  : "in namespace " + scope));
    }
    long from = after == null ? -1 : after;
    var all = client.resources(ExecutionRecord.class);
    return (scope == null ? all.inAnyNamespace() : all.inNamespace(scope))
        .withLabel(SebKeys.CHAIN, config.instance()).list().getItems().stream()
            .filter(r -> r.getSpec().sequence() > from)
            .sorted(Comparator.comparing(r -> r.getSpec().sequence()))
            .map(r -> r.getSpec().jws() + "\n")
            .collect(Collectors.joining());
  }
}
