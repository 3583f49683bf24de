package dev.seb.local;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** The workload the scenario works on: the Deployment {@code shop/web}, two replicas. */
final class Shop {

  /** Its namespace, guarded by seb's admission once the workload exists. */
  static final String NAMESPACE = "shop";

  /** The image it runs before the scenario's break-glass change. */
  static final String IMAGE = "registry.example/shop/web:1.4.2";

  private Shop() {}

  static Deployment web() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage(IMAGE)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
