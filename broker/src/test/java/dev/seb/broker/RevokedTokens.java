package dev.seb.broker;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects revoked execution identities in tests, to show their tokens are refused. */
@Singleton
public class RevokedTokens {

  final List<IdentityRevoked> revoked = new CopyOnWriteArrayList<>();

  void onRevoked(@Observes IdentityRevoked event) {
    revoked.add(event);
  }
}
