package drone_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

// Attributes that mavimo/drone v0.13 did not have, per resource type: the
// only ones a refresh after the migration may fill in.
var newAttributes = map[string][]string{
	"drone_repo":      {"throttle", "uid", "default_branch", "http_url", "ssh_url", "link", "active", "remove_on_destroy"},
	"drone_secret":    {"allow_push_on_pull_request", "value_wo", "value_wo_version", "events", "images"},
	"drone_orgsecret": {"value_wo", "value_wo_version"},
	"drone_cron":      {"target"},
	"drone_user":      {},
	"drone_template":  {},
}

// Attributes whose value changes meaning: mavimo stored the numeric cron id,
// the provider stores owner/repo/name.
var changedAttributes = map[string][]string{"drone_cron": {"id"}}

type planJSON struct {
	ResourceChanges []resourceChange `json:"resource_changes"`
	ResourceDrift   []resourceChange `json:"resource_drift"`
}

type resourceChange struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Change  struct {
		Actions []string       `json:"actions"`
		Before  map[string]any `json:"before"`
		After   map[string]any `json:"after"`
	} `json:"change"`
}

// migrate renders a fixture directory of testdata/mavimo-v0.13 (a
// configuration written for mavimo/drone v0.13 and the state file mavimo
// writes for it: SDKv2, schema version 0, its attribute names and ids), runs
// the documented migration with the real CLI and this provider (`terraform
// state replace-provider`, then init), and checks that the plan has no
// changes: nothing re-created, nothing updated; a refresh may only fill in
// attributes mavimo did not have. It then applies, checks that the next plan
// is empty too, and returns the resources' values in state.
func migrate(t *testing.T, fixture string, data map[string]any, resources int) map[string]map[string]any {
	dir := t.TempDir()
	// state.json.tmpl becomes terraform.tfstate (named so that .gitignore,
	// which ignores *.tfstate.*, keeps it).
	for src, dst := range map[string]string{"main.tf.tmpl": "main.tf", "state.json.tmpl": "terraform.tfstate"} {
		tmpl := template.Must(template.ParseFiles(filepath.Join("testdata", "mavimo-v0.13", fixture, src)))
		out, err := os.Create(filepath.Join(dir, dst))
		if err != nil {
			t.Fatal(err)
		}
		if err := tmpl.Execute(out, data); err != nil {
			t.Fatal(err)
		}
		_ = out.Close()
	}

	// One in-process provider serves every provider block of a directory
	// (with reattach Terraform does not start one per block), so each
	// fixture has a single provider configuration.
	tf := acctest.NewTerraformCLI(t, dir, "registry.terraform.io/galaxias/drone", providerserver.NewProtocol6(drone.New("test")()))
	// The documented order: replace the provider in state, then init (an
	// init before would look for mavimo/drone).
	tf.Run(t, []int{0}, "state", "replace-provider", "-auto-approve", "-no-color",
		"registry.terraform.io/mavimo/drone", "registry.terraform.io/galaxias/drone")
	tf.Run(t, []int{0}, "init", "-input=false", "-no-color")

	out, code := tf.Run(t, []int{0, 2}, "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan")
	show, _ := tf.Run(t, []int{0}, "show", "-json", "tfplan")
	var plan planJSON
	if err := json.Unmarshal([]byte(show), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.ResourceChanges) != resources {
		t.Errorf("want %d resources in the plan, got %d", resources, len(plan.ResourceChanges))
	}
	for _, rc := range plan.ResourceChanges {
		if !slices.Equal(rc.Change.Actions, []string{"no-op"}) {
			t.Errorf("%s: plan action %v after the migration, want no-op", rc.Address, rc.Change.Actions)
		}
	}
	for _, rc := range plan.ResourceDrift {
		allowed := append(newAttributes[rc.Type], changedAttributes[rc.Type]...)
		for k, after := range rc.Change.After {
			if before := rc.Change.Before[k]; !reflect.DeepEqual(before, after) && !slices.Contains(allowed, k) {
				t.Errorf("%s.%s changed on refresh: %v -> %v", rc.Address, k, before, after)
			}
		}
	}
	if code != 0 || t.Failed() {
		t.Fatalf("the plan after the migration is not empty:\n%s", out)
	}

	// An apply writes the state in this provider's shape; the next plan is
	// empty too.
	tf.Run(t, []int{0}, "apply", "-input=false", "-no-color", "-auto-approve")
	tf.Run(t, []int{0}, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	state, _ := tf.Run(t, []int{0}, "show", "-json")
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(state), &st); err != nil {
		t.Fatal(err)
	}
	values := map[string]map[string]any{}
	for _, r := range st.Values.RootModule.Resources {
		values[r.Address] = r.Values
	}
	return values
}

// checkValues compares attributes of resources in state with want.
func checkValues(t *testing.T, got map[string]map[string]any, want map[string]map[string]any) {
	t.Helper()
	for addr, attrs := range want {
		r, ok := got[addr]
		if !ok {
			t.Errorf("%s missing from state", addr)
			continue
		}
		for k, v := range attrs {
			if !reflect.DeepEqual(r[k], v) {
				t.Errorf("%s.%s = %v, want %v", addr, k, r[k], v)
			}
		}
	}
}

