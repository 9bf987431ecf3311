package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

const (
	galaxiasAdmin   = "admin"
	galaxiasTFAdmin = "tfadmin"
	// rockTokenExpire is the rock server's server.tokenExpire in the stack:
	// long enough that GALAXIAS_ROCK_TOKEN outlives a test run (the
	// re-implementation ships about one minute; tests of expiry start their
	// own server).
	rockTokenExpire = 24 * time.Hour
)

// galaxiasMain is the reference server's main package, relative to the root.
const galaxiasMain = "cmd/galaxias-server"

// galaxiasProcs are the processes galaxiasServers starts.
var galaxiasProcs = []string{"chartrepo", "etcd", "kube-apiserver", "galaxias", "galaxias-rock"}

func (l *Launcher) hasGalaxias() bool {
	_, err := os.Stat(l.path(galaxiasMain, "main.go"))
	return err == nil
}

// galaxiasServers builds and starts the chart repository, the Kubernetes
// API server (kube.go) and the reference server in both dialects, and fills
// the GALAXIAS_* and KUBE* fields of env. add records each started process.
func (l *Launcher) galaxiasServers(ctx context.Context, st *state, env *Env, add func(*proc, error) error) error {
	bin := l.cacheDir("bin")
	buildLog := l.cacheDir("logs", "build-galaxias-server.log")
	if err := l.run(ctx, l.Root, buildLog, nil, "go", "build", "-o", bin+string(os.PathSeparator),
		"./"+galaxiasMain, "./cmd/chartrepo"); err != nil {
		return stepErr("build galaxias-server, chartrepo", buildLog, err)
	}

	repo := fmt.Sprintf("http://127.0.0.1:%d", st.ChartRepoPort)
	l.logf("starting the chart repository on %s", repo)
	if err := add(l.startAndWait(ctx, "chartrepo", "chartrepo", request{method: "GET", url: repo + "/health"},
		"-listen", addrOf(repo), "-storage", l.stackDir("chartrepo"))); err != nil {
		return err
	}
	kc, err := l.kubeServers(ctx, st, add)
	if err != nil {
		return err
	}
	env.KubeconfigFile = l.stackDir("kube", "kubeconfig")
	if err := writeFileAtomic(env.KubeconfigFile, []byte(kc), 0o600); err != nil {
		return err
	}
	env.KubeAPIServer, env.KubeToken = fmt.Sprintf("https://127.0.0.1:%d", st.KubePort), st.KubeToken
	env.GalaxiasChartRepo = repo
	env.GalaxiasKubeconfig = kc
	env.GalaxiasRockKubeconfig = kc

	base := fmt.Sprintf("http://127.0.0.1:%d", st.GalaxiasPort)
	l.logf("starting the galaxias reference server on %s", base)
	p, err := l.startAndWait(ctx, "galaxias", "galaxias-server", request{method: "GET", url: base + "/health"},
		"-listen", addrOf(base), "-data", l.stackDir("galaxias"), "-chart-repo", repo, "-install",
		"-admin-name", galaxiasAdmin, "-admin-password", st.GalaxiasAdminPassword)
	if err := add(p, err); err != nil {
		return err
	}
	if err := galaxiasSetup(ctx, base, st, env); err != nil {
		return stepErr("galaxias users", p.log, err)
	}

	rock := fmt.Sprintf("http://127.0.0.1:%d", st.GalaxiasRockPort)
	l.logf("starting the galaxias reference server in the rock dialect on %s", rock)
	p, err = l.startAndWait(ctx, "galaxias-rock", "galaxias-server", request{method: "GET", url: rock + "/health"},
		"-dialect", "rock", "-token-expire", rockTokenExpire.String(),
		"-listen", addrOf(rock), "-data", l.stackDir("galaxias-rock"), "-chart-repo", repo, "-install",
		"-admin-name", galaxiasAdmin, "-admin-password", st.RockAdminPassword)
	if err := add(p, err); err != nil {
		return err
	}
	if err := rockSetup(ctx, rock, st, env); err != nil {
		return stepErr("galaxias (rock) users", p.log, err)
	}
	return nil
}

func addrOf(base string) string { return base[len("http://"):] }

