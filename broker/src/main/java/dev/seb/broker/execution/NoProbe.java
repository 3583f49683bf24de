package dev.seb.broker.execution;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** seb's own probe: does nothing at every point. */
@DefaultBean
@ApplicationScoped
class NoProbe implements ExecutionProbe {}
