//go:build tools

// Package tools pins the etcd server that seb's provisioning step builds.
package tools

import _ "go.etcd.io/etcd/server/v3"
