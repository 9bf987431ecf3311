// Command provider-schema writes the schemas of both provider families, as
// `terraform providers schema -json` would with a Terraform that knows every
// kind of schema the provider serves (resource identities, list resources),
// asked from the providers' protocol servers in this process. scripts/docs.sh
// feeds it to tfplugindocs. A development tool: it is not part of the
// provider binary.
//
//	go run ./cmd/provider-schema [-o schema.json]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/internal/provider"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/schemajson"
)

func main() {
	out := flag.String("o", "", "write to this file instead of standard output")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "provider-schema:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	servers := map[string]tfprotov6.ProviderServer{}
	for _, family := range provider.Families() {
		newServer, err := provider.Server(family, "dev")
		if err != nil {
			return err
		}
		servers[provider.Address(family)] = newServer()
	}
	schemas, err := schemajson.Export(context.Background(), servers)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(schemas, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if out == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(out, data, 0o600)
}
