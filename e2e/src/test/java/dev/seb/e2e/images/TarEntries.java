package dev.seb.e2e.images;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader of tar streams (ustar, with GNU long names and pax path records) that keeps what seb's
 * image checks look at: each entry's name, owner and, for small files, content. Enough to read OCI
 * image archives and their layers without a container runtime.
 */
final class TarEntries {

  /** One entry; {@code content} is null for entries larger than the reader keeps. */
  record Entry(String name, char type, long size, int uid, int gid, int mode, byte[] content) {}

  private static final int BLOCK = 512;

  private TarEntries() {}

  /** The entries of a tar stream, by name (without a leading "./"), in archive order. */
  static Map<String, Entry> read(InputStream in, long keepUpTo) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    String longName = null;
    byte[] header = new byte[BLOCK];
    while (true) {
      if (!readFully(in, header)) {
        return entries;
      }
      if (isZero(header)) {
        return entries;
      }
      String name = string(header, 0, 100);
      String prefix = string(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      int uid = (int) octal(header, 108, 8);
      int gid = (int) octal(header, 116, 8);
      int mode = (int) octal(header, 100, 8);
      boolean meta = type == 'L' || type == 'x';
      byte[] content = null;
      if (meta || size <= keepUpTo) {
        content = in.readNBytes((int) size);
        if (content.length != size) {
          throw new EOFException("tar entry " + name + " is cut short");
        }
        skip(in, padding(size));
      } else {
        skip(in, size + padding(size));
      }
      if (type == 'L') {
        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      if (type == 'x') {
        longName = paxPath(content);
        continue;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      name = name.startsWith("./") ? name.substring(2) : name;
      entries.put(name, new Entry(name, type, size, uid, gid, mode, content));
    }
  }

  /**
   * Positions {@code in} at the content of the entry {@code wanted} and returns its size, or -1
   * when the archive has no such entry.
   */
  static long seek(InputStream in, String wanted) throws IOException {
    String longName = null;
    byte[] header = new byte[BLOCK];
    while (readFully(in, header) && !isZero(header)) {
      String name = string(header, 0, 100);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      if (type == 'L' || type == 'x') {
        byte[] content = in.readNBytes((int) size);
        skip(in, padding(size));
        longName =
            type == 'L'
                ? new String(content, StandardCharsets.UTF_8).replace("\0", "")
                : paxPath(content);
        continue;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      if (name.equals(wanted)) {
        return size;
      }
      skip(in, size + padding(size));
    }
    return -1;
  }

  private static String paxPath(byte[] records) {
    String text = new String(records, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("path=", space + 1)) {
        return line.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static boolean readFully(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, block.length);
    if (n == 0) {
      return false;
    }
    if (n != block.length) {
      throw new EOFException("tar stream ends inside a header");
    }
    return true;
  }

  private static void skip(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    String s = string(b, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  static String text(Entry entry) {
    return new String(entry.content(), StandardCharsets.UTF_8);
  }
}
