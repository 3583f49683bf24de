package dev.seb.contracts.pki;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verified claims of a {@link SignedJws}, with typed accessors that throw {@link
 * ReasonCode#CERTIFICATE_INVALID} naming the claim when it is missing or of the wrong type. A SAB
 * that signs ill-typed claims has issued an invalid certificate; seb never guesses.
 */
public final class Claims {

  private final Map<String, Object> values;
  private final String field;

  /**
   * Claims from a verified payload.
   *
   * @param values the payload
   * @param field the field the JWS came from, prefixed to claim names in error messages
   */
  public Claims(Map<String, Object> values, String field) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.field = field;
  }

  /** All claims, unmodifiable. */
  public Map<String, Object> asMap() {
    return values;
  }

  /** Whether the claim is present (and not JSON null). */
  public boolean has(String name) {
    return values.get(name) != null;
  }

  /** A required, non-blank string claim. */
  public String requiredString(String name) throws VerificationException {
    Object value = required(name);
    if (!(value instanceof String s) || s.isBlank()) {
      throw invalid(name, "must be a non-blank string");
    }
    return s;
  }

  /** A required non-negative integer claim (an epoch). */
  public long requiredNonNegativeLong(String name) throws VerificationException {
    Object value = required(name);
    if (!(value instanceof Long || value instanceof Integer)) {
      throw invalid(name, "must be an integer");
    }
    long n = ((Number) value).longValue();
    if (n < 0) {
      throw invalid(name, "must not be negative");
    }
    return n;
  }

  /** A required NumericDate claim (integer seconds since the epoch, RFC 7519 §2). */
  public Instant requiredInstant(String name) throws VerificationException {
    long seconds = requiredNonNegativeLong(name);
    try {
      return Instant.ofEpochSecond(seconds);
    } catch (DateTimeException e) {
      throw invalid(name, "is out of range");
    }
  }

  /** A required array of strings (possibly empty). */
  public List<String> requiredStringList(String name) throws VerificationException {
    return stringList(name, required(name));
  }

  /**
   * An optional string-or-array-of-strings claim, like {@code aud} (RFC 7519 §4.1.3); empty if
   * absent.
   */
  public List<String> optionalStringOrList(String name) throws VerificationException {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    return stringList(name, value);
  }

  private List<String> stringList(String name, Object value) throws VerificationException {
    if (!(value instanceof List<?> list)) {
      throw invalid(name, "must be an array of strings");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object element : list) {
      if (!(element instanceof String s)) {
        throw invalid(name, "must be an array of strings");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  private Object required(String name) throws VerificationException {
    Object value = values.get(name);
    if (value == null) {
      throw invalid(name, "is missing");
    }
    return value;
  }

  private VerificationException invalid(String name, String problem) {
    return new VerificationException(
        ReasonCode.CERTIFICATE_INVALID, field + " claim '" + name + "' " + problem);
  }
}
