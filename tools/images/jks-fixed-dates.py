#!/usr/bin/env python3
"""Rewrites a JKS keystore of trusted certificates so that every entry carries the same date.

Java's keytool stamps each entry with the time it was added, so the cacerts file that Debian's
ca-certificates-java generates differs from one build to the next. seb's base image must be
reproducible: this sets every date to SOURCE_DATE_EPOCH and recomputes the keystore's integrity
digest (SHA-1 over the password, "Mighty Aphrodite" and the content, as Java's JKS does).
Only trusted-certificate entries are accepted; anything else fails, and the file is left as is.

usage: jks-fixed-dates.py <keystore> <epoch seconds> [password]
"""
import hashlib
import struct
import sys

MAGIC = 0xFEEDFEED
TRUSTED_CERT = 2


def normalise(data: bytes, millis: int, password: str) -> bytes:
    magic, version, count = struct.unpack_from(">III", data, 0)
    if magic != MAGIC or version != 2:
        raise ValueError("not a version 2 JKS keystore")
    expected = hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + data[:-20])
    if expected.digest() != data[-20:]:
        raise ValueError("the keystore's integrity digest does not match the password")
    out = bytearray(data[:12])
    pos = 12
    for _ in range(count):
        (tag,) = struct.unpack_from(">I", data, pos)
        if tag != TRUSTED_CERT:
            raise ValueError(f"entry at offset {pos} is not a trusted certificate (tag {tag})")
        (alias_len,) = struct.unpack_from(">H", data, pos + 4)
        head_end = pos + 6 + alias_len
        out += data[pos:head_end]
        out += struct.pack(">q", millis)
        pos = head_end + 8
        (type_len,) = struct.unpack_from(">H", data, pos)
        (cert_len,) = struct.unpack_from(">I", data, pos + 2 + type_len)
        end = pos + 2 + type_len + 4 + cert_len
        out += data[pos:end]
        pos = end
    if pos != len(data) - 20:
        raise ValueError("trailing bytes after the last entry")
    digest = hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + bytes(out))
    return bytes(out) + digest.digest()


def main() -> None:
    path, epoch = sys.argv[1], int(sys.argv[2])
    password = sys.argv[3] if len(sys.argv) > 3 else "changeit"
    with open(path, "rb") as f:
        data = f.read()
    fixed = normalise(data, epoch * 1000, password)
    with open(path, "wb") as f:
        f.write(fixed)


if __name__ == "__main__":
    main()
