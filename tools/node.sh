#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, from what tools/provision.sh built and
# installed (no image is pulled from any registry): etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, containerd (with runc and the CNI bridge plugin), kube-proxy (iptables) and a
# kubelet registered as the one node, all as processes of this machine, all state under DIR.
#
# usage: tools/node.sh up DIR          start the cluster, wait for the node to be Ready;
#                                      DIR/admin.kubeconfig is then a cluster-admin kubeconfig
#        tools/node.sh import DIR TAR...   import OCI/Docker image archives into the node's containerd
#        tools/node.sh down DIR        stop everything and remove what it made outside DIR (mounts,
#                                      network namespaces, the bridge, iptables chains, cgroups)
#        tools/node.sh check           exit 0 if this machine can run the node, else print why (exit 3)
#
# Needs root (containers, mounts, iptables). One node cluster runs on a machine at a time: it uses
# the bridge seb0, the pod network 10.244.0.0/24, the kubelet's and kube-proxy's fixed ports.
# Component logs stay in DIR/logs; `down` keeps DIR itself (and the logs) for the caller to remove.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KUBE_API_TEST_DIR=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}
K8S_VERSION=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { sub(/^v/, "", $3); print $3 }' "$ROOT/tools/kubernetes/go.mod")
BIN="$KUBE_API_TEST_DIR/k8s/$K8S_VERSION-linux-amd64"
NODE_NAME=seb-node
BRIDGE=seb0
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/24
KUBERNETES_SERVICE_IP=10.96.0.1
PAUSE_IMAGE=seb.local/pause:3.10
PAUSE_TAR="$ROOT/.seb/images/pause.tar"
OWNER=/run/seb-node/owner
MARKER=.seb-node

log() { printf '[node] %s\n' "$*" >&2; }
die() {
  printf '[node] error: %s\n' "$*" >&2
  exit 1
}

# Prints why this machine cannot run the node, or nothing.
why_not() {
  [[ $(uname -s) == Linux ]] || { echo "not Linux"; return; }
  [[ $(id -u) -eq 0 ]] || { echo "not root: containers, mounts and iptables need root"; return; }
  [[ -d /sys/fs/cgroup/memory || -f /sys/fs/cgroup/cgroup.controllers ]] || { echo "no memory cgroup mounted"; return; }
  grep -qw overlay /proc/filesystems || { echo "the kernel has no overlayfs"; return; }
  local b
  for b in containerd containerd-shim-runc-v2 runc ctr iptables ip; do
    command -v "$b" >/dev/null 2>&1 || { echo "no $b (tools/provision.sh node installs it)"; return; }
  done
  [[ -x /usr/lib/cni/bridge ]] || { echo "no CNI plugins in /usr/lib/cni (tools/provision.sh node installs them)"; return; }
  for b in kube-apiserver etcd kubectl kubelet kube-controller-manager kube-scheduler kube-proxy; do
    [[ -x "$BIN/$b" ]] || { echo "no $b in $BIN (tools/provision.sh builds it)"; return; }
  done
  [[ -f "$PAUSE_TAR" ]] || { echo "no pause image in ${PAUSE_TAR#"$ROOT"/} (tools/provision.sh node builds it)"; return; }
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

host_ip() { ip -4 route get 1.1.1.1 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "src") { print $(i + 1); exit } }'; }

# cert <name> <subject> [san]: a key and a certificate signed by the cluster CA
cert() {
  local name=$1 subject=$2 san=${3:-} ext
  ext=$(mktemp)
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -n "$san" ]] && echo "subjectAltName=$san"
  } >"$ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" \
    -subj "$subject" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 2 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$ext" "$PKI/$name.csr"
}

kubeconfig() {
  local name=$1 server=$2
  cat >"$DIR/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: seb-node
  cluster:
    certificate-authority: $PKI/ca.crt
    server: $server
users:
- name: $name
  user:
    client-certificate: $PKI/$name.crt
    client-key: $PKI/$name.key
contexts:
- name: seb-node
  context: {cluster: seb-node, user: $name}
current-context: seb-node
EOF
}

