#!/usr/bin/env bash
# Provisions seb's local test ground from the package registries only (no Docker, no downloads
# from release pages):
#   - kube-apiserver and kubectl, built from the k8s.io/kubernetes Go module (tools/kubernetes),
#   - etcd, built from go.etcd.io/etcd/server/v3 (tools/etcd),
#   - kubelet, kube-controller-manager, kube-scheduler and kube-proxy from the same module,
# placed where Fabric8 kube-api-test looks for them:
#   $KUBE_API_TEST_DIR/k8s/<version>-<os>-<arch>/{etcd,kube-apiserver,kubectl,kubelet,...}
# helm, built from the helm.sh/helm/v4 Go module (tools/helm), placed in .seb/bin/helm;
# moto[server] in a project-local virtualenv (.seb/venv);
# and seb's JRE base image, built from Debian packages with mmdebstrap (tools/images), as an OCI
# image archive in .seb/images/jre-base.tar (its digest in .seb/images/jre-base.digest); the
# images of seb's applications are built on it by `./mvnw package` (docs/decisions/0023-images.md);
# and the single-node cluster's runtime (tools/node.sh): containerd, runc, the CNI plugins, iptables
# and conntrack from Debian's packages, and the pause image built from Kubernetes' own pause.c
# (.seb/images/pause.tar). Where the node cannot run (not root, no apt), that part says why and
# skips; the node's tests then skip too.
#
# usage: tools/provision.sh [part...]   parts: kubernetes helm moto node jre-base
# (default: kubernetes helm moto node, what the tests need; jre-base when the images are built)
#
# Idempotent: each part carries a stamp of the inputs it was built from and is rebuilt only when
# those inputs change, so a second run takes seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/tools"
STATE="$ROOT/.seb"
KUBE_API_TEST_DIR=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}
MIN_GO_MINOR=24

log() { printf '[provision] %s\n' "$*" >&2; }
die() {
  printf '[provision] error: %s\n' "$*" >&2
  exit 1
}

# The Kubernetes version is the one the wrapper module requires; seb's test fixtures read it there too.
K8S_VERSION=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { sub(/^v/, "", $3); print $3 }' "$TOOLS/kubernetes/go.mod")
[[ -n "$K8S_VERSION" ]] || die "tools/kubernetes/go.mod does not require k8s.io/kubernetes"

stamp_of() { cat "$@" | sha256sum | cut -c1-64; }

# What provision_kubernetes builds from the wrapper module (tools/kubernetes/tools.go pins each).
KUBE_BINARIES=(kube-apiserver kubectl kubelet kube-controller-manager kube-scheduler kube-proxy)

require_go() {
  command -v go >/dev/null 2>&1 ||
    die "the Go toolchain (go >= 1.$MIN_GO_MINOR) is missing: seb builds kube-apiserver, kubectl and etcd from Go modules. Install Go (https://go.dev/dl or Debian 'golang') and re-run."
  local v minor
  v=$(go env GOVERSION)
  minor=$(sed -E 's/^go1\.([0-9]+).*/\1/' <<<"$v")
  [[ "$minor" =~ ^[0-9]+$ && "$minor" -ge "$MIN_GO_MINOR" ]] ||
    die "Go $v is too old: Kubernetes $K8S_VERSION needs go >= 1.$MIN_GO_MINOR"
}

# build_module <wrapper dir> <output (dir/ or file)> <ldflags> <package...>
build_module() {
  local dir=$1 out=$2 ldflags=$3
  shift 3
  (cd "$dir" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0 \
    go build -trimpath -ldflags "-s -w $ldflags" -o "$out" "$@") ||
    die "building $* in ${dir#"$ROOT"/} failed (see the Go output above)"
}

