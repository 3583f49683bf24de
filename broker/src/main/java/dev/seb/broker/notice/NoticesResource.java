package dev.seb.broker.notice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.broker.access.Caller;
import dev.seb.broker.access.Callers;
import dev.seb.broker.access.Refusal;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.notice.Notice;
import dev.seb.contracts.notice.ServiceAccountCaller;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/notices}: the admission webhook tells the broker about a break-glass write or an
 * unprotect before it allows it, and the broker signs it into its chain as a record of that kind,
 * stored in the broker's namespace as {@code <kind>-<admission uid>}. Only the webhook's
 * ServiceAccount may call it (TokenReview). The answer comes after the record is stored: 201 when
 * stored now, 200 when this admission's record was stored before (the API server may review one
 * admission twice), and otherwise an error, on which the webhook denies the write.
 */
@Path("/v1/notices")
public class NoticesResource {

  private static final Logger LOG = Logger.getLogger(NoticesResource.class);

  /**
   * The only identity that may send notices unless {@code seb.broker.notice-caller} names another:
   * the admission webhook's ServiceAccount.
   */
  public static final String WEBHOOK = "system:serviceaccount:seb-system:seb-admission-webhook";

  private final RecordLog records;
  private final BrokerConfig config;
  private final Callers callers;
  private final ServiceAccountCaller webhook;

  public NoticesResource(
      RecordLog records,
      BrokerConfig config,
      Callers callers,
      @ConfigProperty(name = "seb.broker.notice-caller", defaultValue = WEBHOOK) String caller) {
    this.records = records;
    this.config = config;
    this.callers = callers;
    this.webhook = new ServiceAccountCaller(caller);
  }

  /** Records one notice; see the class description. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response record(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
    Caller caller = callers.authenticate(authorization);
    String refusal = webhook.refusal(caller.username(), caller.groups());
    if (refusal != null) {
      LOG.warnf("notice refused: %s", refusal);
      throw Refusal.forbidden(refusal);
    }
    Notice notice;
    try {
      JsonNode json = CanonicalJson.mapper().readTree(body);
      notice = Notice.parse(json);
    } catch (IOException | IllegalArgumentException e) {
      throw Refusal.of(Response.Status.BAD_REQUEST, "not a notice: " + e.getMessage());
    }
    String namespace = config.namespace();
    String name = notice.recordName();
    try {
      boolean stored =
          !records.exists(namespace, name) && records.appendOnce(notice.draft(), namespace, name);
      LOG.infof(
          "%s record %s/%s %s: %s",
          notice.kind(),
          namespace,
          name,
          stored ? "stored" : "was stored before",
          notice.admission().summary());
      return Response.status(stored ? Response.Status.CREATED : Response.Status.OK)
          .entity(
              CanonicalJson.mapper()
                  .createObjectNode()
                  .put("record", namespace + "/" + name)
                  .put("stored", stored)
                  .toString())
          .build();
    } catch (VerificationException | RuntimeException e) {
      LOG.errorf(e, "could not record %s", notice.admission().summary());
      throw Refusal.of(
          Response.Status.SERVICE_UNAVAILABLE,
          "the broker could not store the record: "
              + (e instanceof KubernetesClientException k
                  ? k.getStatus() == null ? k.getMessage() : k.getStatus().getMessage()
                  : e.getMessage()));
    }
  }
}
