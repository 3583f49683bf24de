package dev.seb.contracts.record;

import java.util.regex.Pattern;

/** The one digest syntax records carry: {@code sha256:<64 lowercase hex>}. */
final class Digest {

  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digest() {}

  /** Throws {@link IllegalArgumentException} naming the field unless the value is a digest. */
  static String require(String value, String field) {
    if (value == null || !SHA256.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be sha256:<64 lowercase hex>, not " + quote(value));
    }
    return value;
  }

  /** Like {@link #require} but lets null through, for optional digests. */
  static String optional(String value, String field) {
    return value == null ? null : require(value, field);
  }

  static String quote(String value) {
    return value == null ? "null" : "'" + value + "'";
  }
}
