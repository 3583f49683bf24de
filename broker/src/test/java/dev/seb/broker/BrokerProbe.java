package dev.seb.broker;

import dev.seb.broker.execution.ExecutionProbe;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The test suite's {@link ExecutionProbe}: a registry of what a test wants to happen at a point of
 * the execution of ONE proposal. A test registers a hook for the proposal's namespace and name
 * before it creates the proposal; the first time the point is reached for that name the hook is
 * bound to the proposal's uid, and from then on it acts only on that uid (a proposal re-created
 * under the same name is another proposal). No hook acts on a proposal it was not registered for.
 */
@Singleton
public class BrokerProbe implements ExecutionProbe {

  /** What a test does at a point of one proposal's execution. */
  @FunctionalInterface
  public interface Hook {
    void at(ProposalRef proposal, AdmittedExecution admitted) throws Exception;
  }

  /** One identity revoked after an execution, and its now-dead token. */
  public record Revoked(ProposalRef proposal, String username, String token) {}

  private enum Point {
    BEFORE_DECISION_RECORD,
    BEFORE_WRITE
  }

  /** A hook registered for one proposal (namespace and name, then its uid once seen). */
  public final class Registration implements AutoCloseable {
    private final Point point;
    private final String namespace;
    private final String name;
    private final Hook hook;
    private final AtomicReference<String> uid = new AtomicReference<>();

    private Registration(Point point, String namespace, String name, Hook hook) {
      this.point = point;
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      this.name = Objects.requireNonNull(name, "name");
      this.hook = Objects.requireNonNull(hook, "hook");
    }

    /** Whether the hook is meant for this proposal; binds it to the uid the first time. */
    private boolean matches(Point reached, ProposalRef ref) {
      if (reached != point || !namespace.equals(ref.namespace()) || !name.equals(ref.name())) {
        return false;
      }
      uid.compareAndSet(null, ref.uid());
      return ref.uid().equals(uid.get());
    }

    /** The uid of the proposal the hook acted on; null until it did. */
    public String uid() {
      return uid.get();
    }

    /** Removes the hook: it acts on nothing any more. */
    @Override
    public void close() {
      registrations.remove(this);
    }
  }

  private final List<Registration> registrations = new CopyOnWriteArrayList<>();
  private final List<Revoked> revoked = new CopyOnWriteArrayList<>();

  /** Runs {@code hook} after the proposal was admitted, right before its decision is recorded. */
  public Registration beforeDecisionRecord(String namespace, String name, Hook hook) {
    return register(new Registration(Point.BEFORE_DECISION_RECORD, namespace, name, hook));
  }

  /** Runs {@code hook} once the proposal's identity is minted, right before the write. */
  public Registration beforeWrite(String namespace, String name, Hook hook) {
    return register(new Registration(Point.BEFORE_WRITE, namespace, name, hook));
  }

  /** The identities revoked after executions of the proposal {@code namespace/name}, in order. */
  public List<Revoked> revoked(String namespace, String name) {
    return revoked.stream()
        .filter(r -> r.proposal().namespace().equals(namespace))
        .filter(r -> r.proposal().name().equals(name))
        .toList();
  }

  private Registration register(Registration registration) {
    registrations.add(registration);
    return registration;
  }

  @Override
  public void beforeDecisionRecord(ProposalRef proposal, AdmittedExecution admitted) {
    reach(Point.BEFORE_DECISION_RECORD, proposal, admitted);
  }

  @Override
  public void beforeWrite(ProposalRef proposal, AdmittedExecution admitted) {
    reach(Point.BEFORE_WRITE, proposal, admitted);
  }

  @Override
  public void revoked(ProposalRef proposal, String username, String token) {
    revoked.add(new Revoked(proposal, username, token));
  }

  private void reach(Point point, ProposalRef proposal, AdmittedExecution admitted) {
    for (Registration registration : registrations) {
      if (registration.matches(point, proposal)) {
        try {
          registration.hook.at(proposal, admitted);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
