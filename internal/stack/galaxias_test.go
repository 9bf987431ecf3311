package stack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
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
