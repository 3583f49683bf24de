package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A SAB's identity, root certificates and latest signed epoch statement. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustAnchorSpec(
    @Required
        @JsonPropertyDescription(
            "The SAB's identifier; certificates and epoch statements must carry it as 'iss'.")
        String sabId,
    @Required
        @JsonPropertyDescription(
            "PEM bundle of the SAB's root CA certificates. Certificate chains (x5c) must end at one"
                + " of them.")
        String rootCertificates,
    @JsonPropertyDescription(
            "The SAB's latest epoch statement: a compact JWS with claims iss, iat, exp,"
                + " minPolicyEpoch, revocationEpoch and revokedSerials. Epochs never go backwards.")
        String epochStatement) {}
