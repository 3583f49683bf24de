package dev.seb.contracts.status;

/**
 * The condition types and the reasons that are not reason codes, as seb's components set them. A
 * condition's reason is either a {@link dev.seb.contracts.ReasonCode} name (a verification failed:
 * the same code the broker would record) or one of the CamelCase words here or in {@code
 * MandateLifecycle} (a state). Conditions are a hint for people and tools ({@code kubectl wait},
 * {@code kubectl describe}); seb's decisions never rest on them.
 */
public final class SebConditions {

  /**
   * Every kind the seb operator reconciles (Mandate, ExecutionContract, TrustAnchor): True when the
   * object is usable as it stands, False with the reason otherwise.
   */
  public static final String READY = "Ready";

  /** Mandate: True exactly while {@code status.phase} is Active. */
  public static final String ACTIVE = "Active";

  /** ExecutionContract: True while its certificate verifies against a ready TrustAnchor. */
  public static final String CERTIFIED = "Certified";

  /** Reason of {@code Ready=False} when a reconcile failed with an error it did not expect. */
  public static final String RECONCILE_ERROR = "ReconcileError";

  private SebConditions() {}
}