# start <name> <command...>: runs a component in the background, its output in DIR/logs/<name>.log
start() {
  local name=$1
  shift
  # not holding the machine lock (fd 8) that `up` takes while it decides who runs
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null 8>&- &
  echo $! >"$DIR/pids/$name"
}

wait_for() {
  local what=$1 seconds=$2 log=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "$what not within ${seconds}s; last lines of ${log}:"
      tail -n 30 "$log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

kubectl_admin() { "$BIN/kubectl" --kubeconfig "$DIR/admin.kubeconfig" "$@"; }

up() {
  local reason
  reason=$(why_not)
  [[ -z "$reason" ]] || { echo "$reason" >&2; exit 3; }
  [[ ! -e "$DIR/pids" ]] || die "$DIR already holds a node; run 'tools/node.sh down $DIR' first"
  # one node per machine, decided under a machine-wide lock: a node whose API server (or whose
  # `up`) still runs is refused; what a dead one left (its test JVM was killed, say) is torn down
  mkdir -p "$(dirname "$OWNER")"
  exec 8>"$(dirname "$OWNER")/lock"
  flock -w 300 8 || die "another tools/node.sh up holds $(dirname "$OWNER")/lock"
  local owner
  owner=$(cat "$OWNER" 2>/dev/null || true)
  if [[ -n "$owner" && "$owner" != "$DIR" ]]; then
    if [[ -f "$owner/pids/kube-apiserver" ]] && kill -0 "$(cat "$owner/pids/kube-apiserver")" 2>/dev/null; then
      die "another seb node runs on this machine, in $owner (tools/node.sh down $owner stops it)"
    fi
    log "tearing down what the node in $owner left"
    (DIR=$owner; PKI=$owner/pki; down)
  fi
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    die "the bridge $BRIDGE exists, not made by a seb node this script knows of: delete it (ip link delete $BRIDGE) if it is a leftover"
  fi
  echo "$DIR" >"$OWNER"
  # from here on DIR is a node's: `down` works on nothing else
  touch "$DIR/$MARKER"
  mkdir -p "$DIR"/{pki,logs,pids,cni,etcd,containerd/root,containerd/state,kubelet,ipam}
  local t0=$SECONDS ip etcd_port etcd_peer api_port sched_port kcm_port
  ip=$(host_ip)
  [[ -n "$ip" ]] || die "no IPv4 route off this machine: the node needs an address to advertise"
  echo "$ip" >"$DIR/node-ip"
  etcd_port=$(free_port)
  etcd_peer=$(free_port)
  api_port=$(free_port)
  sched_port=$(free_port)
  kcm_port=$(free_port)

  PKI="$DIR/pki"
  openssl req -x509 -new -newkey rsa:2048 -nodes -days 2 \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -subj "/CN=seb-node-ca" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" \
    "IP:$ip,IP:127.0.0.1,IP:$KUBERNETES_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=seb-node-admin"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
  cert kube-controller-manager "/CN=system:kube-controller-manager"
  cert kube-scheduler "/CN=system:kube-scheduler"
  cert kube-proxy "/CN=system:kube-proxy"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/sa.key" 2>/dev/null
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  local server="https://$ip:$api_port" n
  for n in admin kubelet kube-controller-manager kube-scheduler kube-proxy; do kubeconfig "$n" "$server"; done

  log "starting etcd and kube-apiserver ($server)"
  start etcd "$BIN/etcd" --data-dir "$DIR/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "default=http://127.0.0.1:$etcd_peer"
  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 0.0.0.0 --secure-port "$api_port" --advertise-address "$ip" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --profiling=false ${SEB_NODE_APISERVER_FLAGS:-}
  wait_for "kube-apiserver ready" 90 "$DIR/logs/kube-apiserver.log" kubectl_admin get --raw /readyz

  log "starting kube-controller-manager, kube-scheduler and containerd"
  start kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$DIR/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$DIR/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$DIR/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --leader-elect=false \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --use-service-account-credentials=true --service-cluster-ip-range "$SERVICE_CIDR" \
    --controllers '*,-bootstrapsigner,-tokencleaner,-csrsigning,-csrapproving,-nodeipam'
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$DIR/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$DIR/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$DIR/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$sched_port" --leader-elect=false

  cat >"$DIR/cni/10-seb.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "seb", "plugins": [
  {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$DIR/ipam", "ranges": [[{"subnet": "$POD_CIDR"}]],
            "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}},
  {"type": "loopback"}]}
EOF
  cat >"$DIR/containerd/config.toml" <<EOF
version = 2
root = "$DIR/containerd/root"
state = "$DIR/containerd/state"
[grpc]
  address = "$DIR/containerd/containerd.sock"
[ttrpc]
  address = "$DIR/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # the kubelet asks for oom_score_adj below this process's own, which needs CAP_SYS_RESOURCE
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$DIR/cni"
EOF
  start containerd containerd --config "$DIR/containerd/config.toml"
  wait_for "containerd" 30 "$DIR/logs/containerd.log" ctr_k8s version
  import "$PAUSE_TAR"

  # pod traffic to Services crosses the bridge: iptables must see it
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.ipv4.ip_forward=1 || true

  cat >"$DIR/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
failCgroupV1: false
containerRuntimeEndpoint: unix://$DIR/containerd/containerd.sock
resolvConf: /etc/resolv.conf
readOnlyPort: 0
serializeImagePulls: false
evictionHard: {memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
localStorageCapacityIsolation: false
syncFrequency: 10s
fileCheckFrequency: 10s
shutdownGracePeriod: 0s
podLogsDir: $DIR/pod-logs
EOF
  log "starting the kubelet ($NODE_NAME) and kube-proxy"
  start kubelet "$BIN/kubelet" --config "$DIR/kubelet.yaml" --kubeconfig "$DIR/kubelet.kubeconfig" \
    --hostname-override "$NODE_NAME" --node-ip "$ip" --root-dir "$DIR/kubelet" --cert-dir "$DIR/kubelet/pki"
  start kube-proxy "$BIN/kube-proxy" --kubeconfig "$DIR/kube-proxy.kubeconfig" \
    --hostname-override "$NODE_NAME" --proxy-mode iptables --cluster-cidr "$POD_CIDR" \
    --conntrack-max-per-core 0 --metrics-bind-address "127.0.0.1:$(free_port)" --healthz-bind-address "127.0.0.1:$(free_port)"

  wait_for "node $NODE_NAME Ready" 120 "$DIR/logs/kubelet.log" \
    kubectl_admin wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
  wait_for "the default ServiceAccount" 60 "$DIR/logs/kube-controller-manager.log" \
    kubectl_admin get serviceaccount default -n default
  log "node $NODE_NAME Ready in $((SECONDS - t0)) s; as cluster admin: $BIN/kubectl --kubeconfig $DIR/admin.kubeconfig get nodes"
  exec 8>&-
}

ctr_k8s() { ctr --address "$DIR/containerd/containerd.sock" --namespace k8s.io "$@"; }

import() {
  local tar
  for tar in "$@"; do
    [[ -f "$tar" ]] || die "no image archive $tar"
    ctr_k8s images import "$tar" >/dev/null || die "containerd could not import $tar"
  done
  # an archive may name its image the short way (seb/broker:1.0); the kubelet asks for it by its
  # normalized name (docker.io/seb/broker:1.0), so that name is added
  local name full
  for name in $(ctr_k8s images ls -q); do
    [[ $name == sha256:* ]] && continue
    case ${name%%/*} in *.* | *:* | localhost) continue ;; esac
    if [[ $name == */* ]]; then full=docker.io/$name; else full=docker.io/library/$name; fi
    ctr_k8s images tag --force "$name" "$full" >/dev/null || die "containerd could not name $name $full"
  done
}

