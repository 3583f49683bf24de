package dev.seb.broker.execution;

import dev.seb.broker.runtime.BoundedCache;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * A contract's target resolved through discovery: group, version and plural, as RBAC rules and the
 * generic client need them.
 */
public record TargetResource(String group, String version, String plural, KubernetesTarget target) {

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withPlural(plural)
        .withKind(target.kind())
        .withNamespaced(true)
        .build();
  }

  /**
   * The one verb, and the subresource if any, an operation of this type needs on the target: what
   * the minted Role grants and nothing else.
   */
  public record Access(String verb, String subresource) {

    public static Access of(dev.seb.contracts.v1alpha1.OperationType type) {
      return switch (type) {
        // the executor writes without reading first: a patch of the scale subresource
        case SCALE -> new Access("patch", "scale");
        case PATCH -> new Access("patch", null);
        case CREATE -> new Access("create", null);
        case DELETE -> new Access("delete", null);
        case AWS_CALL -> throw new IllegalArgumentException("aws-call has no Kubernetes access");
      };
    }

    /** The resource as RBAC rules name it: {@code plural} or {@code plural/subresource}. */
    public String resource(String plural) {
      return subresource == null ? plural : plural + "/" + subresource;
    }
  }

  public static TargetResource resolve(
      io.fabric8.kubernetes.client.KubernetesClient client, KubernetesTarget target) {
    String apiVersion = target.apiVersion();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    String key = apiVersion + "/" + target.kind();
    String plural = PLURALS.get(key);
    if (plural == null) {
      plural = discover(client, apiVersion, target);
      PLURALS.put(key, plural);
    }
    return new TargetResource(group, version, plural, target);
  }

  /**
   * Discovered plurals by apiVersion/kind: discovery is read once per kind, not per execution. At
   * most {@value #KINDS} kinds are kept; a kind beyond that is discovered again when used.
   */
  private static final int KINDS = 256;

  private static final BoundedCache<String, String> PLURALS = new BoundedCache<>(KINDS);

  private static String discover(
      io.fabric8.kubernetes.client.KubernetesClient client,
      String apiVersion,
      KubernetesTarget target) {
    return client.getApiResources(apiVersion).getResources().stream()
        .filter(r -> target.kind().equals(r.getKind()) && !r.getName().contains("/"))
        .map(r -> r.getName())
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the API server serves no " + target.kind() + " in " + apiVersion));
  }
}
