package dev.seb.contracts.execution;

/**
 * Performs one admitted mutation. The only input is the capability, so nothing can be executed that
 * the pipeline did not admit. Implementations (the broker) mint the scoped identity, write
 * conditioned on {@link AdmittedExecution#resourceVersion()}, and revoke the identity.
 *
 * @param <R> what an execution reports back
 */
@FunctionalInterface
public interface Executor<R> {

  /** Executes the admitted mutation; failures are reported as a VerificationException. */
  R execute(AdmittedExecution admitted) throws dev.seb.contracts.VerificationException;
}
