package dev.seb.local;

import dev.seb.ground.WebDeployment;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The workload the scenario works on: the Deployment {@code shop/web}, two replicas. */
final class Shop {

  /** Its namespace, guarded by seb's admission once the workload exists. */
  static final String NAMESPACE = "shop";

  /** The image it runs before the scenario's break-glass change. */
  static final String IMAGE = "registry.example/shop/web:1.4.2";

  private Shop() {}

  static Deployment web() {
    return WebDeployment.of(NAMESPACE, IMAGE);
  }
}
