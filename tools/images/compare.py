#!/usr/bin/env python3
"""Compares two builds of one OCI image archive layer by layer and names every file that differs.

usage: compare.py <first.tar> <second.tar>   exit 0 when the image digests are equal
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile


def image(path):
    t = tarfile.open(path)
    index = json.load(t.extractfile("index.json"))
    digest = index["manifests"][0]["digest"]
    manifest = json.load(t.extractfile("blobs/sha256/" + digest.split(":")[1]))
    return t, digest, manifest


def files(t, layer):
    data = gzip.decompress(t.extractfile("blobs/sha256/" + layer["digest"].split(":")[1]).read())
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as lt:
        for m in lt:
            content = lt.extractfile(m).read() if m.isfile() else m.linkname.encode()
            out[m.name] = (hashlib.sha256(content).hexdigest(), m.mode, m.uid, m.gid, m.mtime)
    return out


def main():
    (ta, da, ma), (tb, db, mb) = image(sys.argv[1]), image(sys.argv[2])
    print(f"{sys.argv[1]}: {da}\n{sys.argv[2]}: {db}")
    if da == db:
        print("same image digest")
        return 0
    for i, (la, lb) in enumerate(zip(ma["layers"], mb["layers"])):
        if la["digest"] == lb["digest"]:
            print(f"layer {i}: same ({la['digest']})")
            continue
        fa, fb = files(ta, la), files(tb, lb)
        differ = sorted(k for k in set(fa) | set(fb) if fa.get(k) != fb.get(k))
        print(f"layer {i}: differs in {len(differ)} file(s): " + ", ".join(differ[:20]))
    if len(ma["layers"]) != len(mb["layers"]):
        print(f"layer count differs: {len(ma['layers'])} and {len(mb['layers'])}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
