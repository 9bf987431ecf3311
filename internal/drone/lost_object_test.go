package drone_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

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
