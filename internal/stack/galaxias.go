package stack

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"
)

const (
	galaxiasAdmin   = "admin"
	galaxiasTFAdmin = "tfadmin"
)

// galaxiasMain is the reference server's main package, relative to the root.
const galaxiasMain = "cmd/galaxias-server"

func (l *Launcher) hasGalaxias() bool {
	_, err := os.Stat(l.path(galaxiasMain, "main.go"))
	return err == nil
}

// galaxias builds and starts the reference server and fills the GALAXIAS_*
// fields of env.
func (l *Launcher) galaxias(ctx context.Context, st *state, env *Env) (*proc, error) {
	bin := l.cacheDir("bin", "galaxias-server")
	buildLog := l.cacheDir("logs", "build-galaxias-server.log")
	if err := l.run(ctx, l.Root, buildLog, nil, "go", "build", "-o", bin, "./"+galaxiasMain); err != nil {
		return nil, stepErr("build galaxias-server", buildLog, err)
	}
	data := l.stackDir("galaxias")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", st.GalaxiasPort)
	p, err := l.start("galaxias", data, nil, bin, "-listen", addr, "-data", data,
		"-admin-name", galaxiasAdmin, "-admin-password", st.GalaxiasAdminPassword)
	if err != nil {
		return nil, err
	}
	logPath := p.log
	base := "http://" + addr
	if err := waitFor(ctx, p, time.Minute, request{method: "GET", url: base + "/health"}, 200); err != nil {
		return p, stepErr("wait for galaxias", logPath, err)
	}
	if err := galaxiasSetup(ctx, base, st, env); err != nil {
		return p, stepErr("galaxias users", logPath, err)
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
