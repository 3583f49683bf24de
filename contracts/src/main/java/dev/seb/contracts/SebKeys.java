package dev.seb.contracts;

/**
 * Every {@code seb.dev/*} label and annotation key seb reads or writes, in one place: what each one
 * means, who sets it and who may rely on it.
 */
public final class SebKeys {

  private SebKeys() {}

  /**
   * Namespace label: {@code true} puts the namespace under seb's admission boundary. Removed only
   * by the protection-admin groups (a signed {@code unprotect} record is written first).
   */
  public static final String PROTECTED = "seb.dev/protected";

  /**
   * MutationProposal annotation: the user who created it, stamped by seb's mutating webhook and
   * checked by the validating layers; the broker denies a proposal without it.
   */
  public static final String SUBMITTED_BY = "seb.dev/submitted-by";

  /** Mandate annotation: the revocation or expiry event that ended it, kept once set. */
  public static final String TERMINAL_EVENT = "seb.dev/terminal-event";

  /** Audit annotation on a request allowed through break-glass: the user and what they did. */
  public static final String BREAK_GLASS = "seb.dev/break-glass";

  /** Audit annotation on a request that removes a namespace's protection: user and verb. */
  public static final String UNPROTECT = "seb.dev/unprotect";

  /** ExecutionRecord label: the chain (broker instance) that signed the record. */
  public static final String CHAIN = "seb.dev/chain";

  /**
   * Label on records and execution identities: the uid of the proposal they are about (a uid always
   * fits a label value; namespace and name together need not).
   */
  public static final String PROPOSAL_UID = "seb.dev/proposal-uid";

  /** Label on everything minted for one execution, for garbage collection after a crash. */
  public static final String EXECUTION_IDENTITY = "seb.dev/execution-identity";

  /**
   * The Secret holding the brokers' signing key when the broker creates it; the only Secret the
   * broker's own identity may create (admission confines it, ADR 0010).
   */
  public static final String SIGNING_KEY_SECRET = "seb-broker-signing-key";

  /** The ConfigMap of the broker's epoch high-water marks; the only one the broker may write. */
  public static final String EPOCH_MARKS = "seb-epoch-marks";

  /** The prefix of a record chain's Lease; the only Leases the broker may write. */
  public static final String CHAIN_LEASE_PREFIX = "seb-chain-";
}
