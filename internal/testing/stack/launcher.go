package stack

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
)

// module is the module path of the repository the launcher works in.
const module = "github.com/galaxias/terraform-provider-galaxias"

// Launcher builds and runs the stack for one repository checkout.
type Launcher struct {
	Root string    // repository root (holds go.mod, tools/, .cache/, .stack/)
	Out  io.Writer // progress messages; nil means os.Stderr
}

// FindRoot walks up from dir to the folder whose go.mod declares module.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module "+module+"\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the " + module + " repository")
		}
		dir = parent
	}
}

func (l *Launcher) logf(format string, args ...any) {
	w := l.Out
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, "stack: "+format+"\n", args...)
}

func (l *Launcher) path(elem ...string) string {
	return filepath.Join(append([]string{l.Root}, elem...)...)
}

// StackDir is where the running stack keeps its data, logs and pids.
func (l *Launcher) StackDir() string { return l.path(".stack") }

func (l *Launcher) cacheDir(elem ...string) string {
	return l.path(append([]string{".cache"}, elem...)...)
}

func (l *Launcher) stackDir(elem ...string) string {
	return l.path(append([]string{".stack"}, elem...)...)
}

// StepError tells which step of a command failed and where its log is.
type StepError struct {
	Step string
	Log  string
	Err  error
}

func (e *StepError) Error() string {
	if e.Log == "" {
		return fmt.Sprintf("step %q failed: %v", e.Step, e.Err)
	}
	return fmt.Sprintf("step %q failed: %v\n  log: %s", e.Step, e.Err, e.Log)
}

func (e *StepError) Unwrap() error { return e.Err }

func stepErr(step, log string, err error) error {
	if err == nil {
		return nil
	}
	var se *StepError
	if errors.As(err, &se) {
		return err
	}
	return &StepError{Step: step, Log: log, Err: err}
}

// state is what survives a restart: ports and generated secrets, so that the
// data kept in .stack/ stays usable.
type state struct {
	GiteaPort             int    `json:"gitea_port"`
	DronePort             int    `json:"drone_port"`
	GalaxiasPort          int    `json:"galaxias_port"`
	GalaxiasRockPort      int    `json:"galaxias_rock_port"`
	ChartRepoPort         int    `json:"chart_repo_port"`
	KubePort              int    `json:"kube_port"`
	EtcdPort              int    `json:"etcd_port"`
	EtcdPeerPort          int    `json:"etcd_peer_port"`
	KubeToken             string `json:"kube_token"`
	GiteaAdminPassword    string `json:"gitea_admin_password"`
	GiteaDevPassword      string `json:"gitea_developer_password"`
	GiteaSecretKey        string `json:"gitea_secret_key"`
	DroneRPCSecret        string `json:"drone_rpc_secret"`
	DroneDBSecret         string `json:"drone_database_secret"`
	DroneAdminToken       string `json:"drone_admin_token"`
	DroneDevToken         string `json:"drone_developer_token"`
	GalaxiasAdminPassword string `json:"galaxias_admin_password"`
	GalaxiasTFPassword    string `json:"galaxias_tfadmin_password"`
	RockAdminPassword     string `json:"galaxias_rock_admin_password"`
	RockTFPassword        string `json:"galaxias_rock_tfadmin_password"`
}

const stateFile = "state.json"

// loadState reads the saved state and fills in whatever is missing.
func (l *Launcher) loadState() (*state, error) {
	st := new(state)
	b, err := os.ReadFile(l.stackDir(stateFile))
	switch {
	case err == nil:
		if err := json.Unmarshal(b, st); err != nil {
			return nil, fmt.Errorf("%s: %w (remove it with: go run ./cmd/stack down -purge)", l.stackDir(stateFile), err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	for _, f := range []struct {
		p *string
		n int
	}{
		{&st.GiteaAdminPassword, 24}, {&st.GiteaDevPassword, 24}, {&st.GiteaSecretKey, 40},
		{&st.DroneRPCSecret, 32}, {&st.DroneAdminToken, 32}, {&st.DroneDevToken, 32},
		{&st.GalaxiasAdminPassword, 24}, {&st.GalaxiasTFPassword, 24}, {&st.KubeToken, 32},
	} {
		if *f.p == "" {
			*f.p = randomString(f.n, alnum)
		}
	}
	if st.DroneDBSecret == "" {
		st.DroneDBSecret = randomString(32, "0123456789abcdef")
	}
	// The rock dialect takes 6 to 20 characters of at least two kinds.
	for _, p := range []*string{&st.RockAdminPassword, &st.RockTFPassword} {
		if *p == "" {
			*p = "Rk" + randomString(14, alnum)
		}
	}
	return st, nil
}

func (l *Launcher) saveState(st *state) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(l.stackDir(stateFile), append(b, '\n'), 0o600)
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomString returns n characters drawn uniformly from chars.
func randomString(n int, chars string) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(chars)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b[i] = chars[k.Int64()]
	}
	return string(b)
}
