package dev.seb.contracts.record;

import java.util.Objects;

/**
 * The proposal a record is about: claim {@code proposal}.
 *
 * @param namespace namespace of the {@code MutationProposal}
 * @param name name of the {@code MutationProposal}
 * @param uid the object's uid, so a re-created proposal of the same name is a different one
 * @param proposalDigest the proposal digest ({@code Digests.proposal}); null only when the spec
 *     could not be read at all, so that even a malformed proposal gets its denial record
 */
public record ProposalRef(String namespace, String name, String uid, String proposalDigest) {

  /** Checks that namespace, name and uid are present and the digest, if any, is well-formed. */
  public ProposalRef {
    Objects.requireNonNull(namespace, "proposal.namespace");
    Objects.requireNonNull(name, "proposal.name");
    Objects.requireNonNull(uid, "proposal.uid");
    Digest.optional(proposalDigest, "proposal.proposalDigest");
  }

  /** {@code namespace/name}, as {@code ExecutionRecord.spec.proposalRef} shows it. */
  public String ref() {
    return namespace + "/" + name;
  }
}
