package drone_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	dronego "github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// faultyDrone is a proxy in front of DRONE_SERVER that answers 500 to the
// requests fail selects while failing is on.
type faultyDrone struct {
	URL     string
	failing atomic.Bool
	failed  atomic.Int64
}

func newFaultyDrone(t *testing.T, fail func(r *http.Request) bool) *faultyDrone {
	t.Helper()
	target, err := url.Parse(acctest.Env(t, "DRONE_SERVER"))
	if err != nil {
		t.Fatal(err)
	}
	fd := &faultyDrone{}
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fd.failing.Load() && fail(r) {
			fd.failed.Add(1)
			http.Error(w, `{"message":"injected fault"}`, http.StatusInternalServerError)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	fd.URL = srv.URL
	return fd
}

// drone_user with active = false creates the user (POST /api/users), then
// deactivates it (PATCH /api/users/{login}). When the PATCH fails, the user
// exists: it is saved (tainted), and the next apply replaces it rather than
// posting a user that Drone already has.
func TestAccLostObject_droneUser(t *testing.T) {
	acctest.PreCheck(t)
	login := newLogin(t, "lost")
	userPath := acctest.DronePath(t, "api", "users", login)
	fd := newFaultyDrone(t, func(r *http.Request) bool {
		return r.Method == http.MethodPatch && r.URL.Path == userPath
	})
	addr := "drone_user.u"
	cfg := `
provider "drone" {
  server = "` + fd.URL + `"
}
` + userConfig(login, "  active = false")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { fd.failing.Store(true) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)complete the creation of.*injected fault`),
			},
			{
				PreConfig: func() {
					fd.failing.Store(false)
					if fd.failed.Load() == 0 {
						t.Fatal("no PATCH of the new user was failed")
					}
					// Drone has the user, still active.
					if err := checkUser(t, login, false, true, false)(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// in state and tainted: replaced, not created again
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: checkUser(t, login, false, false, false),
			},
		},
	})
}

// drone_repo enables the repository (POST /api/repos/{owner}/{name}), then
// patches its settings. When the patch fails, and so does the read that
// follows it, the repository is enabled: it is saved (tainted), from
// Drone's answer to the enable, and the next apply replaces it.
func TestAccLostObject_droneRepo(t *testing.T) {
	acctest.PreCheck(t)
	slug := acctest.GiteaAdmin(t).CreateRepo(t, acctest.Name("lost"))
	owner, name, _ := strings.Cut(slug, "/")
	repoPath := acctest.DronePath(t, "api", "repos", owner, name)
	fd := newFaultyDrone(t, func(r *http.Request) bool {
		return (r.Method == http.MethodPatch || r.Method == http.MethodGet) && r.URL.Path == repoPath
	})
	addr := "drone_repo.r"
	cfg := `
provider "drone" {
  server = "` + fd.URL + `"
}
` + repoConfig(slug, "  timeout = 90")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { fd.failing.Store(true) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)complete the creation of.*updating its settings.*injected fault`),
			},
			{
				PreConfig: func() {
					fd.failing.Store(false)
					if fd.failed.Load() < 2 {
						t.Fatalf("%d requests failed, want the PATCH and the GET of %s", fd.failed.Load(), slug)
					}
					if err := checkRepo(t, slug, func(r *dronego.Repo) error {
						if !r.Active {
							return fmt.Errorf("%s is not active after the enable", slug)
						}
						return nil
					})(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// in state and tainted: replaced, not created again
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: checkRepo(t, slug, func(r *dronego.Repo) error {
					if !r.Active || r.Timeout != 90 {
						return fmt.Errorf("drone has active=%v timeout=%d, want true 90", r.Active, r.Timeout)
					}
					return nil
				}),
			},
		},
	})
}

// drone_cron with disabled = true creates the job (POST .../cron), then
// patches it. When the patch fails, the job exists: it is saved (tainted),
// and the next apply replaces it; Drone never holds two jobs of that name.
func TestAccLostObject_droneCron(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	const job = "nightly"
	fd := newFaultyDrone(t, func(r *http.Request) bool {
		return r.Method == http.MethodPatch && r.URL.Path == cronPath(t, slug, job)
	})
	addr := "drone_cron.c"
	cfg := `
provider "drone" {
  server = "` + fd.URL + `"
}
` + cronConfig(slug, job, "0 0 2 * * *", "  branch   = \"main\"\n  disabled = true")
	jobs := func(wantDisabled bool) error {
		var list []droneCron
		if err := acctest.Drone(t).Do(context.Background(), http.MethodGet, cronPath(t, slug), nil, &list); err != nil {
			return err
		}
		if len(list) != 1 || list[0].Name != job || list[0].Disabled != wantDisabled {
			return fmt.Errorf("drone has the jobs %+v, want one %q with disabled=%v", list, job, wantDisabled)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { fd.failing.Store(true) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)complete the creation of.*injected fault`),
			},
			{
				PreConfig: func() {
					fd.failing.Store(false)
					if fd.failed.Load() == 0 {
						t.Fatal("no PATCH of the new job was failed")
					}
					if err := jobs(false); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(*terraform.State) error { return jobs(true) },
			},
		},
	})
}
