#!/bin/sh
# mmdebstrap customize hook for seb's JRE base image: $1 is the root filesystem being built.
# Adds the non-root user seb's applications run as, and removes what a build leaves behind that
# differs from one build to the next (logs, caches, backup files).
set -eu
root=$1
here=$(dirname "$0")

grep -q '^nonroot:' "$root/etc/passwd" ||
  echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin' >>"$root/etc/passwd"
grep -q '^nonroot:' "$root/etc/group" || echo 'nonroot:x:65532:' >>"$root/etc/group"
if [ -f "$root/etc/shadow" ] && ! grep -q '^nonroot:' "$root/etc/shadow"; then
  echo 'nonroot:!:0::::::' >>"$root/etc/shadow"
fi
mkdir -p "$root/home/nonroot"
chown 65532:65532 "$root/home/nonroot"
chmod 0750 "$root/home/nonroot"

rm -rf "$root"/var/log/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
  "$root"/var/cache/ldconfig/aux-cache "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* \
  "$root"/etc/machine-id "$root"/etc/ssh/ssh_host_*
# keytool stamps each certificate with the time it was added: one fixed date instead
python3 "$here/jks-fixed-dates.py" "$root/etc/ssl/certs/java/cacerts" "${SOURCE_DATE_EPOCH:?}"
# the package manager is not needed at run time (variant essential has no apt; dpkg stays so
# scanners can read /var/lib/dpkg/status)
# no setuid or setgid programs (su, newgrp, ...): nothing in seb's images changes identity
find "$root" -xdev -type f -perm /6000 -exec chmod ug-s {} +
