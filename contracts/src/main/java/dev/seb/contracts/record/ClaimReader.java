package dev.seb.contracts.record;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reads from a parsed JSON payload: a field is either absent, or present with exactly the
 * expected JSON type. Explicit nulls are refused (records never emit them, except {@code prev}).
 * Every failure is a {@link ReasonCode#RECORD_CHAIN_BROKEN} naming the record and the claim.
 */
final class ClaimReader {

  private String label;

  ClaimReader(String label) {
    this.label = label;
  }

  /** Names the record in later messages, once its {@code seq} is known. */
  void label(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  VerificationException fail(String message) {
    return new VerificationException(ReasonCode.RECORD_CHAIN_BROKEN, label + ": " + message);
  }

  VerificationException fail(String message, Throwable cause) {
    return new VerificationException(ReasonCode.RECORD_CHAIN_BROKEN, label + ": " + message, cause);
  }

  void onlyKnown(Map<String, Object> object, String path, Set<String> allowed)
      throws VerificationException {
    Set<String> unknown = new TreeSet<>(object.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw fail("unknown claim(s) " + prefixed(path, unknown) + "; records have a fixed shape");
    }
  }

  private Object value(Map<String, Object> object, String path, String key, boolean required)
      throws VerificationException {
    if (!object.containsKey(key)) {
      if (required) {
        throw fail("claim '" + path + key + "' is missing");
      }
      return null;
    }
    Object value = object.get(key);
    if (value == null) {
      throw fail("claim '" + path + key + "' is null; an absent value is omitted, not null");
    }
    return value;
  }

  String string(Map<String, Object> object, String path, String key, boolean required)
      throws VerificationException {
    Object value = value(object, path, key, required);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(path + key, "a string", value);
  }

  Long integer(Map<String, Object> object, String path, String key, boolean required)
      throws VerificationException {
    Object value = value(object, path, key, required);
    if (value == null) {
      return null;
    }
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    throw wrongType(path + key, "an integer", value);
  }

  Boolean bool(Map<String, Object> object, String path, String key, boolean required)
      throws VerificationException {
    Object value = value(object, path, key, required);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw wrongType(path + key, "a boolean", value);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> object(Map<String, Object> object, String path, String key, boolean required)
      throws VerificationException {
    Object value = value(object, path, key, required);
    if (value == null || value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw wrongType(path + key, "an object", value);
  }

  @SuppressWarnings("unchecked")
  List<Object> list(Map<String, Object> object, String path, String key, boolean required)
      throws VerificationException {
    Object value = value(object, path, key, required);
    if (value == null || value instanceof List) {
      return (List<Object>) value;
    }
    throw wrongType(path + key, "an array", value);
  }

  /** An RFC 3339 timestamp in UTC, as {@link Instant#toString()} writes it. */
  Instant time(Map<String, Object> object, String path, String key, boolean required)
      throws VerificationException {
    String value = string(object, path, key, required);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw fail("claim '" + path + key + "' is not an RFC 3339 UTC timestamp: '" + value + "'", e);
    }
  }

  private VerificationException wrongType(String claim, String expected, Object value) {
    String found =
        value instanceof String
            ? "a string"
            : value instanceof Boolean
                ? "a boolean"
                : value instanceof Number
                    ? "the number " + value
                    : value.getClass().getSimpleName();
    return fail("claim '" + claim + "' must be " + expected + ", found " + found);
  }

  private static String prefixed(String path, Set<String> keys) {
    return keys.stream().map(k -> "'" + path + k + "'").toList().toString();
  }
}
