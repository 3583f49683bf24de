package dev.seb.e2e.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image archive (oci-layout, index.json, blobs/sha256/...) as a file: its one image's
 * manifest and config, and the entries of its layers, read without a container runtime.
 */
final class OciArchive {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SMALL = 1 << 20;

  final Path file;
  final Map<String, TarEntries.Entry> entries;
  final JsonNode index;
  final String manifestDigest;
  final byte[] manifestBytes;
  final JsonNode manifest;
  final JsonNode config;

  private OciArchive(Path file) throws IOException {
    this.file = file;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      this.entries = TarEntries.read(in, SMALL);
    }
    this.index = JSON.readTree(small("index.json"));
    JsonNode manifests = index.path("manifests");
    if (manifests.size() != 1) {
      throw new IOException(file + ": expected one image in index.json, found " + manifests.size());
    }
    this.manifestDigest = manifests.get(0).path("digest").asText();
    this.manifestBytes = small(blob(manifestDigest));
    this.manifest = JSON.readTree(manifestBytes);
    this.config = JSON.readTree(small(blob(manifest.path("config").path("digest").asText())));
  }

  static OciArchive open(Path file) throws IOException {
    return new OciArchive(file);
  }

  static String blob(String digest) {
    return "blobs/sha256/" + digest.substring("sha256:".length());
  }

  List<String> layerDigests() {
    List<String> digests = new ArrayList<>();
    manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
    return digests;
  }

  List<String> diffIds() {
    List<String> ids = new ArrayList<>();
    config.path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
    return ids;
  }

  /** The entries of one layer (gzip tar), file contents kept up to {@code keepUpTo} bytes. */
  Map<String, TarEntries.Entry> layer(String digest, long keepUpTo) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      long size = TarEntries.seek(in, blob(digest));
      if (size < 0) {
        throw new IOException(file + " has no blob " + digest);
      }
      InputStream content = new BoundedInputStream(in, size);
      return TarEntries.read(new GZIPInputStream(content, 1 << 16), keepUpTo);
    }
  }

  /** sha256 of a blob as stored, "sha256:<hex>". */
  String digestOf(String digest) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      long size = TarEntries.seek(in, blob(digest));
      if (size < 0) {
        throw new IOException(file + " has no blob " + digest);
      }
      return sha256(new BoundedInputStream(in, size));
    }
  }

  static String sha256(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha().digest(bytes));
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest md = sha();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      md.update(buffer, 0, n);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] small(String name) throws IOException {
    TarEntries.Entry entry = entries.get(name);
    if (entry == null || entry.content() == null) {
      throw new IOException(file + " has no " + name);
    }
    return entry.content();
  }

  /** The next {@code remaining} bytes of a stream, not closing it. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
