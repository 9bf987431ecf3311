package stack

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/gitea"
)

const (
	giteaAdmin     = "gitea_admin"
	giteaDeveloper = "developer"
)

func giteaINI(dir string, port int, secretKey string) string {
	return fmt.Sprintf(`APP_NAME = stack
RUN_MODE = prod
WORK_PATH = %[1]s

[server]
PROTOCOL = http
DOMAIN = 127.0.0.1
HTTP_ADDR = 127.0.0.1
HTTP_PORT = %[2]d
ROOT_URL = http://127.0.0.1:%[2]d/
APP_DATA_PATH = %[1]s/data
DISABLE_SSH = true
START_SSH_SERVER = false
OFFLINE_MODE = true
LFS_START_SERVER = false

[database]
DB_TYPE = sqlite3
PATH = %[1]s/data/gitea.db

[repository]
ROOT = %[1]s/repos

[security]
INSTALL_LOCK = true
SECRET_KEY = %[3]s

[service]
DISABLE_REGISTRATION = true

[webhook]
ALLOWED_HOST_LIST = *

[actions]
ENABLED = false

[mailer]
ENABLED = false

[cron.update_checker]
ENABLED = false

[log]
MODE = console
LEVEL = info
`, dir, port, secretKey)
}

// gitea starts Gitea and fills the GITEA_* fields of env.
func (l *Launcher) gitea(ctx context.Context, bin string, st *state, env *Env) (*proc, error) {
	const step = "start gitea"
	dir := l.stackDir("gitea")
	logPath := l.stackDir("logs", "gitea.log")
	for _, d := range []string{"custom/conf", "data", "repos"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, stepErr(step, "", err)
		}
	}
	src, err := l.moduleDir(ctx, giteaTool, "code.gitea.io/gitea")
	if err != nil {
		return nil, stepErr(step, "", err)
	}
	for _, name := range []string{"options", "templates"} {
		link := filepath.Join(dir, name)
		_ = os.Remove(link)
		if err := os.Symlink(filepath.Join(src, name), link); err != nil {
			return nil, stepErr(step, "", err)
		}
	}
	ini := filepath.Join(dir, "custom", "conf", "app.ini")
	if err := os.WriteFile(ini, []byte(giteaINI(dir, st.GiteaPort, st.GiteaSecretKey)), 0o600); err != nil {
		return nil, stepErr(step, "", err)
	}
	rootEnv := []string{"GITEA_I_AM_BEING_UNSAFE_RUNNING_AS_ROOT=true", "GITEA_WORK_DIR=" + dir, "HOME=" + dir}
	global := []string{"--work-path", dir, "--config", ini}
	giteaCmd := func(step string, args ...string) error {
		return stepErr(step, logPath, l.run(ctx, dir, logPath, rootEnv, bin, append(global, args...)...))
	}
	if err := giteaCmd("gitea migrate", "migrate"); err != nil {
		return nil, err
	}
	err = giteaCmd("gitea admin user create", "admin", "user", "create", "--username", giteaAdmin,
		"--password", st.GiteaAdminPassword, "--email", giteaAdmin+"@example.com",
		"--admin", "--must-change-password=false")
	if err != nil && !strings.Contains(err.Error(), "already exists") {
		return nil, err
	}

	p, err := l.start("gitea", dir, rootEnv, bin, append(global, "web")...)
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", st.GiteaPort)
	if err := waitFor(ctx, p, 2*time.Minute, request{method: "GET", url: base + "/api/v1/version"}, 200); err != nil {
		return p, stepErr("wait for gitea", logPath, err)
	}
	env.GiteaURL, env.GiteaUser, env.GiteaPassword = base, giteaAdmin, st.GiteaAdminPassword
	admin := &gitea.Client{URL: base, User: giteaAdmin, Password: st.GiteaAdminPassword, HTTP: httpClient}
	if env.GiteaToken, err = admin.CreateToken(ctx); err != nil {
		return p, stepErr("gitea admin token", logPath, err)
	}

	// The non-admin user, created through the admin API; on a restart it exists already.
	admin = &gitea.Client{URL: base, Token: env.GiteaToken, HTTP: httpClient}
	_, err = admin.Expect(ctx, http.MethodPost, "/admin/users", map[string]any{
		"username": giteaDeveloper, "email": giteaDeveloper + "@example.com",
		"password": st.GiteaDevPassword, "must_change_password": false,
	}, nil, http.StatusCreated, http.StatusUnprocessableEntity)
	if err != nil {
		return p, stepErr("gitea developer user", logPath, err)
	}
	env.GiteaNonadminUser = giteaDeveloper
	developer := &gitea.Client{URL: base, User: giteaDeveloper, Password: st.GiteaDevPassword, HTTP: httpClient}
	if env.GiteaNonadminToken, err = developer.CreateToken(ctx); err != nil {
		return p, stepErr("gitea developer token", logPath, err)
	}
	return p, nil
}
