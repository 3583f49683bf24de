#!/usr/bin/env python3
"""Turns a root filesystem tarball into a one-layer OCI image archive, byte for byte reproducible.

The archive is an OCI image layout (oci-layout, index.json, blobs/sha256/...) that also carries a
Docker-style manifest.json naming the same blobs, as `docker save` does since Docker 25: containerd
(`ctr images import`), skopeo/crane (`oci-archive:`) and Jib (`tar://` base images, which reads
manifest.json) all accept it.

Reproducible: the layer is gzip with no name and mtime 0, JSON is canonical (sorted keys, no
spaces), and the archive's own entries are sorted with fixed owner, mode and mtime, so the same
root filesystem and arguments give the same image digest.

usage: oci-archive.py --rootfs R.tar --out IMAGE.tar --name seb/jre-base:17 --epoch N
                      [--entrypoint ARG]... [--user U] [--workdir D] [--env K=V]... [--label K=V]... [--created-by S]
prints the image's manifest digest (sha256:...).
"""
import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile

CHUNK = 1 << 20
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def compress(src: str, dst: str) -> str:
    """gzip src into dst (no file name, mtime 0); returns the sha256 of the uncompressed bytes."""
    diff = hashlib.sha256()
    with open(src, "rb") as f, open(dst, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                diff.update(chunk)
                gz.write(chunk)
    return diff.hexdigest()


def pairs(values):
    out = {}
    for v in values or []:
        key, sep, val = v.partition("=")
        if not sep or not key:
            raise SystemExit(f"expected KEY=VALUE, got {v!r}")
        out[key] = val
    return out


def add(tar: tarfile.TarFile, name: str, epoch: int, data=None, path=None):
    info = tarfile.TarInfo(name)
    info.mtime = epoch
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if data is None and path is None:
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        tar.addfile(info)
        return
    info.mode = 0o644
    if path is not None:
        info.size = os.path.getsize(path)
        with open(path, "rb") as f:
            tar.addfile(info, f)
    else:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rootfs", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", required=True, help="repository:tag recorded in the archive")
    p.add_argument("--epoch", type=int, required=True)
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="")
    p.add_argument("--entrypoint", action="append", help="one argument of the entrypoint each")
    p.add_argument("--env", action="append")
    p.add_argument("--label", action="append")
    p.add_argument("--created-by", default="seb tools/images/oci-archive.py")
    a = p.parse_args()

    created = datetime.datetime.fromtimestamp(a.epoch, datetime.timezone.utc)
    created = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    work = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(a.out)))
    try:
        layer_path = os.path.join(work, "layer")
        diff_id = compress(a.rootfs, layer_path)
        layer_digest = sha256_file(layer_path)
        layer_size = os.path.getsize(layer_path)

        env = pairs(a.env)
        config = {
            "architecture": "amd64",
            "os": "linux",
            "created": created,
            "config": {
                "Env": [f"{k}={v}" for k, v in env.items()],
                "Labels": pairs(a.label),
                **({"Entrypoint": a.entrypoint} if a.entrypoint else {}),
                **({"User": a.user} if a.user else {}),
                **({"WorkingDir": a.workdir} if a.workdir else {}),
            },
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff_id}"]},
            "history": [{"created": created, "created_by": a.created_by}],
        }
        config_bytes = canonical(config)
        config_digest = hashlib.sha256(config_bytes).hexdigest()
        manifest = {
            "schemaVersion": 2,
            "mediaType": MANIFEST,
            "config": {
                "mediaType": CONFIG,
                "digest": f"sha256:{config_digest}",
                "size": len(config_bytes),
            },
            "layers": [
                {"mediaType": LAYER, "digest": f"sha256:{layer_digest}", "size": layer_size}
            ],
        }
        manifest_bytes = canonical(manifest)
        manifest_digest = hashlib.sha256(manifest_bytes).hexdigest()
        repository, _, tag = a.name.rpartition(":")
        index = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {
                    "mediaType": MANIFEST,
                    "digest": f"sha256:{manifest_digest}",
                    "size": len(manifest_bytes),
                    "annotations": {
                        "io.containerd.image.name": a.name,
                        "org.opencontainers.image.ref.name": tag,
                    },
                }
            ],
        }
        docker_manifest = [
            {
                "Config": f"blobs/sha256/{config_digest}",
                "RepoTags": [a.name],
                "Layers": [f"blobs/sha256/{layer_digest}"],
            }
        ]

        blobs = {
            config_digest: (config_bytes, None),
            manifest_digest: (manifest_bytes, None),
            layer_digest: (None, layer_path),
        }
        partial = os.path.join(work, "image.tar")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            add(tar, "blobs/", a.epoch)
            add(tar, "blobs/sha256/", a.epoch)
            for digest in sorted(blobs):
                data, path = blobs[digest]
                add(tar, f"blobs/sha256/{digest}", a.epoch, data=data, path=path)
            add(tar, "index.json", a.epoch, data=canonical(index))
            add(tar, "manifest.json", a.epoch, data=canonical(docker_manifest))
            add(tar, "oci-layout", a.epoch, data=canonical({"imageLayoutVersion": "1.0.0"}))
        os.replace(partial, a.out)
        print(f"sha256:{manifest_digest}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
