// Command terraform-provider-galaxias serves the two provider families of this
// project, drone and galaxias, from one binary. The family is chosen by the
// executable's name: terraform-provider-drone serves registry address
// galaxias/drone, terraform-provider-galaxias serves galaxias/galaxias.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/galaxias/terraform-provider-galaxias/internal/provider"
	"github.com/galaxias/terraform-provider-galaxias/internal/provider/serve"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	var family string
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.StringVar(&family, "family", "", "provider family to serve (drone or galaxias); default: from the executable name")
	flag.Parse()

	if family == "" {
		var err error
		if family, err = provider.FamilyFromExecutable(os.Args[0]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	serve.QuietLogs(os.Environ(), os.Setenv, family)
	serve.TuneGC(os.Getenv)
	server, err := provider.Server(family, version)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(provider.Address(family), server, opts...); err != nil {
		log.Fatal(err)
	}
}
