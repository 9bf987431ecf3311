package reliability_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// stubServers answers just enough for both providers to configure: Drone's
// GET /api/user and Galaxias's GET /v1/projects. Anything else is a 404, so
// an importer that let a bad id through would fail with a different error
// than the one the cases expect.
func stubServers(t *testing.T) (droneURL, galaxiasURL string) {
	t.Helper()
	d := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/api/user" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"id":1,"login":"stub","admin":true,"active":true}`)
			return
		}
		http.Error(w, `{"message":"stub: not found"}`, http.StatusNotFound)
	}))
	t.Cleanup(d.Close)
	g := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/projects" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"page":1,"per_page":1,"total":0,"pages":0,"items":[]}`)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"stub: not found","error_code":40400001}`)
	}))
	t.Cleanup(g.Close)
	return d.URL, g.URL
}

// badCase is one bad input. A resource case is a plan of typ with body;
// an import case (importID set) imports typ.x with that id. provider, when
// set, replaces the provider block of the family under test.
type badCase struct {
	typ      string
	body     string
	importID string
	provider string
	want     string // must match the error, naming the attribute or the id form
}

const (
	kubeconfig = `"apiVersion: v1\nkind: Config\n"`
)

// valid bodies of every resource, that a case changes one attribute of.
var validBodies = map[string]string{
	"drone_repo":                   `repository = "octo/app"`,
	"drone_secret":                 "repository = \"octo/app\"\nname = \"docker_password\"\nvalue = \"s3cret\"",
	"drone_orgsecret":              "namespace = \"octo\"\nname = \"docker_password\"\nvalue = \"s3cret\"",
	"drone_cron":                   "repository = \"octo/app\"\nname = \"nightly\"\nexpr = \"0 0 2 * * *\"\nbranch = \"main\"",
	"drone_template":               "namespace = \"octo\"\nname = \"base.yaml\"\ndata = \"kind: pipeline\"",
	"drone_user":                   `login = "robot"`,
	"galaxias_project":             `name = "shop"`,
	"galaxias_cluster":             "name = \"k1\"\nconfig = " + kubeconfig,
	"galaxias_environment":         "cluster_id = 1\nnamespace = \"staging\"",
	"galaxias_project_environment": "project_id = 1\nenvironment_id = 1",
	"galaxias_app":                 "project_id = 1\nname = \"cart\"",
	"galaxias_app_config":          "app_id = 1\nproject_environment_id = 1\nvalues = \"replicaCount: 1\\n\"",
	"galaxias_user":                "name = \"ci\"\nrole = \"deployer\"\npassword_wo = \"long-enough-password\"",
	"galaxias_deployment":          "app_id = 1\nproject_environment_id = 1\nchart_version = \"1.0.0\"",
}

// with returns the valid body of typ with the given attribute lines set
// (an empty value removes the attribute).
func with(typ string, attrs ...string) string {
	lines := strings.Split(validBodies[typ], "\n")
	for i := 0; i+1 < len(attrs); i += 2 {
		name, value := attrs[i], attrs[i+1]
		kept := lines[:0:0]
		for _, l := range lines {
			if !strings.HasPrefix(l, name+" = ") {
				kept = append(kept, l)
			}
		}
		lines = kept
		if value != "" {
			lines = append(lines, name+" = "+value)
		}
	}
	return strings.Join(lines, "\n")
}