# Kills a component by its pid file and waits for it to end.
stop() {
  local f="$DIR/pids/$1" pid
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

down() {
  if [[ ! -f "$DIR/$MARKER" || "$DIR" == / ]]; then
    log "$DIR holds no node that tools/node.sh started; nothing to tear down"
    return 0
  fi
  local sock="$DIR/containerd/containerd.sock" pid c tasks=()
  [[ -d "$DIR/containerd/state/io.containerd.runtime.v2.task/k8s.io" ]] &&
    mapfile -t tasks < <(ls "$DIR/containerd/state/io.containerd.runtime.v2.task/k8s.io")
  stop kubelet
  stop kube-proxy
  # every container: the shims of this containerd and what runs under them
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $sock( |$)" || true); do
    pkill -KILL -P "$pid" 2>/dev/null || true
  done
  local id
  for id in "${tasks[@]}"; do
    for c in /sys/fs/cgroup/*/k8s.io/"$id" /sys/fs/cgroup/k8s.io/"$id"; do
      [[ -d "$c" ]] || continue
      find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    done
  done
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $sock( |$)" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  # runc and the CNI plugins keep state outside containerd's directories, per container/sandbox
  for id in "${tasks[@]}"; do
    rm -rf "/run/containerd/runc/k8s.io/$id" /var/lib/cni/results/*-"$id"-* 2>/dev/null || true
  done
  stop containerd
  stop kube-scheduler
  stop kube-controller-manager
  stop kube-apiserver
  stop etcd
  # whatever else runs from DIR (a component whose pid file is gone)
  local proc cmdline
  for proc in /proc/[0-9]*; do
    cmdline=$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null) || continue
    pid=${proc#/proc/}
    if [[ $cmdline == *"$DIR/"* && $pid != "$$" && $pid != "$PPID" ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  # network namespaces whose sandboxes lived on the bridge, the bridge, and the rules around it
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep '^cni-' || true); do
    if ip netns exec "$ns" ip -4 addr 2>/dev/null | grep -q "inet ${POD_CIDR%.*}\."; then ip netns delete "$ns" || true; fi
  done
  ip link delete "$BRIDGE" 2>/dev/null || true
  if [[ -x "$BIN/kube-proxy" ]]; then "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
  local chain
  for chain in $(iptables -t nat -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^CNI-/ { print $2 }'); do
    iptables -t nat -S POSTROUTING | awk -v c="$chain" '$0 ~ "-j " c "( |$)" { sub(/^-A/, "-D"); print }' |
      while read -r rule; do eval "iptables -t nat $rule" || true; done
    iptables -t nat -F "$chain" 2>/dev/null || true
    iptables -t nat -X "$chain" 2>/dev/null || true
  done
  # mounts under DIR (overlay snapshots, pod volumes, sandbox shm), deepest first
  local m
  for m in $(awk -v d="$DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  # the containers' cgroups, deepest first
  for id in "${tasks[@]}"; do
    for c in /sys/fs/cgroup/*/k8s.io/"$id" /sys/fs/cgroup/k8s.io/"$id"; do
      [[ -d "$c" ]] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
  done
  rm -rf "$DIR/pids" "$DIR/$MARKER"
  [[ "$(cat "$OWNER" 2>/dev/null)" != "$DIR" ]] || rm -f "$OWNER"
  log "node in $DIR torn down (logs kept in $DIR/logs)"
}

cmd=${1:-}
case $cmd in
  check)
    reason=$(why_not)
    [[ -z "$reason" ]] || { echo "$reason"; exit 3; }
    ;;
  up | down | import)
    [[ $# -ge 2 ]] || die "usage: tools/node.sh $cmd DIR"
    mkdir -p "$2"
    DIR=$(cd "$2" && pwd)
    PKI="$DIR/pki"
    shift 2
    if [[ $cmd == up ]]; then
      # not `up || ...`: that would switch off set -e inside up; a failing step ends the script
      trap 'rc=$?; if [[ $rc -ne 0 && $rc -ne 3 ]]; then log "the node did not come up; tearing down (logs kept in $DIR/logs)"; down; fi' EXIT
      up
      trap - EXIT
    else
      "$cmd" "$@"
    fi
    ;;
  *) die "usage: tools/node.sh up|down|import DIR [TAR...] | check" ;;
esac
