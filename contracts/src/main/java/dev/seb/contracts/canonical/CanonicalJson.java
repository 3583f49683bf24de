package dev.seb.contracts.canonical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes and {@code sha256:<hex>} digests: the one way seb
 * turns a JSON value into something to sign or compare.
 */
public final class CanonicalJson {

  /** Prefix of every digest seb writes. */
  public static final String SHA256_PREFIX = "sha256:";

  // NaN/Infinity must not pass as the strings "NaN"/"Infinity": written as bare tokens, they make
  // canonicalisation fail instead of digesting like a string.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  private CanonicalJson() {}

  /** The RFC 8785 canonical UTF-8 bytes of a JSON value. */
  public static byte[] canonicalize(JsonNode value) {
    try {
      return new JsonCanonicalizer(MAPPER.writeValueAsString(value)).getEncodedUTF8();
    } catch (IOException e) {
      // a JsonNode is always serialisable; only non-finite numbers could get here
      throw new IllegalArgumentException("value cannot be canonicalised: " + e.getMessage(), e);
    }
  }

  /** The RFC 8785 canonical UTF-8 bytes of a JSON text. */
  public static byte[] canonicalize(String json) throws JsonProcessingException {
    return canonicalize(MAPPER.readTree(json));
  }

  /** {@code sha256:<lowercase hex>} of the canonical bytes of a JSON value. */
  public static String digest(JsonNode value) {
    return sha256(canonicalize(value));
  }

  /** {@code sha256:<lowercase hex>} of raw bytes (for example a compact JWS string). */
  public static String sha256(byte[] bytes) {
    try {
      return SHA256_PREFIX
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** {@code sha256:<lowercase hex>} of a string's UTF-8 bytes. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The shared mapper for JSON trees; never used to produce signed or digested bytes directly. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
