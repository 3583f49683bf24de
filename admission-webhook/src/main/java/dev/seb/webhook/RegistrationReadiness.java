package dev.seb.webhook;

import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.RegistrationCheck;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Not ready while the webhook's registrations would let the API server skip requests this webhook's
 * own policy decides ({@link RegistrationCheck}): match conditions generated for another policy
 * (say, the defaults, while this webhook was configured with fewer exempt users), or protected
 * resources the rules do not send. Not ready, the webhook is called for nothing, and with {@code
 * failurePolicy: Fail} every write it guards is refused until the two agree again: a
 * misconfiguration stops writes instead of opening a way around the broker. A registration that is
 * absent is reported, not failed (the webhook is not in use then); one that cannot be read for lack
 * of rights is a failure; an API server that cannot be reached at all is reported only.
 */
@Readiness
@ApplicationScoped
public class RegistrationReadiness implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(RegistrationReadiness.class);

  private final KubernetesClient client;
  private final AdmissionPolicy policy;

  RegistrationReadiness(KubernetesClient client, AdmissionPolicy policy) {
    // its own client, asking once with short timeouts: a probe must answer within seconds, and the
    // shared client retries an unreachable API server for half a minute
    this.client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .withConnectionTimeout(2000)
                    .withRequestTimeout(2000)
                    .build())
            .build();
    this.policy = policy;
  }

  @jakarta.annotation.PreDestroy
  void close() {
    client.close();
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("seb-admission-registrations");
    List<String> problems = new ArrayList<>();
    for (String name :
        List.of(RegistrationCheck.PROTECTED, RegistrationCheck.KINDS, RegistrationCheck.GUARD)) {
      ValidatingWebhookConfiguration registration;
      try {
        registration =
            client
                .admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName(name)
                .get();
      } catch (KubernetesClientException e) {
        if (e.getStatus() == null && e.getCode() <= 0) {
          // no answer from the API server at all (connection refused, timeout, unknown host)
          LOG.warnf(e, "registration %s not checked: the API server cannot be reached", name);
          response.withData(name, "not checked: the API server cannot be reached");
        } else {
          problems.add("registration " + name + " cannot be read: " + e.getMessage());
        }
        continue;
      }
      if (registration == null) {
        response.withData(name, "not registered");
        continue;
      }
      List<String> found = new ArrayList<>();
      for (ValidatingWebhook webhook : registration.getWebhooks()) {
        RegistrationCheck.Registered registered = registered(webhook);
        found.addAll(
            switch (name) {
              case RegistrationCheck.PROTECTED ->
                  RegistrationCheck.protectedProblems(policy, registered);
              case RegistrationCheck.KINDS -> RegistrationCheck.kindsProblems(policy, registered);
              default -> RegistrationCheck.guardProblems(policy, webhook.getName(), registered);
            });
      }
      response.withData(name, found.isEmpty() ? "agrees with this webhook's policy" : "disagrees");
      problems.addAll(found);
    }
    if (problems.isEmpty()) {
      return response.up().build();
    }
    problems.forEach(problem -> LOG.errorf("not ready: %s", problem));
    return response.down().withData("problems", String.join("; ", problems)).build();
  }

  private static RegistrationCheck.Registered registered(ValidatingWebhook webhook) {
    Map<String, String> conditions = new LinkedHashMap<>();
    if (webhook.getMatchConditions() != null) {
      for (MatchCondition condition : webhook.getMatchConditions()) {
        conditions.put(condition.getName(), condition.getExpression());
      }
    }
    List<RegistrationCheck.Rule> rules = new ArrayList<>();
    if (webhook.getRules() != null) {
      for (RuleWithOperations rule : webhook.getRules()) {
        rules.add(
            new RegistrationCheck.Rule(
                Set.copyOf(orEmpty(rule.getApiGroups())),
                Set.copyOf(orEmpty(rule.getResources())),
                Set.copyOf(orEmpty(rule.getOperations())),
                rule.getScope()));
      }
    }
    return new RegistrationCheck.Registered(
        conditions, rules, selector(webhook.getNamespaceSelector()));
  }

  /** A namespaceSelector in label-selector syntax, as {@link RegistrationCheck} reads it. */
  static String selector(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    if (selector == null) {
      return "";
    }
    List<String> terms = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      new java.util.TreeMap<>(selector.getMatchLabels())
          .forEach((key, value) -> terms.add(key + "=" + value));
    }
    if (selector.getMatchExpressions() != null) {
      for (var expression : selector.getMatchExpressions()) {
        terms.add(
            expression.getKey()
                + " "
                + expression.getOperator().toLowerCase(java.util.Locale.ROOT)
                + (expression.getValues() == null || expression.getValues().isEmpty()
                    ? ""
                    : " (" + String.join(",", expression.getValues()) + ")"));
      }
    }
    return String.join(",", terms);
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}
