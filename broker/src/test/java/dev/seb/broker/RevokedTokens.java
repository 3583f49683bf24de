package dev.seb.broker;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects revoked execution identities in tests, to show their tokens are refused. */
@Singleton
public class RevokedTokens {

  /** One revoked identity and its now-dead token. */
  record Revoked(String username, String token) {}

  final List<Revoked> revoked = new CopyOnWriteArrayList<>();
}