provision_kubernetes() {
  local platform bin_dir stamp tmp
  platform="$(go env GOOS)-$(go env GOARCH)"
  bin_dir="$KUBE_API_TEST_DIR/k8s/$K8S_VERSION-$platform"
  stamp=$(stamp_of "$TOOLS/kubernetes/go.mod" "$TOOLS/kubernetes/go.sum" "$TOOLS/kubernetes/tools.go" "$TOOLS/etcd/go.mod" "$TOOLS/etcd/go.sum" "$0")
  local binary missing=""
  for binary in "${KUBE_BINARIES[@]}" etcd; do [[ -x "$bin_dir/$binary" ]] || missing+=" $binary"; done
  if [[ -f "$bin_dir/.seb-stamp" && "$(cat "$bin_dir/.seb-stamp")" == "$stamp" && -z "$missing" ]]; then
    log "${KUBE_BINARIES[*]} and etcd $K8S_VERSION are up to date in $bin_dir"
    return
  fi
  require_go
  mkdir -p "$KUBE_API_TEST_DIR/k8s"
  tmp=$(mktemp -d "$KUBE_API_TEST_DIR/k8s/.build.XXXXXX")
  trap 'rm -rf "$tmp"' RETURN

  local major minor ldflags="" pkg
  major=${K8S_VERSION%%.*}
  minor=$(cut -d. -f2 <<<"$K8S_VERSION")
  # The same variables the Kubernetes release build sets, so `--version` reports the real version.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  log "building ${KUBE_BINARIES[*]} $K8S_VERSION from the k8s.io/kubernetes module (cold: about 7 min on 2 cores, once)"
  build_module "$TOOLS/kubernetes" "$tmp/" "$ldflags" "${KUBE_BINARIES[@]/#/k8s.io/kubernetes/cmd/}"
  log "building etcd from the go.etcd.io/etcd/server/v3 module"
  build_module "$TOOLS/etcd" "$tmp/etcd" "" go.etcd.io/etcd/server/v3

  "$tmp/kube-apiserver" --version | grep -qx "Kubernetes v$K8S_VERSION" ||
    die "the built kube-apiserver reports '$("$tmp/kube-apiserver" --version)', expected 'Kubernetes v$K8S_VERSION'"
  echo "$stamp" >"$tmp/.seb-stamp"
  rm -rf "$bin_dir"
  mv "$tmp" "$bin_dir"
  log "placed ${KUBE_BINARIES[*]} and etcd in $bin_dir"
}

provision_helm() {
  local version out="$STATE/bin/helm" stamp tmp
  version=$(awk '$1 == "require" && $2 == "helm.sh/helm/v4" { print $3 }' "$TOOLS/helm/go.mod")
  [[ -n "$version" ]] || die "tools/helm/go.mod does not require helm.sh/helm/v4"
  stamp=$(stamp_of "$TOOLS/helm/go.mod" "$TOOLS/helm/go.sum" "$0")
  if [[ -f "$out.seb-stamp" && "$(cat "$out.seb-stamp")" == "$stamp" && -x "$out" ]]; then
    log "helm $version is up to date in ${out#"$ROOT"/}"
    return
  fi
  require_go
  mkdir -p "$STATE/bin"
  tmp=$(mktemp "$STATE/bin/.helm.XXXXXX")
  log "building helm $version from the helm.sh/helm/v4 module (cold: about 2 min on 2 cores, once)"
  build_module "$TOOLS/helm" "$tmp" "-X helm.sh/helm/v4/internal/version.version=$version" \
    helm.sh/helm/v4/cmd/helm
  "$tmp" version --short | grep -q "^$version" ||
    die "the built helm reports '$("$tmp" version --short)', expected $version"
  mv "$tmp" "$out"
  echo "$stamp" >"$out.seb-stamp"
  log "placed helm $version in ${out#"$ROOT"/}"
}

provision_moto() {
  local venv="$STATE/venv" stamp
  stamp=$(stamp_of "$TOOLS/moto/requirements.txt" "$TOOLS/moto/constraints.txt")
  if [[ -f "$venv/.seb-stamp" && "$(cat "$venv/.seb-stamp")" == "$stamp" && -x "$venv/bin/moto_server" ]]; then
    log "moto is up to date in ${venv#"$ROOT"/}"
    return
  fi
  command -v python3 >/dev/null 2>&1 ||
    die "python3 is missing: seb's AWS test ground runs moto in a Python virtualenv. Install Python >= 3.9 and re-run."
  python3 -c 'import venv, ensurepip' 2>/dev/null ||
    die "python3 cannot create virtualenvs (the venv/ensurepip modules are missing). On Debian: apt-get install python3-venv"
  log "installing $(cat "$TOOLS/moto/requirements.txt") into ${venv#"$ROOT"/}"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$TOOLS/moto/requirements.txt" -c "$TOOLS/moto/constraints.txt" ||
    die "pip could not install moto[server] (see the pip output above)"
  echo "$stamp" >"$venv/.seb-stamp"
}

# The JRE base image: Debian bookworm's openjdk-17-jre-headless and ca-certificates on variant
# essential (no apt), without docs, man pages or locales, with the non-root user 65532 (nonroot).
# Reproducible: SOURCE_DATE_EPOCH fixes every date, so the same packages give the same digest.
JRE_BASE_EPOCH=0
JRE_BASE_PACKAGES=(openjdk-17-jre-headless ca-certificates)