// startAndWait starts one of the stack's own servers (binary in .cache/bin)
// under the name name, with its working directory .stack/<name>, and waits
// until ready answers 200.
func (l *Launcher) startAndWait(ctx context.Context, name, binary string, ready request, args ...string) (*proc, error) {
	dir := l.stackDir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p, err := l.start(name, dir, nil, l.cacheDir("bin", binary), args...)
	if err != nil {
		return nil, err
	}
	if err := waitFor(ctx, p, time.Minute, ready, 200); err != nil {
		return p, stepErr("wait for "+name, p.log, err)
	}
	return p, nil
}

// galaxiasSetup logs in as the bootstrap admin (GALAXIAS_TOKEN) and makes a
// second admin for username/password logins, which rotate that user's token.
func galaxiasSetup(ctx context.Context, base string, st *state, env *Env) error {
	token, err := galaxiasLogin(ctx, base, galaxiasAdmin, st.GalaxiasAdminPassword)
	if err != nil {
		return err
	}
	resp, err := do(ctx, request{method: "POST", url: base + "/v1/users", header: bearer(token),
		body: map[string]any{
			"name": galaxiasTFAdmin, "email": galaxiasTFAdmin + "@example.com",
			"password": st.GalaxiasTFPassword, "role": "admin",
		}})
	if err != nil {
		return err
	}
	if resp.status != http.StatusCreated {
		// On a restart the user exists already: its saved password must work.
		if _, lerr := galaxiasLogin(ctx, base, galaxiasTFAdmin, st.GalaxiasTFPassword); lerr != nil {
			return fmt.Errorf("%w (and %v)", resp.errorf("create user "+galaxiasTFAdmin), lerr)
		}
	}
	env.GalaxiasEndpoint, env.GalaxiasToken = base, token
	env.GalaxiasUsername, env.GalaxiasPassword = galaxiasTFAdmin, st.GalaxiasTFPassword
	return nil
}

// rockSetup does the same on the rock-dialect server, in its dialect: users
// have a role_id (1 is admin) and a required email, and creation answers 200.
func rockSetup(ctx context.Context, base string, st *state, env *Env) error {
	token, err := galaxiasLogin(ctx, base, galaxiasAdmin, st.RockAdminPassword)
	if err != nil {
		return err
	}
	resp, err := do(ctx, request{method: "POST", url: base + "/v1/users", header: bearer(token),
		body: map[string]any{
			"name": galaxiasTFAdmin, "email": galaxiasTFAdmin + "@example.com",
			"password": st.RockTFPassword, "role_id": 1,
		}})
	if err != nil {
		return err
	}
	if resp.status != http.StatusOK {
		var e struct {
			Code int `json:"error_code"`
		}
		_ = json.Unmarshal(resp.body, &e)
		if e.Code != 40000009 && e.Code != 40000001 { // not "email/user exists" (a restart)
			return resp.errorf("create user " + galaxiasTFAdmin)
		}
		// Its saved password must work. (A login within the second of the
		// user's last token fails on this server: wait one second then.)
		if _, lerr := galaxiasLogin(ctx, base, galaxiasTFAdmin, st.RockTFPassword); lerr != nil {
			time.Sleep(1100 * time.Millisecond)
			if _, lerr := galaxiasLogin(ctx, base, galaxiasTFAdmin, st.RockTFPassword); lerr != nil {
				return fmt.Errorf("%w (and %v)", resp.errorf("create user "+galaxiasTFAdmin), lerr)
			}
		}
	}
	env.GalaxiasRockEndpoint, env.GalaxiasRockToken = base, token
	env.GalaxiasRockUsername, env.GalaxiasRockPassword = galaxiasTFAdmin, st.RockTFPassword
	return nil
}

// galaxiasLogin returns the user's new token, from the JSON body or the cookie.
func galaxiasLogin(ctx context.Context, base, name, password string) (string, error) {
	resp, err := do(ctx, request{method: "POST", url: base + "/v1/auth/login",
		body: map[string]string{"name": name, "password": password}})
	if err != nil {
		return "", err
	}
	if resp.status != http.StatusOK {
		return "", resp.errorf("log in as " + name)
	}
	var out struct {
		Token string `json:"token"`
	}
	_ = resp.decode(&out)
	if out.Token != "" {
		return out.Token, nil
	}
	for _, c := range (&http.Response{Header: resp.header}).Cookies() {
		if c.Name == "token" && c.Value != "" {
			return c.Value, nil
		}
	}
	return "", fmt.Errorf("log in as %s: no token in the answer", name)
}
