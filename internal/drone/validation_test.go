package drone_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// Cron expressions as Drone 1.10 judges them (see TestAccCron_serverParser,
// which checks these same lists against the real server).
var (
	cronAccepted = []string{
		"0 0 2 * * *", "0 */15 * * * *", "0 30 9 * * 1-5", "0 0 0 1 1 *", "*/10 * * * * *",
		"0 0 12 * * MON", "0 0 0 * JAN *", "0 0 3 * *", // day of week may be left out
		"@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m",
	}
	cronRejected = []string{
		"", "daily", "@fortnightly", "@every", "* * * *", "0 0 0 0 0 0 0", "60 * * * * *", "0 60 * * * *",
		"0 0 24 * * *", "0 0 0 32 * *", "0 0 0 * 13 *", "0 0 0 * * 8", "0 0 0 * * FOO", "0 5-1 * * * *",
		"0 */0 * * * *", "CRON_TZ=UTC 0 0 2 * * *", "TZ=UTC 0 0 2 * * *",
	}
)

func TestParseCron(t *testing.T) {
	for _, e := range cronAccepted {
		if err := drone.ParseCron(e); err != nil {
			t.Errorf("ParseCron(%q) = %v, want ok", e, err)
		}
	}
	for _, e := range cronRejected {
		if err := drone.ParseCron(e); err == nil {
			t.Errorf("ParseCron(%q) = ok, want an error", e)
		}
	}
}

func TestCronSlug(t *testing.T) {
	for in, want := range map[string]string{
		"nightly":           "nightly",
		"Nightly Build":     "nightly-build",
		"  weekly--report ": "weekly-report",
		"deploy_prod":       "deploy_prod",
		"Café & Crème":      "cafe-and-creme",
		"a/b":               "a-b",
		"!!!":               "",
	} {
		if got := drone.CronSlug(in); got != want {
			t.Errorf("CronSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

// planError runs a plan-only step of one resource body and expects an error.
func planError(t *testing.T, typ, body, want string) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `resource "` + typ + `" "x" {` + "\n" + body + "\n}",
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(want),
		}},
	})
}

func TestCron_validation(t *testing.T) {
	base := map[string]string{"repository": `"o/r"`, "name": `"nightly"`, "expr": `"@daily"`, "branch": `"main"`}
	body := func(over map[string]string) string {
		var b strings.Builder
		for k, v := range base {
			if o, ok := over[k]; ok {
				v = o
			}
			if v != "" {
				b.WriteString(k + " = " + v + "\n")
			}
		}
		for k, v := range over {
			if _, ok := base[k]; !ok {
				b.WriteString(k + " = " + v + "\n")
			}
		}
		return b.String()
	}
	cases := map[string]struct {
		over map[string]string
		want string
	}{
		"minute out of range": {map[string]string{"expr": `"0 61 * * * *"`}, `(?s)Invalid cron expression.*"0 61 \* \* \* \*".*above maximum`},
		"descriptor":          {map[string]string{"expr": `"@fortnightly"`}, `(?s)"@fortnightly".*Unrecognized\s+descriptor`},
		"word":                {map[string]string{"expr": `"daily"`}, `(?s)"daily"`},
		"timezone prefix":     {map[string]string{"expr": `"CRON_TZ=UTC 0 0 2 * * *"`}, `(?s)Invalid cron expression.*CRON_TZ`},
		"empty name":          {map[string]string{"name": `"!!!"`}, `(?s)name.*at least one letter or digit`},
		"empty branch":        {map[string]string{"branch": `""`}, `(?s)branch.*length`},
		"bad repository":      {map[string]string{"repository": `"norepo"`}, `repository`},
		"event":               {map[string]string{"event": `"tag"`}, `(?s)event.*push`},
		"no expr":             {map[string]string{"expr": ""}, `(?s)"expr" is required`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { planError(t, "drone_cron", body(tc.over), tc.want) })
	}
}

func TestOrgSecret_validation(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"bad name":       {`name = "has space"` + "\n" + `value = "x"`, `name`},
		"bad namespace":  {`name = "ok"` + "\n" + `value = "x"` + "\n" + `namespace = "a/b"`, `namespace`},
		"no value":       {`name = "ok"`, `Exactly one of these attributes must be configured: \[value,value_wo\]`},
		"both values":    {`name = "ok"` + "\n" + `value = "x"` + "\n" + `value_wo = "y"`, `(?s)value.*value_wo`},
		"empty value":    {`name = "ok"` + "\n" + `value = ""`, `(?s)value.*length`},
		"version alone":  {`name = "ok"` + "\n" + `value = "x"` + "\n" + `value_wo_version = 1`, `value_wo`},
		"no namespace":   {`name = "ok"` + "\n" + `value = "x"` + "\n" + `namespace = null`, `(?s)Missing Configuration for Required Attribute.*namespace`},
		"empty name":     {`name = ""` + "\n" + `value = "x"`, `name`},
		"namespace only": {`namespace = "acme"` + "\n" + `value = "x"`, `"name" is required`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := tc.body
			if !strings.Contains(body, "namespace") {
				body += "\n" + `namespace = "acme"`
			}
			planError(t, "drone_orgsecret", body, tc.want)
		})
	}
}

func TestTemplate_validation(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"no extension":    {`name = "pipeline"`, `(?s)name.*no extension`},
		"bad extension":   {`name = "pipeline.txt"`, `(?s)name.*unsupported extension ".txt"`},
		"only extension":  {`name = ".yaml"`, `(?s)name.*ending in`},
		"slash":           {`name = "a/b.yaml"`, `(?s)name.*no '/'`},
		"empty data":      {`name = "p.yaml"` + "\n" + `data = ""`, `(?s)data.*length`},
		"bad namespace":   {`name = "p.yaml"` + "\n" + `namespace = "a b"`, `namespace`},
		"missing data":    {`name = "p.yaml"` + "\n" + `data = null`, `(?s)Missing Configuration for Required Attribute.*data`},
		"upper extension": {`name = "p.YAML"`, `(?s)unsupported extension ".YAML"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := tc.body
			if !strings.Contains(body, "namespace") {
				body += "\n" + `namespace = "acme"`
			}
			if !strings.Contains(body, "data") {
				body += "\n" + `data = "kind: pipeline"`
			}
			planError(t, "drone_template", body, tc.want)
		})
	}
}

func TestUser_validation(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"bad login":       {`login = "a b"`, `login`},
		"long login":      {`login = "` + strings.Repeat("a", 51) + `"`, `(?s)login.*length`},
		"inactive admin":  {`login = "bot"` + "\n" + `admin = true` + "\n" + `active = false`, `Inactive user cannot be admin`},
		"token is output": {`login = "bot"` + "\n" + `token = "x"`, `(?s)token.*(read-only|Invalid Configuration for Read-Only)`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { planError(t, "drone_user", tc.body, tc.want) })
	}
}

func TestDataSources_validation(t *testing.T) {
	cases := map[string]struct{ config, want string }{
		"repo slug":       {`data "drone_repo" "r" { repository = "x" }`, `repository`},
		"secrets slug":    {`data "drone_secrets" "s" { repository = "a/b/c" }`, `repository`},
		"orgsecrets ns":   {`data "drone_orgsecrets" "s" { namespace = "a/b" }`, `namespace`},
		"user login":      {`data "drone_user" "u" { login = "a b" }`, `login`},
		"user_self input": {`data "drone_user_self" "u" { login = "x" }`, `(?s)login`},
		"repos sync type": {`data "drone_repos" "r" { sync = "maybe" }`, `(?s)sync`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
