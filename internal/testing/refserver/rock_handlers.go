package refserver

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
)

// The rock dialect's route handlers, resource by resource (see rock.go).

// pathID binds the {id} path value as IdReq.
func rockPathID(r *http.Request) (int64, error) {
	in, err := rockIDForm.bindURI(r)
	if err != nil {
		return 0, err
	}
	return num(in, "id"), nil
}

// rockGet answers one live row of k by {id}.
func (s *Server) rockGet(k rockKind, shape []string) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		id, err := rockPathID(r)
		if err != nil {
			return 0, nil, err
		}
		rec, err := rockMust(r.Context(), s.db, k, id)
		if err != nil {
			return 0, nil, err
		}
		return 200, pick(rec, shape...), nil
	}
}

// rockDelete soft-deletes one row of k by {id}: 204, whatever still uses it.
func (s *Server) rockDelete(k rockKind) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		id, err := rockPathID(r)
		if err != nil {
			return 0, nil, err
		}
		if _, err := rockMust(r.Context(), s.db, k, id); err != nil {
			return 0, nil, err
		}
		return 204, nil, rockSoftDelete(r.Context(), s.db, k.table, "id = ?", id)
	}
}

// descriptionForm is the update body of projects, envs, project-envs and
// apps: only the description; every other field is ignored.
func descriptionForm(name string) *rform {
	return &rform{name: name, fields: []rfield{{json: "description", goName: "Description", max: 100}}}
}

// rockDescribe changes the description of one row of k by {id}.
func (s *Server) rockDescribe(k rockKind, shape []string, form string) rockHandler {
	f := descriptionForm(form)
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		id, err := rockPathID(r)
		if err != nil {
			return 0, nil, err
		}
		in, err := f.bindJSON(r)
		if err != nil {
			return 0, nil, err
		}
		return s.rockSetDescription(r.Context(), k, id, str(in, "description"), shape)
	}
}

func (s *Server) rockSetDescription(ctx context.Context, k rockKind, id int64, desc string, shape []string) (int, any, error) {
	if _, err := rockMust(ctx, s.db, k, id); err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, k, id, map[string]any{"description": desc}, shape)
}

// rockUpdated changes columns of a live row of k and answers it (200).
func (s *Server) rockUpdated(ctx context.Context, k rockKind, id int64, vals map[string]any, shape []string) (int, any, error) {
	if err := rockUpdate(ctx, s.db, k.table, id, vals); err != nil {
		return 0, nil, err
	}
	rec, err := rockMust(ctx, s.db, k, id)
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shape...), nil
}

// rockList answers a page of the live rows of table matching where (args
// may use the bound query through like), in order.
func (s *Server) rockList(form *rform, table, where, order string, shape []string, search bool) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		pg, err := form.bindQuery(r)
		if err != nil {
			return 0, nil, err
		}
		if search {
			return s.rockPage(r.Context(), pg, table, where, order, shape, like(pg))
		}
		return s.rockPage(r.Context(), pg, table, where, order, shape)
	}
}

// rockExists answers a duplicate error when a live row matches where.
func (s *Server) rockExists(ctx context.Context, table, where string, dup error, args ...any) error {
	_, ok, err := rockFind(ctx, s.db, table, where, args...)
	if err != nil {
		return err
	}
	if ok {
		return dup
	}
	return nil
}

// rockCreated inserts a row and answers it with status.
func (s *Server) rockCreated(ctx context.Context, status int, table string, vals map[string]any, shape []string) (int, any, error) {
	id, err := rockInsert(ctx, s.db, table, vals)
	if err != nil {
		return 0, nil, err
	}
	rec, _, err := rockFind(ctx, s.db, table, "id = ?", id)
	if err != nil {
		return 0, nil, err
	}
	return status, pick(rec, shape...), nil
}

// ---- users and roles --------------------------------------------------------

