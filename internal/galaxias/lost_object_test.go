package galaxias_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// lostWorld is a reference server of one dialect behind a proxy that fails
// the requests fail selects (answering 500) while failing is on; the
// provider talks to the proxy.
type lostWorld struct {
	api      *client.Client
	provider string
	failing  atomic.Bool
	failed   atomic.Int64
}

func newLostWorld(t *testing.T, dialect string, fail func(r *http.Request, body []byte) bool) *lostWorld {
	t.Helper()
	srv := refservertest.Start(t, refserver.Options{Dialect: dialect})
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	w := &lostWorld{}
	rp := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if w.failing.Load() && fail(r, body) {
			w.failed.Add(1)
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusInternalServerError)
			_, _ = rw.Write([]byte(`{"code":50000,"message":"injected fault"}`))
			return
		}
		rp.ServeHTTP(rw, r)
	}))
	t.Cleanup(proxy.Close)
	w.api, err = client.New(client.Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword})
	if err != nil {
		t.Fatal(err)
	}
	w.provider = fmt.Sprintf(`provider "galaxias" {
  endpoint = %q
  username = %q
  password = %q
}
`, proxy.URL, refservertest.AdminName, refservertest.AdminPassword)
	return w
}

// users counts the server's users of that name.
func (w *lostWorld) users(t *testing.T, name string) ([]client.User, error) {
	t.Helper()
	all, err := w.api.ListUsers(context.Background(), name)
	if err != nil {
		return nil, err
	}
	var named []client.User
	for _, u := range all {
		if u.Name == name {
			named = append(named, u)
		}
	}
	return named, nil
}

// galaxias_user logs the new user in after POST /v1/users. When that login
// fails, the user exists: it is saved (tainted), and the next apply
// replaces it instead of creating a second user of the same name.
func TestAccLostObject_user(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	for _, dialect := range []string{refserver.DialectContract, refserver.DialectRock} {
		t.Run(dialect, func(t *testing.T) {
			name := acctest.Name("lost")
			w := newLostWorld(t, dialect, func(r *http.Request, body []byte) bool {
				return r.Method == http.MethodPost && r.URL.Path == "/v1/auth/login" && bytes.Contains(body, []byte(name))
			})
			addr := "galaxias_user.u"
			cfg := w.provider + fmt.Sprintf(`
resource "galaxias_user" "u" {
  name        = %q
  email       = "%s@example.com"
  role        = "developer"
  password_wo = "Demo-secret-1"
}`, name, name)
			var firstID int64
			one := func(what string) error {
				us, err := w.users(t, name)
				if err != nil {
					return err
				}
				if len(us) != 1 {
					return fmt.Errorf("%s: the server has %d users named %q, want 1: %+v", what, len(us), name, us)
				}
				return nil
			}
			failed := resource.TestStep{
				PreConfig:   func() { w.failing.Store(true) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)logging in as "` + regexp.QuoteMeta(name) + `".*failed`),
			}
			checkFailed := func() {
				w.failing.Store(false)
				if w.failed.Load() == 0 {
					t.Fatal("no login of the new user was failed")
				}
				if err := one("after the failed create"); err != nil {
					t.Fatal(err)
				}
				us, _ := w.users(t, name)
				firstID = us[0].ID
			}
			if dialect == refserver.DialectRock {
				// The re-implementation never lets a new user take a deleted
				// user's name: the plan to replace the tainted user fails
				// and says to untaint it; nothing is created.
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Steps: []resource.TestStep{failed, {
						PreConfig:   checkFailed,
						Config:      cfg,
						ExpectError: regexp.MustCompile(`(?s)a tainted user.*terraform untaint`),
					}, {
						// Still one user; and it is in state: removing it from the
						// configuration deletes it.
						PreConfig: func() {
							if err := one("after the refused replacement"); err != nil {
								t.Fatal(err)
							}
						},
						Config: w.provider, // the user leaves the configuration
						Check: func(*terraform.State) error {
							us, err := w.users(t, name)
							if err != nil || len(us) != 0 {
								return fmt.Errorf("destroy left %+v (%v): the user was not in state", us, err)
							}
							return nil
						},
					}},
				})
				return
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{
					failed,
					{
						PreConfig: checkFailed,
						Config:    cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							// in state and tainted: replaced, not created again
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
						}},
						Check: func(s *terraform.State) error {
							if err := one("after the next apply"); err != nil {
								return err
							}
							if id := stateID(s, addr); id == firstID {
								return fmt.Errorf("the state still holds user %d, which the apply should have replaced", id)
							}
							if s.RootModule().Resources[addr].Primary.Attributes["token"] == "" {
								return fmt.Errorf("the replacement has no token")
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// galaxias_deployment posts the deployment, then (on a server that deploys
// asynchronously) polls GET /v1/deployments/{id}. When that read fails, the
// deployment exists: it is saved (tainted), the server has exactly one, and
// the next apply replaces it with one new deployment (a replacement of a
// deployment is a new deployment record: two in all, never three).
func TestAccLostObject_deployment(t *testing.T) {
	fault, err := refserver.ParseFault("route=GET /v1/deployments/*,kind=500")
	if err != nil {
		t.Fatal(err)
	}
	w, provider := asyncWorld(t, 300*time.Millisecond, "replicaCount: 1\n", fault)
	addr := "galaxias_deployment.d"
	var firstID int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      w.config(provider, w.versions[0], `  timeouts = { create = "30s" }`),
				ExpectError: regexp.MustCompile(`(?s)Failed to create galaxias_deployment.*deploying .*` + regexp.QuoteMeta(w.versions[0]) + `.*500`),
			},
			{
				PreConfig: func() {
					w.setFaults(t) // none
					ds := must[[]client.Deployment](t)(w.api.ListDeployments(context.Background(), client.DeploymentFilter{AppID: w.app.ID}))
					if len(ds) != 1 {
						t.Fatalf("after the failed create the server has %d deployments, want 1", len(ds))
					}
					firstID = ds[0].ID
				},
				Config: w.config(provider, w.versions[0], `  timeouts = { create = "30s" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// in state and tainted: replaced, not posted again as new
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(w.expect(t, w.versions[0], 2), func(s *terraform.State) error {
					if id := stateID(s, addr); id == firstID {
						return fmt.Errorf("the state still holds deployment %d", id)
					}
					return nil
				}),
			},
		},
	})
}
