package dev.seb.contracts.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.scope.MandateNarrowing;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.OperationType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether an amendment of a mandate's spec only narrows it: every scope entry within one the
 * mandate already had (same contract, operations a subset, constraints no wider, as {@link
 * MandateNarrowing} decides), {@code lifecycle.notAfter} the same or earlier, terminal events and
 * conditions only added, {@code onExpiry} only towards {@code expire}, delegation only reduced. The
 * principal, agent and parent never change. {@code purpose} is a description and may be reworded;
 * {@code revocation} is judged by {@link MandateWrites}. Any other field must stay as it is.
 */
final class MandateAmendment {

  private static final Set<String> JUDGED =
      Set.of("scope", "lifecycle", "conditions", "delegation", "purpose", "revocation");

  private MandateAmendment() {}

  /** How {@code after} would broaden {@code before}, naming the field; empty when it does not. */
  static Optional<String> broadening(JsonNode before, JsonNode after) {
    for (String field : fields(before, after)) {
      if (!JUDGED.contains(field)
          && !java.util.Objects.equals(before.get(field), after.get(field))) {
        return Optional.of("spec." + field + " cannot be changed");
      }
    }
    try {
      MandateSpec old = read(before);
      MandateSpec amended = read(after);
      return firstOf(
          scope(old.scope(), amended.scope()),
          lifecycle(old.lifecycle(), amended.lifecycle()),
          conditions(before.path("conditions"), after.path("conditions")),
          delegation(old.delegation(), amended.delegation()));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.of("spec cannot be read as a Mandate spec (" + e.getMessage() + ")");
    }
  }

  @SafeVarargs
  private static Optional<String> firstOf(Optional<String>... problems) {
    for (Optional<String> problem : problems) {
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> scope(
      List<MandateSpec.Scope> before, List<MandateSpec.Scope> after) {
    List<MandateSpec.Scope> old = before == null ? List.of() : before;
    for (MandateSpec.Scope entry : after == null ? List.<MandateSpec.Scope>of() : after) {
      String field = "spec.scope[" + entry.contractRef() + "]";
      List<MandateSpec.Scope> same =
          old.stream()
              .filter(o -> java.util.Objects.equals(o.contractRef(), entry.contractRef()))
              .toList();
      if (same.isEmpty()) {
        return Optional.of(field + " adds a contract the mandate did not cover");
      }
      Optional<String> problem = Optional.of(field + " is not within the mandate's scope");
      for (MandateSpec.Scope granted : same) {
        problem = within(field, entry, granted);
        if (problem.isEmpty()) {
          break;
        }
      }
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> within(
      String field, MandateSpec.Scope entry, MandateSpec.Scope granted) {
    List<OperationType> grantedOps = granted.operations();
    List<OperationType> ops = entry.operations();
    if (grantedOps != null
        && !grantedOps.isEmpty()
        && (ops == null || ops.isEmpty() || !grantedOps.containsAll(ops))) {
      return Optional.of(
          field + ".operations " + names(ops) + " are not within " + names(grantedOps));
    }
    return MandateNarrowing.widening(entry.constraints(), granted.constraints())
        .map(w -> field + ".constraints: " + w);
  }

  private static Optional<String> lifecycle(
      MandateSpec.Lifecycle before, MandateSpec.Lifecycle after) {
    if (before == null || after == null) {
      return Optional.of("spec.lifecycle is missing");
    }
    try {
      Instant end = Instant.parse(after.notAfter());
      Instant was = Instant.parse(before.notAfter());
      if (end.isAfter(was)) {
        return Optional.of("spec.lifecycle.notAfter " + end + " is later than " + was);
      }
    } catch (DateTimeParseException | NullPointerException e) {
      return Optional.of("spec.lifecycle.notAfter is not an RFC 3339 instant");
    }
    List<String> events = after.terminalEvents() == null ? List.of() : after.terminalEvents();
    List<String> wereEvents = before.terminalEvents() == null ? List.of() : before.terminalEvents();
    if (!events.containsAll(wereEvents)) {
      return Optional.of("spec.lifecycle.terminalEvents may only be added to, not removed");
    }
    MandateSpec.OnExpiry expiry =
        after.onExpiry() == null ? MandateSpec.OnExpiry.EXPIRE : after.onExpiry();
    MandateSpec.OnExpiry wasExpiry =
        before.onExpiry() == null ? MandateSpec.OnExpiry.EXPIRE : before.onExpiry();
    if (expiry != wasExpiry && expiry != MandateSpec.OnExpiry.EXPIRE) {
      return Optional.of("spec.lifecycle.onExpiry may only change to expire");
    }
    return Optional.empty();
  }

  private static Optional<String> conditions(JsonNode before, JsonNode after) {
    List<JsonNode> now = new ArrayList<>();
    after.forEach(now::add);
    for (JsonNode condition : before) {
      if (!now.contains(condition)) {
        return Optional.of(
            "spec.conditions: condition "
                + condition.path("name").asText("?")
                + " is removed or changed; conditions may only be added");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> delegation(
      MandateSpec.Delegation before, MandateSpec.Delegation after) {
    int was = hops(before);
    int now = hops(after);
    if (now > was) {
      return Optional.of(
          "spec.delegation allows "
              + describe(now)
              + " where the mandate allowed "
              + describe(was));
    }
    return Optional.empty();
  }

  private static String names(List<OperationType> operations) {
    return String.valueOf(
        CanonicalJson.mapper()
            .convertValue(operations == null ? List.of() : operations, List.class));
  }

  private static String describe(int hops) {
    return hops < 0 ? "no delegation" : "delegation with maxAdditionalHops " + hops;
  }

  /** -1 for no delegation, else the further hops allowed. */
  private static int hops(MandateSpec.Delegation delegation) {
    if (delegation == null || !Boolean.TRUE.equals(delegation.permitted())) {
      return -1;
    }
    return delegation.maxAdditionalHops() == null ? 0 : delegation.maxAdditionalHops();
  }

  private static MandateSpec read(JsonNode spec) throws JsonProcessingException {
    return CanonicalJson.mapper().treeToValue(spec, MandateSpec.class);
  }

  private static Set<String> fields(JsonNode before, JsonNode after) {
    Set<String> names = new java.util.TreeSet<>();
    for (JsonNode node : List.of(before, after)) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
    }
    return names;
  }
}
