package galaxias_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// Twelve Terraform runs at once with the same username and password. Each
// login replaces the user's token, and the re-implementation takes only one
// login of a user per second (the second within the same second is
// answered 500): colliding logins are retried with random pauses, and a run
// whose token another run replaced logs in again. Every apply and every
// destroy must succeed (before the retries, about half of them failed).
func TestAccProvider_concurrentRunsOneUser(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	if testing.Short() {
		t.Skip("twelve concurrent Terraform runs")
	}
	api := acctest.Galaxias(t)
	ctx := context.Background()
	// A user of its own: the runs' logins must not log out other tests.
	user, password := acctest.Name("conc"), "Conc-secret-1"
	u, err := api.CreateUser(ctx, client.UserInput{Name: user, Password: password, Email: user + "@example.com", Role: client.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteUser(ctx, u.ID) })

	const runs = 12
	names := make([]string, runs)
	clis := make([]*acctest.TerraformCLI, runs)
	for i := range runs {
		dir := t.TempDir()
		names[i] = acctest.Name(fmt.Sprintf("conc%d", i))
		cfg := acctest.ProviderSource("galaxias") + fmt.Sprintf(`
provider "galaxias" {
  username = %q
  password = %q
}
%s`, user, password, rtProjectHCL(names[i]))
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		clis[i] = acctest.NewTerraformCLI(t, dir, rtProviderAddress(), providerserver.NewProtocol6(galaxias.New("test")()))
		clis[i].Run(t, []int{0}, "init", "-input=false", "-no-color")
	}
	all := func(args ...string) {
		t.Helper()
		results := make([]*tfcli.Result, runs)
		errs := make([]error, runs)
		var wg sync.WaitGroup
		for i := range runs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = clis[i].CLI.Run(ctx, args...)
			}()
		}
		wg.Wait()
		failed := 0
		for i := range runs {
			if errs[i] != nil || results[i].ExitCode != 0 {
				failed++
				t.Errorf("run %d: %v %s", i, errs[i], results[i])
			}
		}
		if failed > 0 {
			t.Fatalf("terraform %v: %d of %d concurrent runs failed", args, failed, runs)
		}
	}
	t.Cleanup(func() {
		for _, n := range names {
			if ps, err := api.ListProjects(ctx, n); err == nil {
				for _, p := range ps {
					if p.Name == n {
						_ = api.DeleteProject(ctx, p.ID)
					}
				}
			}
		}
	})

	all("apply", "-auto-approve", "-input=false", "-no-color")
	for _, n := range names {
		ps, err := api.ListProjects(ctx, n)
		if err != nil || len(ps) != 1 || ps[0].Name != n {
			t.Fatalf("project %q after the applies: %+v %v", n, ps, err)
		}
	}
	all("destroy", "-auto-approve", "-input=false", "-no-color")
	for _, n := range names {
		if ps, err := api.ListProjects(ctx, n); err != nil || len(ps) != 0 {
			t.Fatalf("project %q after the destroys: %+v %v", n, ps, err)
		}
	}
}
