// Command nullprovider serves internal/bench/nullprovider, a provider without
// an API that the benchmark (cmd/bench) builds as terraform-provider-benchnull.
// With BENCHNULL_CONTEXT_GUARD=1 it serves through nullprovider.ContextGuard.
package main

import (
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/galaxias/terraform-provider-galaxias/internal/bench/nullprovider"
)

func main() {
	factory := func() tfprotov6.ProviderServer {
		s := providerserver.NewProtocol6(nullprovider.New())()
		if os.Getenv("BENCHNULL_CONTEXT_GUARD") == "1" {
			return nullprovider.ContextGuard(s)
		}
		return s
	}
	if err := tf6server.Serve(nullprovider.Address, factory); err != nil {
		log.Fatal(err)
	}
}
