package stack

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"time"

	_ "modernc.org/sqlite" // pure-Go driver "sqlite", to edit Drone's database
)

const droneDeveloper = "developer"

// drone starts the Drone server against Gitea and fills the DRONE_* fields of env.
func (l *Launcher) drone(ctx context.Context, bin string, st *state, env *Env) (*proc, error) {
	dir := l.stackDir("drone")
	logPath := l.stackDir("logs", "drone.log")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, stepErr("start drone", "", err)
	}
	db := l.stackDir("drone", "drone.sqlite")
	addr := fmt.Sprintf("127.0.0.1:%d", st.DronePort)
	p, err := l.start("drone", dir, []string{
		"DRONE_SERVER_HOST=" + addr,
		"DRONE_SERVER_PROTO=http",
		"DRONE_SERVER_PORT=" + addr,
		"DRONE_RPC_SECRET=" + st.DroneRPCSecret,
		"DRONE_DATABASE_DRIVER=sqlite3",
		"DRONE_DATABASE_DATASOURCE=" + db,
		"DRONE_DATABASE_SECRET=" + st.DroneDBSecret,
		"DRONE_GITEA_SERVER=" + env.GiteaURL,
		"DRONE_GITEA_CLIENT_ID=stack",
		"DRONE_GITEA_CLIENT_SECRET=stack",
		"DRONE_USER_CREATE=username:" + env.GiteaUser + ",admin:true,token:" + st.DroneAdminToken,
		"DRONE_LOGS_TEXT=true",
		"DRONE_CRON_DISABLED=true",
	}, bin)
	if err != nil {
		return nil, err
	}
	base := "http://" + addr
	admin := request{method: "GET", url: base + "/api/user", header: bearer(st.DroneAdminToken)}
	if err := waitFor(ctx, p, 2*time.Minute, admin, 200); err != nil {
		return p, stepErr("wait for drone", logPath, err)
	}
	env.DroneServer, env.DroneToken = base, st.DroneAdminToken

	// Drone learns a user's Gitea token at OAuth login; without a browser,
	// put it into the database directly.
	if err := setDroneUser(ctx, db, env.GiteaUser, env.GiteaToken, ""); err != nil {
		return p, stepErr("drone: store gitea token", db, err)
	}
	if err := droneSync(ctx, base, st.DroneAdminToken); err != nil {
		return p, stepErr("drone: sync admin repos", logPath, err)
	}

	// The non-admin user: created through the API, its tokens set in the database.
	resp, err := do(ctx, request{method: "POST", url: base + "/api/users", header: bearer(st.DroneAdminToken),
		body: map[string]any{"login": droneDeveloper, "email": droneDeveloper + "@example.com", "active": true}})
	if err == nil && resp.status != http.StatusOK {
		// On a restart the user exists already.
		existing, gerr := do(ctx, request{method: "GET", url: base + "/api/users/" + droneDeveloper, header: bearer(st.DroneAdminToken)})
		if gerr != nil || existing.status != http.StatusOK {
			err = resp.errorf("create drone user " + droneDeveloper)
		}
	}
	if err != nil {
		return p, stepErr("drone: developer user", logPath, err)
	}
	if err := setDroneUser(ctx, db, droneDeveloper, env.GiteaNonadminToken, st.DroneDevToken); err != nil {
		return p, stepErr("drone: developer tokens", db, err)
	}
	var me struct {
		Login string `json:"login"`
		Admin bool   `json:"admin"`
	}
	resp, err = do(ctx, request{method: "GET", url: base + "/api/user", header: bearer(st.DroneDevToken)})
	if err == nil && resp.status != http.StatusOK {
		err = resp.errorf("GET /api/user as " + droneDeveloper)
	}
	if err == nil {
		err = resp.decode(&me)
	}
	if err == nil && (me.Login != droneDeveloper || me.Admin) {
		err = fmt.Errorf("GET /api/user as %s: got login %q admin=%v", droneDeveloper, me.Login, me.Admin)
	}
	if err == nil {
		err = droneSync(ctx, base, st.DroneDevToken)
	}
	if err != nil {
		return p, stepErr("drone: verify developer", logPath, err)
	}
	env.DroneNonadminLogin, env.DroneNonadminToken = droneDeveloper, st.DroneDevToken
	return p, nil
}

// setDroneUser stores a user's Gitea token (and, when hash is not empty, its
// Drone API token) in Drone's database.
func setDroneUser(ctx context.Context, path, login, oauthToken, hash string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	q, args := "UPDATE users SET user_oauth_token=?, user_oauth_expiry=0 WHERE user_login=?", []any{oauthToken, login}
	if hash != "" {
		q, args = "UPDATE users SET user_oauth_token=?, user_oauth_expiry=0, user_hash=? WHERE user_login=?", []any{oauthToken, hash, login}
	}
	res, err := db.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("user %q: %d rows updated (%v)", login, n, err)
	}
	return nil
}

// droneSync asks Drone to refresh the user's repository list from Gitea.
func droneSync(ctx context.Context, base, token string) error {
	resp, err := do(ctx, request{method: "POST", url: base + "/api/user/repos", header: bearer(token)})
	if err != nil {
		return err
	}
	if resp.status != http.StatusOK {
		return resp.errorf("POST /api/user/repos")
	}
	return nil
}
