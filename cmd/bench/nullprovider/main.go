// Command nullprovider serves internal/bench/nullprovider, a provider without
// an API that the benchmark (cmd/bench) builds as terraform-provider-benchnull.
// It is served the way the real providers are (tfx.QuietLogs, tfx.TuneGC and
// tfx.ContextGuard), so that it is their floor; BENCHNULL_CONTEXT_GUARD=off
// serves the bare framework server, to show what the guard saves.
package main

import (
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/galaxias/terraform-provider-galaxias/internal/bench/nullprovider"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

func main() {
	tfx.QuietLogs(os.Environ(), os.Setenv, "benchnull")
	tfx.TuneGC(os.Getenv)
	factory := func() tfprotov6.ProviderServer {
		s := providerserver.NewProtocol6(nullprovider.New())()
		if os.Getenv("BENCHNULL_CONTEXT_GUARD") == "off" {
			return s
		}
		return tfx.ContextGuard(s, tfx.SweepEvery)
	}
	if err := tf6server.Serve(nullprovider.Address, factory); err != nil {
		log.Fatal(err)
	}
}