var (
	rockCreateUserForm = &rform{name: "CreateUserReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "password", goName: "Password", required: true},
		{json: "email", goName: "Email", required: true, email: true},
		{json: "role_id", goName: "RoleId", isInt: true, required: true},
	}}
	rockUserPageForm = &rform{name: "GetPaginationReq", fields: rockPageForm.fields, wrap: true}
	rockUserIDForm   = &rform{name: "IdReq", fields: rockIDForm.fields, wrap: true}
	rockPasswordForm = &rform{name: "UpdateUserPwdReq", wrap: true, fields: []rfield{
		{json: "old_password", goName: "OldPassword", required: true},
		{json: "new_password", goName: "NewPassword", required: true},
	}}
	rockRoleForm = &rform{name: "UpdateUserRoleReq", fields: []rfield{{json: "role_id", goName: "RoleId", isInt: true, required: true, min: 1}}}
)

var (
	pwDigit   = regexp.MustCompile(`[0-9]+`)
	pwUpper   = regexp.MustCompile(`[A-Z]+`)
	pwLower   = regexp.MustCompile(`[a-z]+`)
	pwSpecial = regexp.MustCompile(`[~!@#$%^&*?_-]+`)
)

// rockCheckPassword is the re-implementation's password rule: 6 to 20
// characters of at least two kinds.
func rockCheckPassword(pw string) error {
	if len(pw) < 6 {
		return rockErrorf(400, 42200002, "The password length is too short, greater than or equal 6")
	}
	if len(pw) > 20 {
		return rockErrorf(400, 40000002, "The password length is too long, less than or equal 20")
	}
	kinds := 0
	for _, re := range []*regexp.Regexp{pwDigit, pwUpper, pwLower, pwSpecial} {
		if re.MatchString(pw) {
			kinds++
		}
	}
	if kinds < 2 {
		return rockErrorf(400, 40000007, "Password not strong")
	}
	return nil
}