// TestBadInput checks that bad input fails at plan (or import) time with an
// error that names the attribute, or the import id's form, before any
// request changes anything.
func TestBadInput(t *testing.T) {
	droneURL, galaxiasURL := stubServers(t)
	droneProvider := fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token = \"stub-token\"\n  max_retries = 0\n}\n", droneURL)
	galaxiasProvider := fmt.Sprintf("provider \"galaxias\" {\n  endpoint = %q\n  token = \"stub-token\"\n  max_retries = 0\n}\n", galaxiasURL)

	// attr builds the pattern of the framework's attribute diagnostics:
	// "Attribute <name> ..." in the detail, or the name in our own messages.
	attr := func(name, rest string) string { return `(?s)` + name + `.*` + rest }
	cases := map[string]badCase{
		// drone_repo
		"repo slug without owner":  {typ: "drone_repo", body: with("drone_repo", "repository", `"app"`), want: attr(`Attribute repository`, `owner/name`)},
		"repo slug with 3 parts":   {typ: "drone_repo", body: with("drone_repo", "repository", `"a/b/c"`), want: attr(`Attribute repository`, `owner/name`)},
		"repo slug with space":     {typ: "drone_repo", body: with("drone_repo", "repository", `"my org/app"`), want: attr(`Attribute repository`, `owner/name`)},
		"repo slug empty owner":    {typ: "drone_repo", body: with("drone_repo", "repository", `"/app"`), want: attr(`Attribute repository`, `owner/name`)},
		"repo negative timeout":    {typ: "drone_repo", body: with("drone_repo", "timeout", `-5`), want: attr(`Attribute timeout`, `between 1 and 10080`)},
		"repo zero timeout":        {typ: "drone_repo", body: with("drone_repo", "timeout", `0`), want: attr(`Attribute timeout`, `between`)},
		"repo negative throttle":   {typ: "drone_repo", body: with("drone_repo", "throttle", `-1`), want: attr(`Attribute throttle`, `at least 0`)},
		"repo visibility":          {typ: "drone_repo", body: with("drone_repo", "visibility", `"secret"`), want: attr(`Attribute visibility`, `public`)},
		"repo empty configuration": {typ: "drone_repo", body: with("drone_repo", "configuration", `""`), want: attr(`Attribute configuration`, `length`)},
		// drone_secret
		"secret name with space":    {typ: "drone_secret", body: with("drone_secret", "name", `"docker password"`), want: attr(`Attribute name`, `letters, digits`)},
		"secret name with slash":    {typ: "drone_secret", body: with("drone_secret", "name", `"a/b"`), want: attr(`Attribute name`, `letters, digits`)},
		"secret empty name":         {typ: "drone_secret", body: with("drone_secret", "name", `""`), want: attr(`Attribute name`, `letters, digits`)},
		"secret bad repository":     {typ: "drone_secret", body: with("drone_secret", "repository", `"octo"`), want: attr(`Attribute repository`, `owner/name`)},
		"secret value and value_wo": {typ: "drone_secret", body: with("drone_secret", "value_wo", `"other"`), want: `(?s)value.*value_wo`},
		"secret no value":           {typ: "drone_secret", body: with("drone_secret", "value", ""), want: `Exactly one of these attributes must be configured: \[value,value_wo\]`},
		"secret wo version alone":   {typ: "drone_secret", body: with("drone_secret", "value_wo_version", `2`), want: attr(`value_wo_version`, `value_wo`)},
		// drone_orgsecret
		"orgsecret namespace space": {typ: "drone_orgsecret", body: with("drone_orgsecret", "namespace", `"my org"`), want: attr(`Attribute namespace`, `organisation or user name`)},
		"orgsecret namespace slash": {typ: "drone_orgsecret", body: with("drone_orgsecret", "namespace", `"octo/app"`), want: attr(`Attribute namespace`, `organisation or user name`)},
		"orgsecret name":            {typ: "drone_orgsecret", body: with("drone_orgsecret", "name", `"docker:password"`), want: attr(`Attribute name`, `letters, digits`)},
		"orgsecret value and wo":    {typ: "drone_orgsecret", body: with("drone_orgsecret", "value_wo", `"other"`), want: `(?s)value.*value_wo`},
		// drone_cron
		"cron word":              {typ: "drone_cron", body: with("drone_cron", "expr", `"daily"`), want: attr(`expr`, `"daily"`)},
		"cron four fields":       {typ: "drone_cron", body: with("drone_cron", "expr", `"* * * *"`), want: attr(`Invalid cron expression`, `expr`)},
		"cron minute 61":         {typ: "drone_cron", body: with("drone_cron", "expr", `"0 61 * * * *"`), want: attr(`Invalid cron expression`, `above maximum`)},
		"cron month 13":          {typ: "drone_cron", body: with("drone_cron", "expr", `"0 0 0 * 13 *"`), want: attr(`Invalid cron expression`, `expr`)},
		"cron descriptor":        {typ: "drone_cron", body: with("drone_cron", "expr", `"@fortnightly"`), want: attr(`expr`, `Unrecognized\s+descriptor`)},
		"cron bad repository":    {typ: "drone_cron", body: with("drone_cron", "repository", `"octo/app/x"`), want: attr(`Attribute repository`, `owner/name`)},
		"cron name without word": {typ: "drone_cron", body: with("drone_cron", "name", `"!!!"`), want: attr(`name`, `at least one letter or digit`)},
		"cron event":             {typ: "drone_cron", body: with("drone_cron", "event", `"tag"`), want: attr(`Attribute event`, `push`)},
		// drone_template
		"template extension":     {typ: "drone_template", body: with("drone_template", "name", `"base.txt"`), want: attr(`name`, `unsupported extension ".txt"`)},
		"template namespace":     {typ: "drone_template", body: with("drone_template", "namespace", `"my org"`), want: attr(`Attribute namespace`, `must be`)},
		"template empty data":    {typ: "drone_template", body: with("drone_template", "data", `""`), want: attr(`Attribute data`, `length`)},
		"user login with space":  {typ: "drone_user", body: with("drone_user", "login", `"robot one"`), want: attr(`Attribute login`, `letters, digits`)},
		"user login with slash":  {typ: "drone_user", body: with("drone_user", "login", `"octo/robot"`), want: attr(`Attribute login`, `letters, digits`)},
		"user inactive admin":    {typ: "drone_user", body: with("drone_user", "admin", `true`, "active", `false`), want: `Inactive user cannot be admin`},
		"drone server scheme":    {typ: "drone_user", body: validBodies["drone_user"], provider: `provider "drone" { server = "ftp://drone.example" }`, want: attr(`server`, `absolute http:// or https:// URL`)},
		"drone server no host":   {typ: "drone_user", body: validBodies["drone_user"], provider: `provider "drone" { server = "drone.example:8080" }`, want: attr(`server`, `absolute http:// or https:// URL`)},
		"drone negative timeout": {typ: "drone_user", body: validBodies["drone_user"], provider: `provider "drone" { request_timeout = "-5s" }`, want: attr(`request_timeout`, `positive Go duration`)},
		"drone bad retries":      {typ: "drone_user", body: validBodies["drone_user"], provider: `provider "drone" { max_retries = -1 }`, want: attr(`Attribute max_retries`, `between 0 and 20`)},

		// galaxias_*
		"project name leading dash": {typ: "galaxias_project", body: with("galaxias_project", "name", `"-shop"`), want: attr(`Attribute name`, `start with a letter or digit`)},
		"project name with space":   {typ: "galaxias_project", body: with("galaxias_project", "name", `"my shop"`), want: attr(`Attribute name`, `letters, digits`)},
		"project long description":  {typ: "galaxias_project", body: with("galaxias_project", "description", `"`+strings.Repeat("x", 1025)+`"`), want: attr(`Attribute description`, `length`)},
		"cluster config not YAML":   {typ: "galaxias_cluster", body: with("galaxias_cluster", "config", `"clusters: [unclosed"`), want: attr(`config`, `YAML`)},
		"cluster config and wo":     {typ: "galaxias_cluster", body: with("galaxias_cluster", "config_wo", kubeconfig), want: `(?s)config.*config_wo`},
		"cluster empty name":        {typ: "galaxias_cluster", body: with("galaxias_cluster", "name", `""`), want: attr(`Attribute name`, `length`)},
		"env namespace uppercase":   {typ: "galaxias_environment", body: with("galaxias_environment", "namespace", `"Staging"`), want: attr(`namespace`, `(DNS|label|lowercase)`)},
		"env namespace underscore":  {typ: "galaxias_environment", body: with("galaxias_environment", "namespace", `"my_env"`), want: attr(`namespace`, `(DNS|label|lowercase)`)},
		"env zero cluster":          {typ: "galaxias_environment", body: with("galaxias_environment", "cluster_id", `0`), want: attr(`Attribute cluster_id`, `at least 1`)},
		"project env negative ids":  {typ: "galaxias_project_environment", body: with("galaxias_project_environment", "project_id", `-3`), want: attr(`Attribute project_id`, `at least 1`)},
		"project env empty name":    {typ: "galaxias_project_environment", body: with("galaxias_project_environment", "name", `""`), want: attr(`Attribute name`, `length`)},
		"app name with slash":       {typ: "galaxias_app", body: with("galaxias_app", "name", `"shop/cart"`), want: attr(`Attribute name`, `letters, digits`)},
		"app git project id":        {typ: "galaxias_app", body: with("galaxias_app", "git_project_id", `0`), want: attr(`Attribute git_project_id`, `at least 1`)},
		"app config not YAML":       {typ: "galaxias_app_config", body: with("galaxias_app_config", "values", `"replicaCount: [1,"`), want: attr(`values`, `YAML`)},
		"app config not a map":      {typ: "galaxias_app_config", body: with("galaxias_app_config", "values", `"- a\n- b\n"`), want: attr(`values`, `(map|mapping|object)`)},
		"app config tab indent":     {typ: "galaxias_app_config", body: with("galaxias_app_config", "values", `"image:\n\ttag: x\n"`), want: attr(`values`, `YAML`)},
		"user bad email":            {typ: "galaxias_user", body: with("galaxias_user", "email", `"not-an-email"`), want: attr(`Attribute email`, `e-?mail`)},
		"user role":                 {typ: "galaxias_user", body: with("galaxias_user", "role", `"root"`), want: attr(`Attribute role`, `deployer`)},
		"user short password":       {typ: "galaxias_user", body: with("galaxias_user", "password_wo", `"short"`), want: attr(`Attribute password_wo`, `length`)},
		"deploy version not semver": {typ: "galaxias_deployment", body: with("galaxias_deployment", "chart_version", `"1.0"`), want: attr(`chart_version`, `SemVer`)},
		"deploy version leading v":  {typ: "galaxias_deployment", body: with("galaxias_deployment", "chart_version", `"v1.2.3"`), want: attr(`chart_version`, `SemVer`)},
		"deploy version underscore": {typ: "galaxias_deployment", body: with("galaxias_deployment", "chart_version", `"1.0.0-feature_x-abcdef"`), want: attr(`chart_version`, `SemVer`)},
		"deploy chart name":         {typ: "galaxias_deployment", body: with("galaxias_deployment", "chart_name", `"my chart"`), want: attr(`Attribute chart_name`, `letters`)},
		"deploy negative timeout":   {typ: "galaxias_deployment", body: with("galaxias_deployment", "timeouts", `{ create = "-5m" }`), want: attr(`timeouts`, `(positive|negative)`)},
		"deploy zero timeout":       {typ: "galaxias_deployment", body: with("galaxias_deployment", "timeouts", `{ update = "0s" }`), want: attr(`timeouts`, `(positive|negative|zero)`)},
		"galaxias endpoint scheme":  {typ: "galaxias_project", body: validBodies["galaxias_project"], provider: `provider "galaxias" { endpoint = "localhost:8888" }`, want: attr(`endpoint`, `absolute http:// or https:// URL`)},
		"galaxias endpoint port":    {typ: "galaxias_project", body: validBodies["galaxias_project"], provider: `provider "galaxias" { endpoint = "http://galaxias:" }`, want: attr(`endpoint`, `empty port`)},
		"galaxias zero timeout":     {typ: "galaxias_project", body: validBodies["galaxias_project"], provider: `provider "galaxias" { request_timeout = "0s" }`, want: attr(`request_timeout`, `positive Go duration`)},
		"galaxias token and user":   {typ: "galaxias_project", body: validBodies["galaxias_project"], provider: "provider \"galaxias\" {\n  token = \"t\"\n  username = \"u\"\n}", want: attr(`token`, `username`)},

		// importers
		"import repo one part":          {typ: "drone_repo", importID: "app", want: `import id "app" must have the form owner/name`},
		"import repo three parts":       {typ: "drone_repo", importID: "octo/app/x", want: `must have the form owner/name`},
		"import repo empty owner":       {typ: "drone_repo", importID: "/app", want: `(?s)must have the form owner/name: owner is empty`},
		"import secret two parts":       {typ: "drone_secret", importID: "octo/app", want: `must have the form owner/repo/name`},
		"import secret empty name":      {typ: "drone_secret", importID: "octo/app/", want: `(?s)owner/repo/name: name is empty`},
		"import secret spaces":          {typ: "drone_secret", importID: "octo/ app/x", want: `(?s)owner/repo/name: repo is empty or has spaces`},
		"import orgsecret one part":     {typ: "drone_orgsecret", importID: "octo", want: `must have the form namespace/name`},
		"import orgsecret three parts":  {typ: "drone_orgsecret", importID: "octo/a/b", want: `must have the form namespace/name`},
		"import cron two parts":         {typ: "drone_cron", importID: "octo/app", want: `must have the form owner/repo/name`},
		"import template one part":      {typ: "drone_template", importID: "base.yaml", want: `must have the form namespace/name`},
		"import user with slash":        {typ: "drone_user", importID: "octo/robot", want: `must have the form login`},
		"import project name":           {typ: "galaxias_project", importID: "shop", want: `id "shop" must be a positive integer`},
		"import project zero":           {typ: "galaxias_project", importID: "0", want: `id "0" must be a positive integer`},
		"import cluster negative":       {typ: "galaxias_cluster", importID: "-4", want: `id "-4" must be a positive integer`},
		"import environment pair":       {typ: "galaxias_environment", importID: "1/2", want: `id "1/2" must be a positive integer`},
		"import project env name":       {typ: "galaxias_project_environment", importID: "staging", want: `must be a positive integer`},
		"import app name":               {typ: "galaxias_app", importID: "cart", want: `id "cart" must be a positive integer`},
		"import app config one id":      {typ: "galaxias_app_config", importID: "7", want: `must have the form app_id/project_environment_id`},
		"import app config text":        {typ: "galaxias_app_config", importID: "7/staging", want: `project_environment_id "staging" must be a positive integer`},
		"import app config three parts": {typ: "galaxias_app_config", importID: "1/2/3", want: `must have the form app_id/project_environment_id`},
		"import app config zero":        {typ: "galaxias_app_config", importID: "0/2", want: `app_id "0" must be a positive integer`},
		"import user name":              {typ: "galaxias_user", importID: "ci", want: `id "ci" must be a positive integer`},
		"import deployment float":       {typ: "galaxias_deployment", importID: "1.5", want: `deployment id "1.5" must be a positive integer`},
		"import deployment empty":       {typ: "galaxias_deployment", importID: " ", want: `deployment id " " must be a positive integer`},
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			provider := tc.provider
			if provider == "" {
				provider = droneProvider
				if strings.HasPrefix(tc.typ, "galaxias_") {
					provider = galaxiasProvider
				}
			}
			body := tc.body
			if body == "" {
				body = validBodies[tc.typ]
			}
			step := resource.TestStep{
				Config: provider + "\nresource \"" + tc.typ + "\" \"x\" {\n" + body + "\n}\n",
				// Terraform wraps long messages: a space in a pattern matches any run of white space.
				ExpectError: regexp.MustCompile(strings.ReplaceAll(tc.want, " ", `\s+`)),
			}
			if tc.importID != "" {
				step.ImportState, step.ImportStateId, step.ResourceName = true, tc.importID, tc.typ+".x"
			} else {
				step.PlanOnly = true
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: []resource.TestStep{step}})
		})
	}
}
