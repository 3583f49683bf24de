package dev.seb.broker;

import dev.seb.testing.QuarkusClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** One real API server with seb's CRDs for every {@code @QuarkusTest} of the broker. */
@QuarkusTestResource(
    value = QuarkusClusterResource.class,
    initArgs = @ResourceArg(name = QuarkusClusterResource.CRDS, value = "../crds"))
public final class BrokerTestGround {

  private BrokerTestGround() {}
}