func (s *Server) rockUserDetail(ctx context.Context, id int64) (map[string]any, error) {
	recs, err := queryRecords(ctx, s.db, `SELECT u.id AS id, u.name AS name, u.email AS email, u.created_at AS created_at, u.updated_at AS updated_at,
		r.id AS role_id, r.name AS role_name, r.description AS role_description, r.created_at AS role_created_at,
		r.updated_at AS role_updated_at, r.version AS role_version
		FROM users u LEFT JOIN roles r ON u.role_id = r.id WHERE u.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, rockNotFoundRecord
	}
	return recs[0], nil
}

// POST /v1/users {name, password, email, role_id}: 200 (and the
// re-implementation mails the password; this server only logs that).
func (s *Server) rockCreateUser(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockCreateUserForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	name, email := str(in, "name"), str(in, "email")
	if err := rockCheckPassword(str(in, "password")); err != nil {
		return 0, nil, err
	}
	if err := s.rockExists(ctx, "users", "email = ?", rockErrorf(400, 40000009, "Email %v was registered", email), email); err != nil {
		return 0, nil, err
	}
	if err := s.rockExists(ctx, "users", "name = ?", rockErrorf(400, 40000001, "user with name(%v) is alerady exist", name), name); err != nil {
		return 0, nil, err
	}
	role, err := s.rockRoleName(ctx, num(in, "role_id"))
	if err != nil {
		return 0, nil, err
	}
	if role == "" {
		return 0, nil, rockNotFoundRecord
	}
	hash, err := hashPassword(str(in, "password"))
	if err != nil {
		return 0, nil, err
	}
	id, err := rockInsert(ctx, s.db, "users", map[string]any{"name": name, "password": hash, "email": email, "role_id": num(in, "role_id")})
	if err != nil {
		return 0, nil, err
	}
	s.log.Info("rock: would mail the new user's password", "user", name, "email", email)
	// The server gives the new user a token at once (which is why a login
	// in the same second fails).
	tok, err := s.rockToken(id, name, hash, role)
	if err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, rkUser, id, map[string]any{"token": tok}, shapeUser)
}

// GET /v1/users/{id}: anyone may read any user (IsUserSelfOrAdmin checks
// the caller against itself).
func (s *Server) rockGetUser(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockUserIDForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	rec, ok, err := rockFind(r.Context(), s.db, "users", "id = ?", num(in, "id"))
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, rockNotFoundRecord
	}
	return 200, pick(rec, shapeUser...), nil
}

// DELETE /v1/users/{id}: 200 with a string.
func (s *Server) rockDeleteUser(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockUserIDForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	id := num(in, "id")
	rec, err := rockMust(ctx, s.db, rkUser, id)
	if err != nil {
		return 0, nil, err
	}
	if rec["name"] == "admin" {
		return 0, nil, rockErrorf(400, 40400002, "Admin user can't be deleted")
	}
	if err := rockSoftDelete(ctx, s.db, "users", "id = ?", id); err != nil {
		return 0, nil, err
	}
	return 200, "Delete user successful", nil
}

// PUT /v1/users/{id}/password {old_password, new_password}: the user gets a
// new token (signed with the caller's role), so its old token stops working.
func (s *Server) rockSetPassword(w http.ResponseWriter, r *http.Request, c *rockCaller) (int, any, error) {
	idIn, err := rockUserIDForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockPasswordForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	id := num(idIn, "id")
	u, err := rockMust(ctx, s.db, rkUser, id)
	if err != nil {
		return 0, nil, err
	}
	oldPW, newPW := str(in, "old_password"), str(in, "new_password")
	if oldPW == newPW {
		return 0, nil, rockErrorf(400, 40000008, "The new password cannot be the same as the old one")
	}
	if err := rockCheckPassword(newPW); err != nil {
		return 0, nil, err
	}
	if !checkPassword(asString(u["password"]), oldPW) {
		return 0, nil, rockErrorf(400, 40000003, "password incorrect")
	}
	hash, err := hashPassword(newPW)
	if err != nil {
		return 0, nil, err
	}
	tok, err := s.rockToken(id, asString(u["name"]), hash, c.Role)
	if err != nil {
		return 0, nil, err
	}
	if c.Name == u["name"] {
		s.rockSetCookie(w, tok)
	}
	return s.rockUpdated(ctx, rkUser, id, map[string]any{"password": hash, "token": tok}, shapeUser)
}

// PUT /v1/users/{id}/roles {role_id}. The user's current token keeps the
// role it was issued with until the next login.
func (s *Server) rockSetRole(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockRoleForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	u, err := rockMust(ctx, s.db, rkUser, id)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(ctx, s.db, rkRole, num(in, "role_id")); err != nil {
		return 0, nil, err
	}
	if u["name"] == "admin" {
		return 0, nil, rockErrorf(400, 40000021, "The admin user's role can't be changed")
	}
	return s.rockUpdated(ctx, rkUser, id, map[string]any{"role_id": num(in, "role_id")}, shapeUser)
}

// ---- projects and project-envs --------------------------------------------------

var (
	rockProjectForm = &rform{name: "CreateProjectReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "description", goName: "Description", max: 100},
	}}
	rockProjectEnvForm = &rform{name: "CreateProjectEnvReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "env_id", goName: "EnvId", isInt: true, required: true, min: 1},
		{json: "description", goName: "Description", max: 100},
	}}
	rockPEIDForm = &rform{name: "ProjectIdAndEnvIdReq", fields: []rfield{
		{json: "id", goName: "Id", isInt: true, required: true, min: 1},
		{json: "pe_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1},
	}}
	rockPEUpdateForm = descriptionForm("UpdateProjectEnvReq")
)

func (s *Server) rockCreateProject(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockProjectForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx, name := r.Context(), str(in, "name")
	if err := s.rockExists(ctx, "projects", "name = ?", rockErrorf(400, 40000015, "Project with name(%v) already exists", name), name); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "projects", map[string]any{"name": name, "description": str(in, "description")}, shapeProject)
}

// GET /v1/projects/{id}/apps.
func (s *Server) rockProjectApps(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(r.Context(), s.db, rkProject, id); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "apps", "project_id = ? AND name LIKE ?", "updated_at DESC", shapeApp, id, like(pg))
}

// POST /v1/projects/{id}/project-envs {name, env_id, description}: a
// duplicate is the same (name, project, env).
func (s *Server) rockCreateProjectEnv(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pid, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockProjectEnvForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if _, err := rockMust(ctx, s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	envID, name := num(in, "env_id"), str(in, "name")
	if _, err := rockMust(ctx, s.db, rkEnv, envID); err != nil {
		return 0, nil, err
	}
	dup := rockErrorf(400, 40000022, "ProjectEnv with name(%v) project_id(%v) env_id(%v) already exists", name, pid, envID)
	if err := s.rockExists(ctx, "project_envs", "name = ? AND project_id = ? AND env_id = ?", dup, name, pid, envID); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "project_envs", map[string]any{"name": name, "description": str(in, "description"),
		"env_id": envID, "project_id": pid}, shapeProjectEnv)
}

func (s *Server) rockListProjectEnvs(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pid, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(r.Context(), s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "project_envs", "project_id = ? AND name LIKE ?", "updated_at DESC", shapeProjectEnv, pid, like(pg))
}

// rockProjectEnv binds {id} and {pe_id} and passes on the project-env's id:
// the project id in the path is never looked at.
func (s *Server) rockProjectEnv(h func(r *http.Request, peID int64) (int, any, error)) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		in, err := rockPEIDForm.bindURI(r)
		if err != nil {
			return 0, nil, err
		}
		return h(r, num(in, "pe_id"))
	}
}

func (s *Server) rockGetProjectEnv(r *http.Request, peID int64) (int, any, error) {
	rec, err := rockMust(r.Context(), s.db, rkProjectEnv, peID)
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shapeProjectEnv...), nil
}

func (s *Server) rockUpdateProjectEnv(r *http.Request, peID int64) (int, any, error) {
	in, err := rockPEUpdateForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockSetDescription(r.Context(), rkProjectEnv, peID, str(in, "description"), shapeProjectEnv)
}

// rockDeleteProjectEnv refuses while app configs use the project-env (412).
func (s *Server) rockDeleteProjectEnv(r *http.Request, peID int64) (int, any, error) {
	ctx := r.Context()
	if _, err := rockMust(ctx, s.db, rkProjectEnv, peID); err != nil {
		return 0, nil, err
	}
	inUse := rockErrorf(412, 41200008, "ProjectEnv(%v) has app configs, please delete the app configs first", peID)
	if err := s.rockExists(ctx, "app_confs", "project_env_id = ?", inUse, peID); err != nil {
		return 0, nil, err
	}
	return 204, nil, rockSoftDelete(ctx, s.db, "project_envs", "id = ?", peID)
}

// ---- clusters and envs ------------------------------------------------------------

var (
	rockClusterForm = &rform{name: "CreateClusterReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "description", goName: "Description", max: 100},
		{json: "config", goName: "Config", required: true},
	}}
	rockClusterUpdateForm = &rform{name: "UpdateClusterReq", fields: []rfield{
		{json: "description", goName: "Description", max: 100},
		{json: "config", goName: "Config", required: true},
	}}
	rockEnvForm = &rform{name: "CreateEnvReq", fields: []rfield{
		{json: "namespace", goName: "Namespace", required: true},
		{json: "description", goName: "Description", max: 100},
		{json: "cluster_id", goName: "ClusterId", isInt: true, required: true, min: 1},
	}}
)

// kubeHealth lists the nodes of the cluster a kubeconfig points at, as the
// re-implementation's IsK8sHealth does.
func (s *Server) kubeHealth(ctx context.Context, kubeconfig string) error {
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	if err != nil {
		return err
	}
	cfg.Timeout = s.kubeTimeout
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return err
	}
	host := cfg.Host
	if !strings.Contains(host, "://") {
		host = "https://" + host
	}
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(host, "/")+"/api/v1/nodes", nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /api/v1/nodes: %s", resp.Status)
	}
	return nil
}

var rockBadKubeconfig = rockErrorf(400, 40000019, "the k8s config is not correct, please check it")

// POST /v1/clusters {name, description, config}: the kubeconfig must reach
// an API server that lists its nodes. The answer never has config.
func (s *Server) rockCreateCluster(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockClusterForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if err := s.kubeHealth(ctx, str(in, "config")); err != nil {
		s.log.Warn("rock: use k8s config request failed", "err", err)
		return 0, nil, rockBadKubeconfig
	}
	name := str(in, "name")
	if err := s.rockExists(ctx, "clusters", "name = ?", rockErrorf(400, 40000018, "Cluster with name(%v) already exists", name), name); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "clusters", map[string]any{"name": name, "description": str(in, "description"), "config": str(in, "config")}, shapeCluster)
}

// PUT /v1/clusters/{id} {description, config}: name is ignored; the
// re-implementation calls the API server but drops the error it gets.
func (s *Server) rockUpdateCluster(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockClusterUpdateForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if err := s.kubeHealth(ctx, str(in, "config")); err != nil {
		s.log.Warn("rock: use k8s config request failed (ignored on update, as the re-implementation does)", "err", err)
	}
	if _, err := rockMust(ctx, s.db, rkCluster, id); err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, rkCluster, id, map[string]any{"description": str(in, "description"), "config": str(in, "config")}, shapeCluster)
}

func (s *Server) rockClusterEnvs(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(r.Context(), s.db, rkCluster, id); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "envs", "cluster_id = ?", "updated_at DESC", shapeEnv, id)
}

func (s *Server) rockCreateEnv(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockEnvForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	cid, ns := num(in, "cluster_id"), str(in, "namespace")
	if _, err := rockMust(ctx, s.db, rkCluster, cid); err != nil {
		return 0, nil, err
	}
	dup := rockErrorf(400, 40000020, "Cluster with name(%v) cluster_id(%v) already exists", ns, cid) // sic: the namespace as "name"
	if err := s.rockExists(ctx, "envs", "cluster_id = ? AND namespace = ?", dup, cid, ns); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "envs", map[string]any{"namespace": ns, "description": str(in, "description"), "cluster_id": cid}, shapeEnv)
}

// ---- apps and app configs ------------------------------------------------------------

var (
	rockAppForm = &rform{name: "CreateAppReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "description", goName: "Description", max: 100},
		{json: "project_id", goName: "ProjectId", isInt: true, required: true, min: 1},
		{json: "gitlab_project_id", goName: "GitlabProjectId", isInt: true, omitempty: true, min: 1},
	}}
	rockAppsPageForm = &rform{name: "GetAppsPaginationReq", fields: append(append([]rfield(nil), rockPageForm.fields...),
		rfield{json: "id", goName: "Id", isInt: true, required: true, min: 1})}
	rockAppUpdateForm = descriptionForm("UpdateAppReq")
	rockConfForm      = &rform{name: "UpdateAppConfReq", fields: []rfield{
		{json: "project_env_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1},
		{json: "config", goName: "Config", required: true},
	}}
	rockPEQueryForm = &rform{name: "AppProjectEnvIdReq", fields: []rfield{{json: "pe_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1}}}
)

// POST /v1/apps {name, project_id, description, gitlab_project_id?}:
// full_name, owner, gitlab_address and drone_repo_id come only from a
// GitLab project synchronised through Drone.
func (s *Server) rockCreateApp(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockAppForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	if num(in, "gitlab_project_id") != 0 {
		// The re-implementation syncs the GitLab project through Drone with
		// the caller's Drone token; this server has no Drone to ask.
		return 0, nil, rockErrorf(500, 50000004, "Drone Error: cannot sync remote repository %d: no Drone server is configured", num(in, "gitlab_project_id"))
	}
	ctx := r.Context()
	pid, name := num(in, "project_id"), str(in, "name")
	if _, err := rockMust(ctx, s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	dup := rockErrorf(400, 40000017, "App with name(%v) in project_id(%v) already exists", name, pid)
	if err := s.rockExists(ctx, "apps", "project_id = ? AND name = ?", dup, pid, name); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "apps", map[string]any{"name": name, "description": str(in, "description"), "project_id": pid}, shapeApp)
}

// GET /v1/apps?id=<project id>&page_num&page_size[&query_field].
func (s *Server) rockListApps(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pg, err := rockAppsPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	pid := num(pg, "id")
	if _, err := rockMust(r.Context(), s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "apps", "project_id = ? AND name LIKE ?", "updated_at DESC", shapeApp, pid, like(pg))
}

// PUT /v1/apps/{id} {description}: answered as a role record (no project_id).
func (s *Server) rockUpdateApp(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockAppUpdateForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockSetDescription(r.Context(), rkApp, id, str(in, "description"), shapeBrief)
}

// rockAppAndPE checks that the app and the project-env exist (in that order).
func (s *Server) rockAppAndPE(ctx context.Context, appID, peID int64) error {
	if _, err := rockMust(ctx, s.db, rkApp, appID); err != nil {
		return err
	}
	_, err := rockMust(ctx, s.db, rkProjectEnv, peID)
	return err
}

func (s *Server) rockFindConfig(ctx context.Context, appID, peID int64) (record, error) {
	if err := s.rockAppAndPE(ctx, appID, peID); err != nil {
		return nil, err
	}
	rec, ok, err := rockFind(ctx, s.db, "app_confs", "app_id = ? AND project_env_id = ?", appID, peID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rockErrorf(404, 40400014, "App(ID: %v)'s config under project(ID: %v) was not found", appID, peID)
	}
	return rec, nil
}

// GET /v1/apps/{id}/config?pe_id=.
func (s *Server) rockGetConfig(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	q, err := rockPEQueryForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	rec, err := s.rockFindConfig(r.Context(), id, num(q, "pe_id"))
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shapeAppConf...), nil
}

// PUT /v1/apps/{id}/config {project_env_id, config}: created or updated.
func (s *Server) rockPutConfig(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockConfForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	cfg, peID := str(in, "config"), num(in, "project_env_id")
	if _, err := chartutil.ReadValues([]byte(cfg)); err != nil {
		return 0, nil, rockErrorf(400, 40000018, "the YAML file has a syntax error: %v", err)
	}
	ctx := r.Context()
	if err := s.rockAppAndPE(ctx, id, peID); err != nil {
		return 0, nil, err
	}
	rec, ok, err := rockFind(ctx, s.db, "app_confs", "app_id = ? AND project_env_id = ?", id, peID)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return s.rockCreated(ctx, 200, "app_confs", map[string]any{"app_id": id, "project_env_id": peID, "config": cfg}, shapeAppConf)
	}
	if err := rockUpdate(ctx, s.db, "app_confs", asInt64(rec["id"]), map[string]any{"config": cfg}); err != nil {
		return 0, nil, err
	}
	rec, err = s.rockFindConfig(ctx, id, peID)
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shapeAppConf...), nil
}

// DELETE /v1/apps/{id}/config?pe_id=: after checking that the app and the
// project-env exist, the re-implementation deletes with a gorm struct whose
// fields are not a key, so every app config of every app goes.
func (s *Server) rockDeleteConfig(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	q, err := rockPEQueryForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if err := s.rockAppAndPE(ctx, id, num(q, "pe_id")); err != nil {
		return 0, nil, err
	}
	return 204, nil, rockSoftDelete(ctx, s.db, "app_confs", "1 = 1")
}

// ---- charts (read from the chart repository) -----------------------------------

// rockChartEntry is a ChartMuseum entry as the re-implementation re-encodes
// it (its ChartVersion struct).
func rockChartEntry(cv *repo.ChartVersion) map[string]any {
	out := map[string]any{"name": "", "version": "", "description": "", "keywords": nil, "maintainers": nil,
		"apiVersion": "", "appVersion": "", "urls": cv.URLs, "created": cv.Created.Format(time.RFC3339Nano), "digest": cv.Digest}
	if md := cv.Metadata; md != nil {
		out["name"], out["version"], out["description"] = md.Name, md.Version, md.Description
		out["apiVersion"], out["appVersion"] = md.APIVersion, md.AppVersion
		if md.Keywords != nil {
			out["keywords"] = md.Keywords
		}
		if md.Maintainers != nil {
			var ms []map[string]string
			for _, m := range md.Maintainers {
				ms = append(ms, map[string]string{"name": m.Name, "email": m.Email})
			}
			out["maintainers"] = ms
		}
	}
	return out
}

func rockChartEntries(vs repo.ChartVersions) []map[string]any {
	out := make([]map[string]any, 0, len(vs))
	for _, cv := range vs {
		out = append(out, rockChartEntry(cv))
	}
	return out
}

// rockRepoError passes a chart repository's error on: its status, code
// status*100000+1 and its body as the message.
func rockRepoError(err error) error {
	if ce, ok := err.(*chartrepo.Error); ok {
		return rockErrorf(ce.Status, ce.Status*100000+1, "%s", ce.Body)
	}
	return rockPanic(struct{}{}) // a transport error: a plain Go error value
}

var rockChartForm = &rform{name: "ChartReq", fields: []rfield{{json: "name", goName: "Name", required: true}}}

// GET /v1/charts: [{name, version: [entries]}].
func (s *Server) rockAllCharts(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	all, err := s.charts.All(r.Context())
	if err != nil {
		return 0, nil, rockRepoError(err)
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]map[string]any, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]any{"name": n, "version": rockChartEntries(all[n])})
	}
	return 200, out, nil
}

func (s *Server) rockVersions(ctx context.Context, name string) (int, any, error) {
	vs, _, err := s.charts.Versions(ctx, name)
	if err != nil {
		return 0, nil, rockRepoError(err)
	}
	return 200, rockChartEntries(vs), nil
}

// GET /v1/charts/{name}: a bare array of entries.
func (s *Server) rockChartVersions(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockChartForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockVersions(r.Context(), str(in, "name"))
}

// GET /v1/apps/{id}/charts: the versions of the chart named like the app.
func (s *Server) rockAppCharts(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	app, err := rockMust(r.Context(), s.db, rkApp, id)
	if err != nil {
		return 0, nil, err
	}
	return s.rockVersions(r.Context(), asString(app["name"]))
}

// GET /v1/charts/{name}/versions/{version}: one entry.
func (s *Server) rockChartVersion(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	cv, _, err := s.charts.Version(r.Context(), r.PathValue("name"), r.PathValue("version"))
	if err != nil {
		return 0, nil, rockRepoError(err)
	}
	return 200, rockChartEntry(cv), nil
}

// DELETE /v1/charts/{name}/versions/{version}: deleted from the repository.
func (s *Server) rockDeleteChartVersion(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	if err := s.charts.Delete(r.Context(), r.PathValue("name"), r.PathValue("version")); err != nil {
		return 0, nil, rockRepoError(err)
	}
	return 204, nil, nil
}

// ---- deployments and instances -----------------------------------------------------

var rockDeploymentForm = &rform{name: "CreateDeploymentReq", fields: []rfield{
	{json: "description", goName: "Description", max: 250},
	{json: "chart_name", goName: "ChartName", required: true},
	{json: "chart_version", goName: "ChartVersion", required: true},
	{json: "project_env_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1},
	{json: "app_id", goName: "AppId", isInt: true, required: true, min: 1},
}}

var rockInstanceForm = &rform{name: "InstancePaginationReq", fields: append(append([]rfield(nil), rockPageForm.fields...),
	rfield{json: "cluster", goName: "Cluster"},
	rfield{json: "project", goName: "Project"},
	rfield{json: "app_id", goName: "AppId", isInt: true, omitempty: true, min: 1},
)}

// POST /v1/deployments: the app needs a config for the project-env; the
// deployment row is written before Helm runs and stays when Helm fails
// (500 50000006); on success the instance of the release is created or
// updated (keeping the app_id and env_id it was created with).
func (s *Server) rockCreateDeployment(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockDeploymentForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	appID, peID := num(in, "app_id"), num(in, "project_env_id")
	chartName, chartVersion := str(in, "chart_name"), str(in, "chart_version")
	conf, err := s.rockFindConfig(ctx, appID, peID)
	if err != nil {
		return 0, nil, err
	}
	pe, err := rockMust(ctx, s.db, rkProjectEnv, peID)
	if err != nil {
		return 0, nil, err
	}
	env, err := rockMust(ctx, s.db, rkEnv, asInt64(pe["env_id"]))
	if err != nil {
		return 0, nil, err
	}
	ns := asString(env["namespace"])
	release := releaseName(chartName, ns)
	depID, err := rockInsert(ctx, s.db, "deployments", map[string]any{"name": release, "description": str(in, "description"),
		"chart_name": chartName, "chart_version": chartVersion, "app_id": appID, "env_id": env["id"]})
	if err != nil {
		return 0, nil, err
	}
	cluster, err := rockMust(ctx, s.db, rkCluster, asInt64(env["cluster_id"]))
	if err != nil {
		return 0, nil, err
	}
	project, err := rockMust(ctx, s.db, rkProject, asInt64(pe["project_id"]))
	if err != nil {
		return 0, nil, err
	}
	inst, installed, err := rockFind(ctx, s.db, "instances", "cluster_name = ? AND env_namespace = ? AND project_name = ? AND name = ?",
		cluster["name"], ns, project["name"], release)
	if err != nil {
		return 0, nil, err
	}
	rel, err := s.rockHelm(ctx, chartName, chartVersion, release, ns, asString(conf["config"]), installed)
	if err != nil {
		return 0, nil, err
	}
	rel.InstanceID, rel.DeploymentID = asInt64(inst["id"]), depID
	if installed {
		err = rockUpdate(ctx, s.db, "instances", rel.InstanceID, map[string]any{"last_deployment": depID, "chart_name": chartName, "chart_version": chartVersion})
	} else {
		rel.InstanceID, err = rockInsert(ctx, s.db, "instances", map[string]any{"cluster_name": cluster["name"], "env_namespace": ns,
			"project_name": project["name"], "name": release, "chart_name": chartName, "chart_version": chartVersion,
			"last_deployment": depID, "app_id": appID, "env_id": env["id"]})
	}
	if err != nil {
		return 0, nil, err
	}
	s.releases.record(rel)
	dep, err := rockMust(ctx, s.db, rkDeployment, depID)
	if err != nil {
		return 0, nil, err
	}
	return 201, pick(dep, shapeDeployment...), nil
}

// rockHelm stands in for `helm upgrade --install <release>
// <repo>/charts/<chart>-<version>.tgz -f values --namespace <ns>`: it
// fetches the archive from the chart repository and renders it, and returns
// what the release is now made of (kept for the test-only route).
func (s *Server) rockHelm(ctx context.Context, chartName, chartVersion, release, ns, values string, upgrade bool) (*Release, error) {
	fail := func(msg string) (*Release, error) {
		return nil, rockErrorf(500, 50000006, "Error occurred when helm install chart: %s", msg)
	}
	archive, err := s.charts.Archive(ctx, chartName, chartVersion)
	if err != nil {
		url := s.charts.BaseURL + "/charts/" + chartrepo.FileName(chartName, chartVersion)
		if ce, ok := err.(*chartrepo.Error); ok {
			return fail(fmt.Sprintf("Error: failed to fetch %s : %d %s\n", url, ce.Status, http.StatusText(ce.Status)))
		}
		return fail(fmt.Sprintf("Error: failed to fetch %s : %v\n", url, err))
	}
	files, err := helmRender(archive, release, ns, values, upgrade)
	if err != nil {
		if upgrade {
			return fail(fmt.Sprintf("Error: UPGRADE FAILED: %v\n", err))
		}
		return fail(fmt.Sprintf("Error: release %s failed: %v\n", release, err))
	}
	return newRelease(release, values, files), nil
}

// PUT /v1/deployments/{id}: chart, version, app and project-env required;
// the row is changed, nothing is deployed.
func (s *Server) rockUpdateDeployment(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockDeploymentForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if _, err := rockMust(ctx, s.db, rkDeployment, id); err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(ctx, s.db, rkApp, num(in, "app_id")); err != nil {
		return 0, nil, err
	}
	pe, err := rockMust(ctx, s.db, rkProjectEnv, num(in, "project_env_id"))
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(ctx, s.db, rkEnv, asInt64(pe["env_id"])); err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, rkDeployment, id, map[string]any{"app_id": num(in, "app_id"), "env_id": pe["env_id"],
		"chart_name": str(in, "chart_name"), "chart_version": str(in, "chart_version"), "description": str(in, "description")}, shapeDeployment)
}

// GET /v1/instances: query_field (name), cluster, project and app_id;
// env_id and name are ignored; newest first; items lack app_id and env_id.
func (s *Server) rockListInstances(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pg, err := rockInstanceForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	where, args := "name LIKE ?", []any{like(pg)}
	if v := str(pg, "cluster"); v != "" {
		where, args = where+" AND cluster_name = ?", append(args, v)
	}
	if v := str(pg, "project"); v != "" {
		where, args = where+" AND project_name = ?", append(args, v)
	}
	if v := num(pg, "app_id"); v != 0 {
		where, args = where+" AND app_id = ?", append(args, v)
	}
	return s.rockPage(r.Context(), pg, "instances", where, "updated_at DESC, id DESC", shapeInstance, args...)
}

// GET /v1/apps/{id}/instances.
func (s *Server) rockAppInstances(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "instances", "app_id = ?", "updated_at DESC, id DESC", shapeInstance, id)
}
