package reliability_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	droneclient "github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

// words matches the given phrases in order; Terraform wraps long messages,
// so a space matches any white space.
func words(phrases ...string) *regexp.Regexp {
	q := make([]string, len(phrases))
	for i, p := range phrases {
		q[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(q, `.*`))
}

// TestAccRejections_galaxiasUpdate: updates that the server refuses — a
// rename onto a taken name (409) and a change by a role that may not make
// it (403) — show the server's message and change nothing, neither on the
// server nor in state (the next plan with the old configuration is empty).
// TestAccEnvironment_duplicate and TestAccProvider_roleRefusal cover
// creates.
func TestAccRejections_galaxiasUpdate(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	ctx := context.Background()
	gx := startGalaxias(t, refserver.Options{})
	name, taken := acctest.Name("rej"), acctest.Name("taken")
	if _, err := gx.API.CreateProject(ctx, client.ProjectInput{Name: taken}); err != nil {
		t.Fatal(err)
	}
	if _, err := gx.API.CreateUser(ctx, client.UserInput{Name: name + "-dep", Password: "deployer-password", Role: client.RoleDeployer}); err != nil {
		t.Fatal(err)
	}
	dep, err := gx.API.LoginAs(ctx, name+"-dep", "deployer-password")
	if err != nil {
		t.Fatal(err)
	}
	provider := func(token string) string {
		return fmt.Sprintf("provider \"galaxias\" {\n  endpoint = %q\n  token = %q\n}\n", gx.URL, token)
	}
	project := func(name, description string) string {
		return fmt.Sprintf("resource \"galaxias_project\" \"p\" {\n  name = %q\n  description = %q\n}\n", name, description)
	}
	var id int64
	unchanged := func() {
		p, err := gx.API.GetProject(ctx, id)
		if err != nil || p.Name != name || p.Description != "one" {
			t.Errorf("project %d on the server: %+v (%v), want %s / one", id, p, err, name)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider(gx.Token) + project(name, "one"),
				Check: func(s *terraform.State) error {
					_, err := fmt.Sscan(s.RootModule().Resources["galaxias_project.p"].Primary.ID, &id)
					return err
				},
			},
			{
				Config:      provider(gx.Token) + project(taken, "one"),
				ExpectError: words("Failed to update galaxias_project", "409", "a project with this name already exists"),
			},
			{PreConfig: unchanged, Config: provider(gx.Token) + project(name, "one"), PlanOnly: true},
			{
				Config:      provider(dep.Token) + project(name, "two"),
				ExpectError: words("Failed to update galaxias_project", "403", "role deployer may not PUT /v1/projects/"),
			},
			{PreConfig: unchanged, Config: provider(gx.Token) + project(name, "one"), PlanOnly: true},
		},
	})
}

// TestAccRejections_droneRole: a Drone token of a user who is not a system
// admin cannot create users; Drone's 403 reaches the user and nothing is
// created, on the server or in state.
func TestAccRejections_droneRole(t *testing.T) {
	acctest.PreCheck(t)
	bot := acctest.Name("bot")
	var created struct {
		Token string `json:"token"`
	}
	acctest.DroneDo(t, http.MethodPost, "/api/users", map[string]any{"login": bot, "machine": true, "active": true}, &created)
	acctest.CleanupDrone(t, acctest.DronePath(t, "api", "users", bot))
	if created.Token == "" {
		t.Fatal("Drone answered no token for the machine user")
	}
	victim := acctest.Name("victim")
	acctest.CleanupDrone(t, acctest.DronePath(t, "api", "users", victim))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token = %q\n}\nresource \"drone_user\" \"u\" {\n  login = %q\n}\n",
					acctest.Env(t, "DRONE_SERVER"), created.Token, victim),
				ExpectError: words("drone answered 403 Forbidden"),
			},
			{ // nothing was recorded: no resource in state, no user in Drone
				Config: "provider \"drone\" {}\n",
				Check: func(s *terraform.State) error {
					if n := len(s.RootModule().Resources); n != 0 {
						return fmt.Errorf("state holds %d resources after a refused create", n)
					}
					err := acctest.Drone(t).Do(context.Background(), http.MethodGet, acctest.DronePath(t, "api", "users", victim), nil, nil)
					if !droneclient.IsNotFound(err) {
						return fmt.Errorf("GET user %s after a refused create: %v, want 404", victim, err)
					}
					return nil
				},
			},
		},
	})
}
