package galaxias_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// rtProjectHCL is a galaxias_project "p".
func rtProjectHCL(name string) string {
	return fmt.Sprintf(`
resource "galaxias_project" "p" {
  name = %q
}
`, name)
}

func TestAccProvider_wrongToken(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "galaxias" {
  token       = "not-a-galaxias-token"
  max_retries = 0
}` + rtProjectHCL(acctest.Name("wrongtok")),
			PlanOnly:    true,
			ExpectError: rtWords("Cannot use the Galaxias API", "refused the token (401)", "401"),
		}},
	})
}

func TestAccProvider_usernamePassword(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	user, password := acctest.Env(t, "GALAXIAS_USERNAME"), acctest.Env(t, "GALAXIAS_PASSWORD")
	name := acctest.Name("login")
	provider := func(password string) string {
		return fmt.Sprintf(`
provider "galaxias" {
  username = %q
  password = %q
}`, user, password)
	}
	var id int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetProject(ctx, id); !client.IsNotFound(err) {
				return fmt.Errorf("project %d: want 404 after destroy, got %v", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:   provider("wrong-password") + rtProjectHCL(name),
				PlanOnly: true,
				// 401 on the contract, 400 40000003 on the re-implementation
				ExpectError: rtWords("refused the login: wrong username or password", `logging in as "`+user+`" failed`),
			},
			{
				Config: provider(password) + rtProjectHCL(name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("galaxias_project.p", tfjsonpath.New("name"), knownvalue.StringExact(name)),
				},
				Check: func(s *terraform.State) error {
					id = stateID(s, "galaxias_project.p")
					p, err := api.GetProject(ctx, id)
					if err != nil || p.Name != name {
						return fmt.Errorf("server has %+v, %v", p, err)
					}
					return nil
				},
			},
		},
	})
}

func TestProvider_unreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	_ = l.Close()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "galaxias" {
  endpoint    = %q
  token       = "t"
  max_retries = 0
}`, closed) + rtProjectHCL("p"),
			PlanOnly:    true,
			ExpectError: rtWords("Galaxias at "+closed+" is unreachable", "connection refused", "Check endpoint or GALAXIAS_ENDPOINT"),
		}},
	})
}

// A 500 that carries an application error code is the server's verdict (the
// re-implementation answers validation failures so): the provider fails at
// once with the server's message, without the retries a transient 5xx gets.
func TestProvider_permanentAnswerNotRetried(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":"Key: 'PageReq.PageNum' Error:Field validation for 'PageNum' failed on the 'required' tag","error_code":50000007}`))
	}))
	defer srv.Close()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "galaxias" {
  endpoint    = %q
  token       = "t"
  max_retries = 4
}`, srv.URL) + rtProjectHCL("p"),
			PlanOnly:    true,
			ExpectError: rtWords("500", "PageNum", "failed on the 'required' tag"),
		}},
	})
	// Configure runs for validation and for the plan; each may ask once.
	if n := requests.Load(); n < 1 || n > 2 {
		t.Fatalf("%d requests: a permanent 500 must not be retried (max_retries = 4)", n)
	}
}

// A developer may not create clusters: the server's 403 reaches the user and
// nothing is recorded, neither on the server nor in state.
func TestAccProvider_roleRefusal(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	devName, devPassword := acctest.Name("dev"), "developer-password"
	dev, err := api.CreateUser(ctx, client.UserInput{Name: devName, Password: devPassword, Role: client.RoleDeveloper,
		Email: devName + "@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteUser(ctx, dev.ID) })
	login, err := api.LoginAs(ctx, devName, devPassword)
	if err != nil {
		t.Fatal(err)
	}
	project, cluster := acctest.Name("role"), acctest.Name("rolecl")
	clusterHCL := fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name   = %q
  config = %q
}`, cluster, rtKubeconfig("role"))
	// The contract refuses with 403; the re-implementation with 401 and
	// its own code.
	refusal := rtWords("Failed to create galaxias_cluster", "403", "role developer may not POST /v1/clusters", "40300001")
	if acctest.IsRock(t) {
		refusal = rtWords("Failed to create galaxias_cluster", "401",
			"Permission denied, only system_tools_admin or admin role can do this operation", "40100001")
	}
	var projectID int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: rtProjectHCL(project),
				Check:  func(s *terraform.State) error { projectID = stateID(s, "galaxias_project.p"); return nil },
			},
			{ // as the developer (who may read the project)
				Config: fmt.Sprintf(`
provider "galaxias" {
  token = %q
}`, login.Token) + rtProjectHCL(project) + clusterHCL,
				ExpectError: refusal,
			},
			{ // back as the admin: the state still holds the project only, unchanged
				PreConfig: func() {
					list, err := api.ListClusters(ctx, cluster)
					if err != nil || len(list) != 0 {
						t.Errorf("clusters named %s: %+v, %v; want none", cluster, list, err)
					}
					if p, err := api.GetProject(ctx, projectID); err != nil || p.Name != project {
						t.Errorf("project %d: %+v, %v", projectID, p, err)
					}
				},
				Config:   rtProjectHCL(project),
				PlanOnly: true, // fails unless the plan is empty: no cluster in state
			},
		},
	})
}
