package dev.seb.operator;

import dev.seb.testing.QuarkusClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * One real API server, with seb's CRDs, for every {@code @QuarkusTest} of this module: Quarkus
 * starts the application once against it. Tests isolate themselves by namespace and unique names.
 */
@QuarkusTestResource(
    value = QuarkusClusterResource.class,
    initArgs = @ResourceArg(name = QuarkusClusterResource.CRDS, value = "../crds"))
public final class OperatorTestGround {

  private OperatorTestGround() {}
}
