package dev.seb.broker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Span names name the resource, never the object: one name per kind of call. */
class ApiCallSpansTest {

  private static String resource(String path) {
    return ApiCallSpans.resource(URI.create("https://api.example:6443" + path));
  }

  @Test
  void namespacedObjects_andTheirSubresources() {
    assertThat(resource("/apis/apps/v1/namespaces/shop/deployments/web/scale"))
        .isEqualTo("deployments/scale");
    assertThat(resource("/apis/seb.dev/v1alpha1/namespaces/shop/mutationproposals/p/status"))
        .isEqualTo("mutationproposals/status");
    assertThat(resource("/apis/seb.dev/v1alpha1/namespaces/shop/executionrecords"))
        .isEqualTo("executionrecords");
    assertThat(resource("/api/v1/namespaces/seb-system/serviceaccounts/seb-exec-1/token"))
        .isEqualTo("serviceaccounts/token");
    assertThat(resource("/api/v1/namespaces/shop/configmaps/doomed")).isEqualTo("configmaps");
  }

  @Test
  void clusterScopedObjects_andDiscovery() {
    assertThat(resource("/apis/seb.dev/v1alpha1/trustanchors/sab")).isEqualTo("trustanchors");
    assertThat(resource("/api/v1/namespaces/shop")).isEqualTo("namespaces");
    assertThat(resource("/api/v1")).isEqualTo("v1");
    assertThat(resource("/apis/authorization.k8s.io/v1/subjectaccessreviews"))
        .isEqualTo("subjectaccessreviews");
  }
}
