package dev.seb.contracts.mandate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.MandateSpec.Condition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mandate conditions are CEL over {@code proposal} (the proposal spec) and {@code now}; each must
 * be true, and everything else fails closed with CONDITION_FAILED naming the condition.
 */
class ConditionEvaluatorTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final ConditionEvaluator evaluator = new ConditionEvaluator();
  private final JsonNode proposal = resource("proposal-spec.json");

  private static JsonNode resource(String name) {
    try (InputStream in = ConditionEvaluatorTest.class.getResourceAsStream(name)) {
      return CanonicalJson.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Condition condition(String name, String expression) {
    return new Condition(name, expression, null);
  }

  private void holds(Condition... conditions) {
    assertThatCode(() -> evaluator.verify(Arrays.asList(conditions), proposal, CLOCK))
        .doesNotThrowAnyException();
  }

  private void holds(String expression) {
    holds(condition("c", expression));
  }

  private VerificationException fails(List<Condition> conditions, String... parts) {
    VerificationException e =
        catchThrowableOfType(
            VerificationException.class, () -> evaluator.verify(conditions, proposal, CLOCK));
    assertThat(e).as("expected CONDITION_FAILED").isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(ReasonCode.CONDITION_FAILED);
    assertThat(e.getMessage()).contains(parts);
    return e;
  }

  private VerificationException fails(String expression, String... parts) {
    List<String> all = new ArrayList<>(List.of("Mandate spec.conditions[0] (c)"));
    all.addAll(List.of(parts));
    return fails(List.of(condition("c", expression)), all.toArray(String[]::new));
  }

  @Test
  void noConditions_hold() throws VerificationException {
    evaluator.verify(null, proposal, CLOCK);
    evaluator.verify(List.of(), proposal, CLOCK);
  }

  @Test
  void conditionsOverNestedFields_hold() {
    holds(
        condition("type", "proposal.operation.type == 'patch'"),
        condition("replicas", "proposal.operation.patch.spec.replicas <= 5"),
        condition(
            "image",
            "proposal.operation.patch.spec.template.spec.containers[0].image"
                + ".startsWith('shop/web:')"),
        condition(
            "all images from shop",
            "proposal.operation.patch.spec.template.spec.containers"
                + ".all(c, c.image.startsWith('shop/'))"),
        condition(
            "observed", "has(proposal.observed) && proposal.observed.resourceVersion == '42'"),
        condition("label", "'release' in proposal.operation.patch.metadata.labels"));
  }

  @Test
  void jsonTypes_becomeCelTypes() {
    holds("type(proposal.operation.patch.spec.replicas) == int");
    holds("type(proposal.weight) == double && proposal.weight == 0.75");
    holds("proposal.dryRun == false");
    holds("proposal.operation.patch.metadata.labels.canary == null");
    holds("size(proposal.operation.patch.spec.template.spec.containers) == 1");
    holds("type(proposal.operation.patch.metadata) == map");
  }

  @Test
  void toCel_mapsJsonToMapsListsLongsDoublesStringsBooleans() {
    Object cel = ConditionEvaluator.toCel(proposal);
    assertThat(cel).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) cel;
    assertThat(map.get("weight")).isEqualTo(0.75d);
    assertThat(map.get("dryRun")).isEqualTo(false);
    assertThat(map.get("justification")).isEqualTo("roll out 1.4.2");
    Map<?, ?> spec =
        (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) map.get("operation")).get("patch")).get("spec");
    assertThat(spec.get("replicas")).isEqualTo(4L);
    assertThat(spec.get("template")).isInstanceOf(Map.class);
    assertThat(ConditionEvaluator.toCel(null)).isEqualTo(com.google.protobuf.NullValue.NULL_VALUE);
  }

  @Test
  void conditionsOverNow_useTheInjectedClock() {
    holds("now == timestamp('2025-06-01T12:00:00Z')");
    holds("now < timestamp('2025-07-01T00:00:00Z')");
    holds("now.getHours() == 12 && now.getDayOfWeek() == 0");
    fails("now > timestamp('2025-06-01T12:00:00Z')", "does not hold");
  }

  @Test
  void businessHoursWindow_followsTheClock() throws VerificationException {
    List<Condition> window =
        List.of(
            condition(
                "business hours",
                "now.getHours('Europe/Berlin') in [9, 10, 11, 12, 13, 14, 15, 16]"));
    evaluator.verify(window, proposal, CLOCK); // 14:00 in Berlin
    Clock night = Clock.fixed(Instant.parse("2025-06-01T23:00:00Z"), ZoneOffset.UTC);
    VerificationException e =
        catchThrowableOfType(
            VerificationException.class, () -> evaluator.verify(window, proposal, night));
    assertThat(e.reason()).isEqualTo(ReasonCode.CONDITION_FAILED);
    assertThat(e.getMessage()).contains("(business hours) does not hold");
  }

  @Test
  void falseCondition_fails_namingItAndItsMessage() {
    fails(
        List.of(
            new Condition(
                "small", "proposal.operation.patch.spec.replicas <= 3", "at most 3 replicas")),
        "Mandate spec.conditions[0] (small) does not hold: at most 3 replicas");
  }

  @Test
  void falseConditionWithoutMessage_showsTheExpression() {
    fails(
        "proposal.operation.type == 'scale'", "does not hold: proposal.operation.type == 'scale'");
  }

  @Test
  void theFirstFailingCondition_isReported_byIndexAndName() {
    fails(
        List.of(
            condition("ok", "true"),
            condition("also ok", "proposal.contractRef == 'web'"),
            condition("wrong mandate", "proposal.mandateRef == 'other'"),
            condition("never reached", "1/0 == 1")),
        "Mandate spec.conditions[2] (wrong mandate) does not hold");
  }

  @Test
  void compileError_fails() {
    fails("proposal.operation.type ==", "is not a valid boolean CEL expression");
    fails("unknownVariable == 1", "is not a valid boolean CEL expression");
  }

  @Test
  void nonBooleanExpression_isRefusedAtCompileTime() {
    fails("'yes'", "is not a valid boolean CEL expression");
    fails("1 + 1", "is not a valid boolean CEL expression");
  }

  @Test
  void dynamicValueThatIsNotABoolean_doesNotHold() {
    fails("proposal.operation.patch.spec.replicas", "(c)");
    fails("proposal.justification", "(c)");
  }

  @Test
  void runtimeError_missingField_fails() {
    fails("proposal.operation.replicas > 2", "could not be evaluated");
  }

  @Test
  void runtimeError_divisionByZero_fails() {
    fails("proposal.operation.patch.spec.replicas / 0 == 1", "could not be evaluated");
  }

  @Test
  void runtimeError_typeMismatch_fails() {
    fails("proposal.justification > 3", "could not be evaluated");
  }

  @Test
  void runtimeErrorAbsorbedByShortCircuit_holds() {
    holds("true || proposal.missing.field == 1");
    holds("!has(proposal.operation.replicas) || proposal.operation.replicas <= 5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n"})
  void blankExpression_fails(String expression) {
    fails(expression, "has no expression");
  }

  @Test
  void missingExpression_fails() {
    fails(
        List.of(condition("empty", null)), "Mandate spec.conditions[0] (empty) has no expression");
  }

  @Test
  void nullCondition_fails() {
    fails(Arrays.asList(condition("ok", "true"), null), "Mandate spec.conditions[1] (?)");
  }

  @Test
  void expressionOfTheMaximumLength_isAccepted_oneMore_isNot() {
    String prefix = "proposal.contractRef == 'web'";
    String padded = prefix + " ".repeat(ConditionEvaluator.MAX_EXPRESSION_LENGTH - prefix.length());
    holds(padded);
    fails(padded + " ", "is longer than 2048 characters");
  }

  @Test
  void cachedProgram_isReevaluatedAgainstEachProposalAndClock() throws VerificationException {
    List<Condition> small =
        List.of(condition("small", "proposal.operation.patch.spec.replicas <= 4"));
    evaluator.verify(small, proposal, CLOCK);
    JsonNode bigger = proposal.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) bigger.at("/operation/patch/spec"))
        .put("replicas", 5);
    VerificationException e =
        catchThrowableOfType(
            VerificationException.class, () -> evaluator.verify(small, bigger, CLOCK));
    assertThat(e.reason()).isEqualTo(ReasonCode.CONDITION_FAILED);
    assertThat(e.getMessage()).contains("(small) does not hold");
  }

  @Test
  void integerBeyondLong_isNotSilentlyWrapped() {
    JsonNode huge =
        json("{\"operation\": {\"patch\": {\"spec\": {\"replicas\": 18446744073709551619}}}}");
    VerificationException e =
        catchThrowableOfType(
            VerificationException.class,
            () ->
                evaluator.verify(
                    List.of(condition("small", "proposal.operation.patch.spec.replicas <= 5")),
                    huge,
                    CLOCK));
    assertThat(e).as("2^64 + 3 must not pass as 3").isNotNull();
    assertThat(e.reason()).isEqualTo(ReasonCode.CONDITION_FAILED);
    assertThat(e.getMessage()).contains("(small)");
  }

  private static JsonNode json(String text) {
    try {
      return CanonicalJson.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
