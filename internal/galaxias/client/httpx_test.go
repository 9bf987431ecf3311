package client

import (
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The client on the project's shared transport: retried GETs under faults,
// the last error answer decoded, and a dropped deployment POST not repeated.
func TestWithSharedTransport(t *testing.T) {
	srv := refservertest.Start(t, refserver.Options{})
	hc, err := httpx.New(httpx.Options{MaxRetries: 3, WaitMin: 10 * time.Millisecond, WaitMax: 50 * time.Millisecond, Timeout: 10 * time.Second})
	check(t, err)
	c, err := New(Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword, HTTPClient: hc})
	check(t, err)
	x := ctx(t)
	w := newWorld(t, c, "shared")

	refservertest.SetFaults(t, srv.URL, c.Token(), "route=GET /v1/projects,kind=503,limit=1", "route=GET /v1/envs,kind=500")
	must[[]Project](t)(c.ListProjects(x, ""))
	_, err = c.ListEnvs(x, "")
	wantStatus(t, err, 500)

	refservertest.SetFaults(t, srv.URL, c.Token(), "route=POST /v1/deployments,kind=drop-after,limit=1")
	d := must[*Deployment](t)(c.CreateDeployment(x, w.deployable))
	if l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: w.app.ID})); len(l) != 1 || l[0].ID != d.ID {
		t.Fatalf("want exactly one deployment, got %+v", l)
	}
}
