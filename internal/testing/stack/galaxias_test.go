package stack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// fakeGalaxias answers login and user creation like the reference server.
func fakeGalaxias(t *testing.T, existing bool, cookieOnly bool) *httptest.Server {
	users := map[string]string{"admin": "pw"}
	if existing {
		users["tfadmin"] = "tfpw"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Name, Password string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		if users[in.Name] == "" || users[in.Name] != in.Password {
			http.Error(w, `{"error":"bad credentials"}`, http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "token", Value: "jwt-" + in.Name})
		if cookieOnly {
			_, _ = w.Write([]byte(`{"name":"` + in.Name + `"}`))
			return
		}
		_, _ = w.Write([]byte(`{"name":"` + in.Name + `","token":"jwt-` + in.Name + `"}`))
	})
	mux.HandleFunc("POST /v1/users", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer jwt-admin" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var in struct{ Name, Password, Role string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		if in.Role != "admin" {
			t.Errorf("role %q", in.Role)
		}
		if users[in.Name] != "" {
			http.Error(w, `{"error":"exists"}`, http.StatusConflict)
			return
		}
		users[in.Name] = in.Password
		w.WriteHeader(201)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestGalaxiasSetup(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		existing, cookieOnly bool
		tfPassword           string
		wantErr              bool
	}{
		{name: "fresh", tfPassword: "new"},
		{name: "cookie only", cookieOnly: true, tfPassword: "new"},
		{name: "restart", existing: true, tfPassword: "tfpw"},
		{name: "restart with a lost password", existing: true, tfPassword: "other", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeGalaxias(t, tc.existing, tc.cookieOnly)
			st := &state{GalaxiasAdminPassword: "pw", GalaxiasTFPassword: tc.tfPassword}
			env := new(Env)
			err := galaxiasSetup(context.Background(), srv.URL, st, env)
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := Env{GalaxiasEndpoint: srv.URL, GalaxiasToken: "jwt-admin", GalaxiasUsername: "tfadmin", GalaxiasPassword: tc.tfPassword}
			if *env != want {
				t.Fatalf("env = %+v, want %+v", env, want)
			}
		})
	}
}

// TestRockSetup runs the rock dialect's setup against the reference server
// in that dialect, as a fresh start, a restart and a restart whose saved
// password no longer works.
func TestRockSetup(t *testing.T) {
	srv := refservertest.Start(t, refserver.Options{Dialect: refserver.DialectRock, AdminName: "admin", AdminPassword: "Admin-pw1"})
	ctx := context.Background()
	st := &state{RockAdminPassword: "Admin-pw1", RockTFPassword: "Rk-tfadmin-1"}
	for _, run := range []string{"fresh", "restart"} {
		env := new(Env)
		if err := rockSetup(ctx, srv.URL, st, env); err != nil {
			t.Fatalf("%s: %v", run, err)
		}
		if env.GalaxiasRockEndpoint != srv.URL || env.GalaxiasRockToken == "" || env.GalaxiasRockUsername != "tfadmin" || env.GalaxiasRockPassword != "Rk-tfadmin-1" {
			t.Fatalf("%s: env = %+v", run, env)
		}
		// The token is the admin's current one.
		resp, err := do(ctx, request{method: "GET", url: srv.URL + "/v1/users?page_num=1&page_size=10", header: bearer(env.GalaxiasRockToken)})
		if err != nil || resp.status != 200 || !strings.Contains(string(resp.body), `"role_id":1`) {
			t.Fatalf("%s: GET /v1/users with the token: %v %v", run, resp, err)
		}
		time.Sleep(1100 * time.Millisecond) // the next admin login must not fall into this second
	}
	st.RockTFPassword = "Rk-another-2"
	if err := rockSetup(ctx, srv.URL, st, new(Env)); err == nil {
		t.Fatal("a restart with a lost tfadmin password did not fail")
	}
}