debian_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
    [[ -f "$f" ]] && grep -qE '^[^#]*(deb\.debian\.org|debian\.org/debian|snapshot\.debian\.org)' "$f" && echo "$f"
  done
  return 0
}

require_mmdebstrap() {
  command -v mmdebstrap >/dev/null 2>&1 && return
  [[ $(id -u) -eq 0 ]] ||
    die "mmdebstrap is missing and provisioning is not running as root: apt-get install mmdebstrap, then re-run"
  log "installing mmdebstrap from the machine's Debian mirror"
  if ! apt-cache show mmdebstrap >/dev/null 2>&1; then
    apt-get update -q >&2 || die "apt-get update failed (see above)"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >&2 ||
    die "apt-get install mmdebstrap failed (see above)"
}

provision_jre_base() {
  local out_dir="$STATE/images" out sources stamp tmp mode versions digest
  out="$out_dir/jre-base.tar"
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    die "this machine has no apt/dpkg: seb's JRE base image is built from Debian packages. Build without images (-Dseb.images.skip; the single-node tests then skip) or on a JRE 17 image from a registry (-Dseb.images.base=<image> -Dseb.images.base.provision.skip=true)"
  fi
  mapfile -t sources < <(debian_sources)
  [[ ${#sources[@]} -gt 0 ]] || die "no Debian mirror found in /etc/apt/sources.list*: the JRE base image is built from Debian packages"
  # the candidate versions are part of the stamp: a security update of the JRE rebuilds the image
  versions=$(apt-cache policy "${JRE_BASE_PACKAGES[@]}" 2>/dev/null | awk '/^[^ ]/ || /Candidate:/')
  stamp=$( (cat "${sources[@]}" "$TOOLS"/images/jre-base-hook.sh "$TOOLS"/images/*.py "$0"; echo "$versions") | sha256sum | cut -c1-64)
  if [[ -f "$out.seb-stamp" && "$(cat "$out.seb-stamp")" == "$stamp" && -f "$out" && -f "$out_dir/jre-base.digest" ]]; then
    log "the JRE base image $(cat "$out_dir/jre-base.digest") is up to date in ${out#"$ROOT"/}"
    return
  fi
  require_mmdebstrap
  command -v python3 >/dev/null 2>&1 || die "python3 is missing: it writes the base image's OCI archive"
  mode=unshare
  [[ $(id -u) -eq 0 ]] && mode=root
  mkdir -p "$out_dir"
  tmp=$(mktemp -d "$out_dir/.build.XXXXXX")
  trap 'rm -rf "$tmp"' RETURN
  local t0=$SECONDS
  log "building the JRE base image from Debian packages (${JRE_BASE_PACKAGES[*]}) with mmdebstrap --mode=$mode (cold: about 1 min)"
  SOURCE_DATE_EPOCH=$JRE_BASE_EPOCH mmdebstrap --quiet --mode="$mode" --variant=essential \
    --include="$(IFS=,; echo "${JRE_BASE_PACKAGES[*]}")" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook="\"$TOOLS/images/jre-base-hook.sh\" \"\$1\"" \
    --format=tar bookworm "$tmp/rootfs.tar" "${sources[@]}" >&2 ||
    die "mmdebstrap could not build the JRE base image's root filesystem (see its output above)"
  tar -tf "$tmp/rootfs.tar" >"$tmp/rootfs.list"
  grep -qE '^\./usr/lib/jvm/[^/]+/bin/java$' "$tmp/rootfs.list" ||
    die "the JRE base image has no /usr/lib/jvm/*/bin/java"
  ! grep -qE '^\./usr/bin/apt(-get)?$' "$tmp/rootfs.list" ||
    die "the JRE base image contains apt, it should not"
  local jre
  tar -xOf "$tmp/rootfs.tar" ./var/lib/dpkg/status >"$tmp/status"
  jre=$(awk '/^Package: openjdk-17-jre-headless$/ { p = 1 } p && /^Version:/ { print $2; exit }' "$tmp/status")
  digest=$(python3 "$TOOLS/images/oci-archive.py" --rootfs "$tmp/rootfs.tar" --out "$tmp/jre-base.tar" \
    --name seb/jre-base:17 --epoch "$JRE_BASE_EPOCH" --user 65532:65532 --workdir /home/nonroot \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --env LANG=C.UTF-8 \
    --label org.opencontainers.image.title=seb-jre-base \
    --label "org.opencontainers.image.description=Debian bookworm, openjdk-17-jre-headless $jre, ca-certificates; user 65532" \
    --label "dev.seb.jre-base.openjdk=$jre" \
    --created-by "mmdebstrap --variant=essential --include=${JRE_BASE_PACKAGES[*]} (seb tools/provision.sh)") ||
    die "writing the JRE base image's OCI archive failed (see above)"
  mv "$tmp/jre-base.tar" "$out"
  echo "$digest" >"$out_dir/jre-base.digest"
  echo "$stamp" >"$out.seb-stamp"
  log "placed the JRE base image $digest in ${out#"$ROOT"/} ($(du -m "$out" | cut -f1) MB, $((SECONDS - t0)) s)"
}

# The single-node cluster's runtime: Debian's containerd (1.6), runc, CNI plugins, iptables and
# conntrack, and the pause image (the sandbox every pod starts in) compiled from the pause.c that
# the pinned k8s.io/kubernetes module ships, statically, into a one-file OCI image archive.
NODE_PACKAGES=(containerd runc containernetworking-plugins iptables conntrack)

provision_node() {
  if [[ $(id -u) -ne 0 ]]; then
    log "skipping the node runtime: not root (containers need root here); the single-node tests skip"
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "skipping the node runtime: no apt-get to install ${NODE_PACKAGES[*]}; the single-node tests skip"
    return
  fi
  local p missing=()
  for p in "${NODE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]} from the machine's Debian mirror"
    if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
      apt-get update -q >&2 || die "apt-get update failed (see above)"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
      die "apt-get install ${missing[*]} failed (see above)"
  fi
  log "node runtime: $(containerd --version | awk '{ print $1, $3 }'), $(runc --version | head -1)"

  local out="$STATE/images/pause.tar" stamp src tmp
  command -v gcc >/dev/null 2>&1 || die "gcc is missing: the pause image is compiled from Kubernetes' pause.c (apt-get install gcc libc6-dev)"
  require_go
  src=$(cd "$TOOLS/kubernetes" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go mod download -json k8s.io/kubernetes |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')/build/pause/linux/pause.c
  [[ -f "$src" ]] || die "the k8s.io/kubernetes module has no build/pause/linux/pause.c"
  stamp=$( (cat "$src" "$TOOLS/images/oci-archive.py" "$0"; gcc --version | head -1) | sha256sum | cut -c1-64)
  if [[ -f "$out.seb-stamp" && "$(cat "$out.seb-stamp")" == "$stamp" && -f "$out" ]]; then
    log "the pause image is up to date in ${out#"$ROOT"/}"
    return
  fi
  mkdir -p "$STATE/images"
  tmp=$(mktemp -d "$STATE/images/.pause.XXXXXX")
  trap 'rm -rf "$tmp"' RETURN
  mkdir "$tmp/root"
  gcc -Os -static -Wall -Werror -DVERSION="v$K8S_VERSION-seb" -o "$tmp/root/pause" "$src" ||
    die "compiling pause.c failed (a static build needs libc6-dev)"
  strip "$tmp/root/pause"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$tmp/root" -cf "$tmp/rootfs.tar" ./pause
  python3 "$TOOLS/images/oci-archive.py" --rootfs "$tmp/rootfs.tar" --out "$tmp/pause.tar" \
    --name seb.local/pause:3.10 --epoch 0 --entrypoint /pause --user 65535:65535 \
    --label org.opencontainers.image.title=seb-pause \
    --label "org.opencontainers.image.description=pause.c of k8s.io/kubernetes v$K8S_VERSION, static" \
    --created-by "gcc -static pause.c (seb tools/provision.sh)" >/dev/null ||
    die "writing the pause image's OCI archive failed (see above)"
  mv "$tmp/pause.tar" "$out"
  echo "$stamp" >"$out.seb-stamp"
  log "placed the pause image in ${out#"$ROOT"/}"
}

parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(kubernetes helm moto node)
mkdir -p "$STATE"
exec 9>"$STATE/provision.lock"
flock 9
start=$SECONDS
for part in "${parts[@]}"; do
  case $part in
    kubernetes) provision_kubernetes ;;
    helm) provision_helm ;;
    moto) provision_moto ;;
    node) provision_node ;;
    jre-base) provision_jre_base ;;
    *) die "unknown part '$part' (parts: kubernetes helm moto node jre-base)" ;;
  esac
done
log "test ground ready in $((SECONDS - start)) s"
