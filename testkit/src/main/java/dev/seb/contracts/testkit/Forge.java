package dev.seb.contracts.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rewrites a finished compact JWS into the attacks and accidents a verifier must reject: {@code
 * alg: none}, HMAC, a swapped algorithm, a tampered header or payload under the old signature,
 * truncation, bad base64, garbage and oversized input.
 */
public final class Forge {

  private Forge() {}

  /** The same payload (and {@code x5c}) under {@code alg: none} with an empty signature. */
  public static String algNone(String jws) {
    Map<String, Object> header = header(jws);
    header.put("alg", "none");
    return encode(header) + "." + part(jws, 1) + ".";
  }

  /**
   * The same header fields and payload, MACed with HS256 under the given secret (at least 32
   * bytes).
   */
  public static String hmac(String jws, byte[] secret) {
    try {
      JWSHeader original = JWSObject.parse(jws).getHeader();
      JWSHeader header =
          new JWSHeader.Builder(JWSAlgorithm.HS256)
              .x509CertChain(original.getX509CertChain())
              .build();
      JWSObject forged =
          new JWSObject(header, new Payload(Base64URL.from(part(jws, 1)).decodeToString()));
      forged.sign(new MACSigner(secret));
      return forged.serialize();
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * HS256 keyed with the signer's public key bytes: the classic confusion where a verifier feeds
   * the public key to an HMAC check.
   */
  public static String hmacKeyedWithPublicKey(String jws, PublicKey key) {
    return hmac(jws, key.getEncoded());
  }

  /** Header changed (for example {@code alg} swapped or {@code x5c} replaced), signature kept. */
  public static String withHeader(String jws, Consumer<Map<String, Object>> edit) {
    Map<String, Object> header = header(jws);
    edit.accept(header);
    return encode(header) + "." + part(jws, 1) + "." + part(jws, 2);
  }

  /** Payload changed after signing (for example {@code exp} pushed out), signature kept. */
  public static String withClaims(String jws, Consumer<Map<String, Object>> edit) {
    Map<String, Object> claims;
    try {
      claims =
          new LinkedHashMap<>(JSONObjectUtils.parse(Base64URL.from(part(jws, 1)).decodeToString()));
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
    edit.accept(claims);
    return part(jws, 0) + "." + encode(claims) + "." + part(jws, 2);
  }

  /** The string cut in half. */
  public static String truncated(String jws) {
    return jws.substring(0, jws.length() / 2);
  }

  /** Characters outside base64url in the payload. */
  public static String badBase64(String jws) {
    return part(jws, 0) + ".*!~not base64~!*." + part(jws, 2);
  }

  /** Not a JWS at all. */
  public static String garbage() {
    return "this is not a certificate";
  }

  /** A JWS-shaped string longer than any accepted input. */
  public static String oversized(String jws) {
    return part(jws, 0) + "." + "A".repeat(70 * 1024) + "." + part(jws, 2);
  }

  /** The decoded protected header as a mutable map. */
  public static Map<String, Object> header(String jws) {
    try {
      return new LinkedHashMap<>(
          JSONObjectUtils.parse(Base64URL.from(part(jws, 0)).decodeToString()));
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(Map<String, Object> json) {
    return Base64URL.encode(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static String part(String jws, int index) {
    return jws.split("\\.", -1)[index];
  }
}
