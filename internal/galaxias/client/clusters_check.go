package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// KubeCheckTimeoutError is a cluster create that got no answer in time
// from a server that first calls the cluster's API server named in the
// kubeconfig and waits for it without a time limit (the re-implementation:
// its create hangs as long as that API server does). The provider does not
// post again: a second request would wait the same way, and both could make
// a cluster once the API server answers.
type KubeCheckTimeoutError struct {
	Name   string        // the cluster's name
	Server string        // the kubeconfig's API server, "" if unknown (the caller may fill it in)
	Waited time.Duration // how long the request waited
	Err    error         // the transport's error
}

func (e *KubeCheckTimeoutError) Error() string {
	server := "the cluster's API server named in the kubeconfig"
	if e.Server != "" {
		server = "the cluster's API server " + e.Server
	}
	return fmt.Sprintf("galaxias: POST /v1/clusters got no answer within %s (%v). To create a cluster, this Galaxias "+
		"server first calls %s (GET /api/v1/nodes) and waits for it without a time limit: Galaxias could not reach "+
		"that API server, or it did not answer in time. The request was not sent again (another one would wait the "+
		"same way, and could make a second cluster once the API server answers).\n\n"+
		"Check that the Galaxias server can reach %s (the address in the kubeconfig, the network and firewalls "+
		"between them) and that it answers, then apply again; a slow API server may need a longer `request_timeout` "+
		"in the provider configuration. Galaxias may still be waiting: should it get an answer later, it creates "+
		"the cluster %q anyway, and the next apply reports that the name exists: then import that cluster instead.",
		e.Waited.Round(100*time.Millisecond), e.Err, server, orDefault(e.Server, "the API server"), e.Name)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// timedOut reports an attempt that ended because it waited too long (the
// per-attempt timeout), not because the operation's context ended.
func timedOut(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}
