// Package stack builds and runs the local test stack: a real Gitea, a real
// Drone server wired to it, and the Galaxias reference server. It writes the
// connection details to .stack/env (shell) and .stack/stack.json (Go, see Load).
package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// Env is what a running stack offers. The JSON names are the environment
// variable names written to .stack/env.
type Env struct {
	DroneServer        string `json:"DRONE_SERVER"`
	DroneToken         string `json:"DRONE_TOKEN"`
	DroneNonadminLogin string `json:"DRONE_NONADMIN_LOGIN"`
	DroneNonadminToken string `json:"DRONE_NONADMIN_TOKEN"`

	GiteaURL           string `json:"GITEA_URL"`
	GiteaUser          string `json:"GITEA_USER"`
	GiteaPassword      string `json:"GITEA_PASSWORD"`
	GiteaToken         string `json:"GITEA_TOKEN"`
	GiteaNonadminUser  string `json:"GITEA_NONADMIN_USER"`
	GiteaNonadminToken string `json:"GITEA_NONADMIN_TOKEN"`

	// The Galaxias fields are empty when the reference server was not started.
	GalaxiasEndpoint string `json:"GALAXIAS_ENDPOINT,omitempty"`
	GalaxiasToken    string `json:"GALAXIAS_TOKEN,omitempty"`
	GalaxiasUsername string `json:"GALAXIAS_USERNAME,omitempty"`
	GalaxiasPassword string `json:"GALAXIAS_PASSWORD,omitempty"`
	// GalaxiasChartRepo is the ChartMuseum-compatible chart repository both
	// reference servers read; GalaxiasKubeconfig a kubeconfig for the stack's
	// Kubernetes API server (KubeAPIServer), which the rock dialect checks
	// clusters against and both dialects install releases into.
	GalaxiasChartRepo  string `json:"GALAXIAS_CHART_REPO,omitempty"`
	GalaxiasKubeconfig string `json:"GALAXIAS_KUBECONFIG,omitempty"`
	// The reference server in the rock dialect (the public re-implementation's
	// answers): its endpoint, a token of its bootstrap admin, a second admin
	// for user/password logins, and a kubeconfig it accepts.
	GalaxiasRockEndpoint   string `json:"GALAXIAS_ROCK_ENDPOINT,omitempty"`
	GalaxiasRockToken      string `json:"GALAXIAS_ROCK_TOKEN,omitempty"`
	GalaxiasRockUsername   string `json:"GALAXIAS_ROCK_USERNAME,omitempty"`
	GalaxiasRockPassword   string `json:"GALAXIAS_ROCK_PASSWORD,omitempty"`
	GalaxiasRockKubeconfig string `json:"GALAXIAS_ROCK_KUBECONFIG,omitempty"`

	// The stack's Kubernetes API server (kube-apiserver on etcd, no
	// kubelet): its address, its bearer token and the kubeconfig file that
	// kubectl, helm and client-go read (the text of GALAXIAS_KUBECONFIG).
	KubeAPIServer  string `json:"KUBE_API_SERVER,omitempty"`
	KubeToken      string `json:"KUBE_TOKEN,omitempty"`
	KubeconfigFile string `json:"KUBECONFIG,omitempty"`

	TFCLIConfigFile       string `json:"TF_CLI_CONFIG_FILE"`
	TFCLIConfigFileMirror string `json:"TF_CLI_CONFIG_FILE_MIRROR"`
	StackDir              string `json:"STACK_DIR"`
}

// envVar is one environment variable.
type envVar struct{ Name, Value string }

// Vars lists the variables in a fixed order, leaving out empty optional ones.
func (e *Env) Vars() []envVar {
	v := reflect.ValueOf(e).Elem()
	var out []envVar
	for i := 0; i < v.NumField(); i++ {
		name, opts, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		val := v.Field(i).String()
		if val == "" && opts == "omitempty" {
			continue
		}
		out = append(out, envVar{name, val})
	}
	return out
}

// Shell renders the variables as export lines with single-quoted values.
func (e *Env) Shell() string {
	var b strings.Builder
	for _, v := range e.Vars() {
		fmt.Fprintf(&b, "export %s=%s\n", v.Name, shellQuote(v.Value))
	}
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// envFile and jsonFile are the names of the files written into the stack dir.
const (
	envFile  = "env"
	jsonFile = "stack.json"
)

// Load reads stack.json from a stack directory (normally <repo>/.stack).
func Load(dir string) (*Env, error) {
	b, err := os.ReadFile(filepath.Join(dir, jsonFile))
	if err != nil {
		return nil, err
	}
	e := new(Env)
	if err := json.Unmarshal(b, e); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, jsonFile), err)
	}
	return e, nil
}

// write stores env and stack.json in dir, each through a temporary file.
func (e *Env) write(dir string) error {
	j, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, jsonFile), append(j, '\n'), 0o600); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, envFile), []byte(e.Shell()), 0o600)
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
