#!/usr/bin/env bash
# Builds seb's three images twice from clean and compares them: prints both digests of each image
# and, where they differ, every file of every layer that differs (tools/images/compare.py).
# Exits non-zero when a digest differs. Takes about 5 minutes on 2 cores (two clean builds).
#
# usage: tools/images.sh [extra Maven arguments, e.g. -o]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULES=(operator broker admission-webhook)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/seb-images.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

build() {
  local n=$1 start=$SECONDS m
  shift
  (cd "$ROOT" && ./mvnw -q -Dseb.provision.skip=true clean package -DskipTests \
    -pl "$(IFS=,; echo "${MODULES[*]}")" -am "$@") >&2
  for m in "${MODULES[@]}"; do
    cp "$ROOT/$m/target/seb-$m-image.tar" "$OUT/$m.$n.tar"
  done
  echo "[images] build $n: $((SECONDS - start)) s" >&2
}

build 1 "$@"
build 2 "$@"
status=0
for m in "${MODULES[@]}"; do
  echo "== seb/$m"
  python3 "$ROOT/tools/images/compare.py" "$OUT/$m.1.tar" "$OUT/$m.2.tar" || status=1
done
exit $status
