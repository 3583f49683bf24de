package dev.seb.contracts.admission;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An admin-owned exemption in protected namespaces: one named workload ServiceAccount may write the
 * listed resource types in its own namespace (real workloads elect leaders in {@code leases}, emit
 * {@code events} and write their own custom resources' status). Nothing else is exempt for it, and
 * the exemption never reaches another namespace.
 *
 * @param namespace the ServiceAccount's namespace, which is also the only namespace it applies in
 * @param serviceAccount the ServiceAccount's name
 * @param resources {@code group/resource} or {@code group/resource/subresource}, the core group
 *     written as empty ({@code /events}, {@code coordination.k8s.io/leases}, {@code
 *     example.com/widgets/status}); no wildcards
 */
public record WorkloadExemption(String namespace, String serviceAccount, Set<String> resources) {

  public WorkloadExemption {
    requireName(namespace, "namespace");
    requireName(serviceAccount, "serviceAccount");
    Objects.requireNonNull(resources, "resources");
    if (resources.isEmpty()) {
      throw new IllegalArgumentException(
          "workload exemption " + namespace + "/" + serviceAccount + ": resources is empty");
    }
    for (String resource : resources) {
      String[] parts = resource == null ? new String[0] : resource.split("/", -1);
      boolean valid =
          (parts.length == 2 || parts.length == 3)
              && Arrays.stream(parts).skip(1).allMatch(WorkloadExemption::isName)
              && (parts[0].isEmpty() || parts[0].matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"));
      if (!valid) {
        throw new IllegalArgumentException(
            "workload exemption "
                + namespace
                + "/"
                + serviceAccount
                + ": resources entry '"
                + resource
                + "' is not group/resource or group/resource/subresource (core group empty,"
                + " no wildcards)");
      }
    }
    resources = Set.copyOf(new TreeSet<>(resources));
  }

  /**
   * Parses {@code namespace/serviceaccount=group/resource[,group/resource/subresource...]}, the
   * form the webhook's configuration and the chart's values use.
   */
  public static WorkloadExemption parse(String entry) {
    int equals = entry == null ? -1 : entry.indexOf('=');
    int slash = entry == null ? -1 : entry.indexOf('/');
    if (equals < 0 || slash < 0 || slash > equals) {
      throw new IllegalArgumentException(
          "workload exemption '"
              + entry
              + "' is not namespace/serviceaccount=group/resource[,group/resource...]");
    }
    return new WorkloadExemption(
        entry.substring(0, slash),
        entry.substring(slash + 1, equals),
        new TreeSet<>(Arrays.asList(entry.substring(equals + 1).split(","))));
  }

  /** The user name of the exempt ServiceAccount. */
  public String user() {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount;
  }

  /** Whether this exemption allows the request. */
  public boolean allows(AdmissionRequest request) {
    String subresource = request.subresource() == null ? "" : request.subresource();
    String type = request.groupResource() + (subresource.isEmpty() ? "" : "/" + subresource);
    return request.isServiceAccountToken()
        && user().equals(request.username())
        && namespace.equals(request.namespace())
        && resources.contains(type);
  }

  private static boolean isName(String part) {
    return part.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }

  private static void requireName(String value, String field) {
    if (value == null || !isName(value)) {
      throw new IllegalArgumentException(
          "workload exemption: " + field + " '" + value + "' is not a Kubernetes name");
    }
  }
}
