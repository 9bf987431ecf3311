//go:build tools

// Package tools pins kube-apiserver, the Kubernetes API server the local
// stack runs (on etcd, without kubelet: objects are stored and served, pods
// never run). internal/testing/stack builds it into .cache/tools/kube-apiserver.
// Build: go build -o kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
//
// k8s.io/kubernetes replaces its staging modules with ./staging/...; a module
// that requires it must replace each of them with its published version
// (v0.35.4 for v1.35.4), listed below.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
