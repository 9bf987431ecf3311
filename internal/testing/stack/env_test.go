package stack

import (
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestEnvVarsAndShell(t *testing.T) {
	e := &Env{DroneServer: "http://127.0.0.1:1", GiteaPassword: "it's", StackDir: "/s"}
	var names []string
	for _, v := range e.Vars() {
		names = append(names, v.Name)
	}
	want := []string{"DRONE_SERVER", "DRONE_TOKEN", "DRONE_NONADMIN_LOGIN", "DRONE_NONADMIN_TOKEN",
		"GITEA_URL", "GITEA_USER", "GITEA_PASSWORD", "GITEA_TOKEN", "GITEA_NONADMIN_USER", "GITEA_NONADMIN_TOKEN",
		"TF_CLI_CONFIG_FILE", "TF_CLI_CONFIG_FILE_MIRROR", "STACK_DIR"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("names without galaxias:\n got %v\nwant %v", names, want)
	}
	e.GalaxiasEndpoint = "http://g"
	if got := len(e.Vars()); got != len(want)+1 {
		t.Fatalf("with GALAXIAS_ENDPOINT set: %d vars, want %d", got, len(want)+1)
	}

	// The shell file must give back the exact values, quotes included.
	out, err := exec.Command("sh", "-c", e.Shell()+`printf '%s|%s' "$GITEA_PASSWORD" "$DRONE_SERVER"`).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "it's|http://127.0.0.1:1" {
		t.Fatalf("sourced values: %q", out)
	}
	if !strings.HasPrefix(e.Shell(), "export DRONE_SERVER='http://127.0.0.1:1'\n") {
		t.Fatalf("shell text: %q", e.Shell())
	}
}

func TestWriteLoad(t *testing.T) {
	dir := t.TempDir()
	e := &Env{DroneServer: "http://d", DroneToken: "t", GalaxiasToken: "g", StackDir: dir,
		GalaxiasRockEndpoint: "http://r", GalaxiasRockKubeconfig: "apiVersion: v1\nkind: 'Config'\n"}
	if err := e.write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *e {
		t.Fatalf("Load: got %+v, want %+v", got, e)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("Load of a missing dir: no error")
	}
}
