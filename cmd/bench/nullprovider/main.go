// Command nullprovider serves cmd/bench/internal/nullprovider, a provider without
// an API that the benchmark (cmd/bench) builds as terraform-provider-benchnull.
// It is served the way the real providers are (serve.QuietLogs, serve.TuneGC and
// serve.ContextGuard), so that it is their floor; BENCHNULL_CONTEXT_GUARD=off
// serves the bare framework server, to show what the guard saves.
package main

import (
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/galaxias/terraform-provider-galaxias/cmd/bench/internal/nullprovider"
	"github.com/galaxias/terraform-provider-galaxias/internal/provider/serve"
)

func main() {
	serve.QuietLogs(os.Environ(), os.Setenv, "benchnull")
	serve.TuneGC(os.Getenv)
	factory := func() tfprotov6.ProviderServer {
		s := providerserver.NewProtocol6(nullprovider.New())()
		if os.Getenv("BENCHNULL_CONTEXT_GUARD") == "off" {
			return s
		}
		return serve.ContextGuard(s, serve.SweepEvery)
	}
	if err := tf6server.Serve(nullprovider.Address, factory); err != nil {
		log.Fatal(err)
	}
}
