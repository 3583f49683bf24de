package dev.seb.broker.access;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A refused request: its HTTP status and a message that says why and what to send instead. */
public final class Refusal extends WebApplicationException {

  private static final long serialVersionUID = 1L;

  private Refusal(Response response) {
    super(response);
  }

  /** 401: no credentials, or credentials the API server does not accept. */
  public static Refusal unauthenticated(String message) {
    return new Refusal(
        Response.status(Response.Status.UNAUTHORIZED)
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"seb-broker\"")
            .type(MediaType.TEXT_PLAIN)
            .entity(message + "\n")
            .build());
  }

  /** 403: authenticated, but not allowed. */
  public static Refusal forbidden(String message) {
    return of(Response.Status.FORBIDDEN, message);
  }

  /** Any other status. */
  public static Refusal of(Response.Status status, String message) {
    return new Refusal(
        Response.status(status).type(MediaType.TEXT_PLAIN).entity(message + "\n").build());
  }
}
