package dev.seb.contracts.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.MandateSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates a mandate's conditions, CEL expressions over {@code proposal} (the proposal spec as
 * JSON-like maps and lists) and {@code now} (a timestamp). Each must evaluate to {@code true}; a
 * false result, a compile or runtime error and a non-boolean result all fail closed with {@code
 * CONDITION_FAILED}, naming the condition.
 */
public final class ConditionEvaluator {

  /** Longest expression accepted; conditions are short predicates, not programs. */
  public static final int MAX_EXPRESSION_LENGTH = 2048;

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("proposal", SimpleType.DYN)
          .addVar("now", SimpleType.TIMESTAMP)
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  /** Checks every condition against the proposal spec at the clock's time. */
  public void verify(List<MandateSpec.Condition> conditions, JsonNode proposalSpec, Clock clock)
      throws VerificationException {
    if (conditions == null || conditions.isEmpty()) {
      return;
    }
    Map<String, Object> variables =
        Map.of("proposal", toCel(proposalSpec), "now", timestamp(clock.instant()));
    for (int i = 0; i < conditions.size(); i++) {
      MandateSpec.Condition condition = conditions.get(i);
      String field =
          "Mandate spec.conditions["
              + i
              + "] ("
              + (condition == null ? "?" : condition.name())
              + ")";
      if (condition == null || condition.expression() == null || condition.expression().isBlank()) {
        throw new VerificationException(ReasonCode.CONDITION_FAILED, field + " has no expression");
      }
      Object result;
      try {
        result = program(condition.expression(), field).eval(variables);
      } catch (CelEvaluationException | RuntimeException e) {
        throw new VerificationException(
            ReasonCode.CONDITION_FAILED, field + " could not be evaluated: " + e.getMessage(), e);
      }
      if (!Boolean.TRUE.equals(result)) {
        String message = condition.message() == null ? condition.expression() : condition.message();
        throw new VerificationException(
            ReasonCode.CONDITION_FAILED, field + " does not hold: " + message);
      }
    }
  }

  private CelRuntime.Program program(String expression, String field) throws VerificationException {
    if (expression.length() > MAX_EXPRESSION_LENGTH) {
      throw new VerificationException(
          ReasonCode.CONDITION_FAILED,
          field + " is longer than " + MAX_EXPRESSION_LENGTH + " characters");
    }
    CelRuntime.Program cached = programs.get(expression);
    if (cached != null) {
      return cached;
    }
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      CelRuntime.Program program = RUNTIME.createProgram(ast);
      programs.put(expression, program);
      return program;
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      throw new VerificationException(
          ReasonCode.CONDITION_FAILED,
          field + " is not a valid boolean CEL expression: " + e.getMessage(),
          e);
    }
  }

  /** JSON to the values CEL's runtime understands: maps, lists, Long, Double, String, Boolean. */
  static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return com.google.protobuf.NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(v -> list.add(toCel(v)));
      return list;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