// A mavimo/drone v0.13 state of drone_repo, drone_secret, drone_orgsecret,
// drone_cron (without branch in the configuration) and drone_user, for
// objects that exist in the stack's Drone.
func TestAccMigrateFromMavimo(t *testing.T) {
	acctest.PreCheck(t)
	ns := acctest.Env(t, "GITEA_USER")

	// The objects, as mavimo/drone would have left them.
	slug := activeRepo(t)
	owner, repo, _ := strings.Cut(slug, "/")
	acctest.DroneDo(t, http.MethodPatch, acctest.DronePath(t, "api", "repos", owner, repo), map[string]any{"visibility": "private", "timeout": 60}, nil)
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "repos", owner, repo, "secrets"),
		map[string]any{"name": "docker_password", "data": "hunter2", "pull_request": true}, nil)
	orgSecret, _ := orgSecretNames(t, ns)
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "secrets", ns), map[string]any{"name": orgSecret, "data": "s3cret", "pull_request": true}, nil)
	var cron struct {
		ID int64 `json:"id"`
	}
	// mavimo/drone created a job without a branch on "master".
	acctest.DroneDo(t, http.MethodPost, cronPath(t, slug), map[string]any{"name": "nightly", "expr": "@daily", "branch": "master"}, &cron)
	login := newLogin(t, "robot")
	var robot struct {
		Token string `json:"token"`
	}
	acctest.DroneDo(t, http.MethodPost, "/api/users", map[string]any{"login": login, "machine": true}, &robot)

	got := migrate(t, "stack", map[string]any{
		"Repo": slug, "Namespace": ns, "OrgSecret": orgSecret, "CronID": fmt.Sprint(cron.ID),
		"Login": login, "Token": robot.Token,
	}, 5)
	checkValues(t, got, map[string]map[string]any{
		// what only the state knew, the machine user's token, is kept
		"drone_user.robot":             {"token": robot.Token, "id": login},
		"drone_cron.nightly":           {"id": slug + "/nightly", "target": "", "event": "push", "branch": "master"},
		"drone_orgsecret.registry":     {"id": ns + "/" + orgSecret, "namespace": ns, "value": "s3cret"},
		"drone_repo.app":               {"id": slug, "active": true, "remove_on_destroy": false, "visibility": "private"},
		"drone_secret.docker_password": {"id": slug + "/docker_password", "allow_on_pull_request": true, "value": "hunter2"},
	})
}

// A mavimo/drone v0.13 state of drone_template, against a stand-in for
// Drone 2 (the stack runs Drone 1.10, which has no templates). Needs the
// terraform binary, not the stack.
func TestMigrateFromMavimo_template(t *testing.T) {
	d2 := newFakeDrone2(t)
	d2.put("acme/pipeline.yaml", "kind: pipeline\nname: default\n")
	got := migrate(t, "drone2", map[string]any{"TemplateServer": d2.URL}, 1)
	checkValues(t, got, map[string]map[string]any{
		"drone_template.pipeline": {"id": "acme/pipeline.yaml", "namespace": "acme", "data": "kind: pipeline\nname: default\n"},
	})
	for _, c := range d2.requests() {
		if !strings.HasPrefix(c, "GET ") {
			t.Errorf("the migration wrote to Drone: %s", c)
		}
	}
}

// A mavimo/drone v0.13 state of the objects Drone 0.8 has (drone_repo,
// drone_secret, drone_user), against the Drone 0.8 fake: the same names and
// ids work there. Needs the terraform binary, not the stack.
func TestMigrateFromMavimo_drone08(t *testing.T) {
	f := fake08(t)
	do08(t, f, "GET", "/api/user/repos?flush=true", nil, nil)
	do08(t, f, "POST", "/api/repos/octocat/hello", nil, nil)
	do08(t, f, "PATCH", "/api/repos/octocat/hello", map[string]any{"visibility": "private"}, nil)
	f.PutSecret("octocat/hello", drone08.Secret{Name: "docker_password", Value: "hunter2",
		Events: []string{"push", "tag", "deployment", "pull_request"}})
	f.AddUser("robot", "robot-token")
	before := len(f.Writes())
	got := migrate(t, "drone08", map[string]any{"Server": f.URL}, 3)
	checkValues(t, got, map[string]map[string]any{
		"drone_repo.app":               {"id": "octocat/hello", "active": true, "visibility": "private", "timeout": float64(60)},
		"drone_secret.docker_password": {"id": "octocat/hello/docker_password", "allow_on_pull_request": true, "value": "hunter2"},
		"drone_user.robot":             {"id": "robot", "active": true, "admin": false, "machine": false},
	})
	if w := f.Writes(); len(w) != before {
		t.Errorf("the migration wrote to Drone: %v", w[before:])
	}
}
