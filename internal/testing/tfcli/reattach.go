package tfcli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve serves providers (by registry address, such as
// "registry.terraform.io/galaxias/drone") in this process, as
// terraform-plugin-testing does, until ctx is cancelled. It returns the
// value of TF_REATTACH_PROVIDERS that makes a CLI use them, and wait, which
// returns once every server has stopped after ctx is cancelled.
func Serve(ctx context.Context, providers map[string]func() tfprotov6.ProviderServer) (reattachEnv string, wait func(), err error) {
	type addr struct{ Network, String string }
	reattach := map[string]any{}
	var stopped []chan struct{}
	wait = func() {
		for _, c := range stopped {
			<-c
		}
	}
	serveErrs := make(chan error, len(providers))
	for address, provider := range providers {
		ch := make(chan *plugin.ReattachConfig, 1)
		closed := make(chan struct{})
		go func() {
			if err := tf6server.Serve(address, provider, tf6server.WithDebug(ctx, ch, closed),
				tf6server.WithoutLogStderrOverride(), tf6server.WithGoPluginLogger(hclog.NewNullLogger())); err != nil {
				serveErrs <- fmt.Errorf("serving %s: %w", address, err)
			}
		}()
		var rc *plugin.ReattachConfig
		select {
		case rc = <-ch:
		case err := <-serveErrs:
			return "", wait, err
		case <-time.After(30 * time.Second):
			return "", wait, errors.New("timeout waiting for the in-process provider " + address)
		}
		stopped = append(stopped, closed)
		reattach[address] = map[string]any{
			"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
			"Addr": addr{rc.Addr.Network(), rc.Addr.String()},
		}
	}
	cfg, err := json.Marshal(reattach)
	return string(cfg), wait, err
}
