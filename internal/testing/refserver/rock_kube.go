package refserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// The rock dialect's calls to a cluster's API server (the server of the
// cluster's kubeconfig), and the errors the re-implementation's client-go
// makes of a refusal, which its error handler passes on as
// 500 {"error": {"ErrStatus": <Status>}, "error_code": 5000001}.

// kubeStatus is an answer of an API server other than 2xx.
type kubeStatus struct {
	code int
	body []byte
	text bool // a text/plain answer
}

func (e *kubeStatus) Error() string { return fmt.Sprintf("API server answered %d", e.code) }

// kubeGet reads path from the API server a kubeconfig points at.
func (s *Server) kubeGet(ctx context.Context, kubeconfig, path string) ([]byte, error) {
	return s.kubeDo(ctx, kubeconfig, http.MethodGet, path, nil)
}

// kubeDo sends one request (a JSON body when body is not nil) to the API
// server a kubeconfig points at, with the kubeconfig's credentials.
func (s *Server) kubeDo(ctx context.Context, kubeconfig, method, path string, body any) ([]byte, error) {
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	if err != nil {
		return nil, err
	}
	cfg.Timeout = s.kubeTimeout
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	host := cfg.Host
	if !strings.Contains(host, "://") {
		host = "https://" + host
	}
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(host, "/")+path, rd) //nolint:gosec // the cluster's own API server, which the re-implementation calls too
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req) //nolint:gosec // as above
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		return nil, &kubeStatus{code: resp.StatusCode, body: raw, text: mt == "text/plain"}
	}
	return raw, nil
}

// rockKubeError is the answer to an API server's refusal of a typed call
// (client-go's Get, List, Update: the answer decoded into an object): the
// server's own Status object when it sent one (recorded: deployments.jsonl
// 40, 41), else client-go's generic error (rockKubeRawError). Any other
// failure is the Go error value, which marshals as {}.
func rockKubeError(err error, resource, name string) error {
	var ks *kubeStatus
	if !errors.As(err, &ks) {
		return rockPanic(struct{}{})
	}
	var st map[string]any
	if json.Unmarshal(ks.body, &st) == nil && st["kind"] == "Status" && st["status"] == "Failure" {
		out := map[string]any{"metadata": map[string]any{}}
		for _, k := range []string{"metadata", "status", "message", "reason", "details", "code"} {
			if v, ok := st[k]; ok && v != nil && v != "" {
				out[k] = v
			}
		}
		return rockPanic(map[string]any{"ErrStatus": out}) // kind and apiVersion are dropped by the decoding
	}
	return rockKubeRawError(err, resource, name)
}

// rockKubeRawError is the answer to an API server's refusal of a raw call
// (client-go's Do().Raw(): the version probe of the scale routes, pod logs):
// client-go's generic error for the status code, whatever the body says
// (recorded: deployments.jsonl 42-44). resource and name, when known, are
// what the request named.
func rockKubeRawError(err error, resource, name string) error {
	var ks *kubeStatus
	if !errors.As(err, &ks) {
		return rockPanic(struct{}{})
	}
	server := "unknown"
	if ks.text {
		server = strings.TrimSpace(string(ks.body))
	}
	reason, msg := kubeGenericReason(ks.code, server)
	switch {
	case resource != "" && name != "":
		msg = fmt.Sprintf("%s (get %s %s)", msg, resource, name)
	case resource != "":
		msg = fmt.Sprintf("%s (get %s)", msg, resource)
	}
	details := map[string]any{"causes": []any{map[string]any{"reason": "UnexpectedServerResponse", "message": server}}}
	if resource != "" {
		details["kind"] = resource
	}
	if name != "" {
		details["name"] = name
	}
	return rockPanic(map[string]any{"ErrStatus": map[string]any{"metadata": map[string]any{}, "status": "Failure",
		"message": msg, "reason": reason, "details": details, "code": ks.code}})
}

// kubeGenericReason is client-go's reason and message for a status code
// that came without a Status object.
func kubeGenericReason(code int, server string) (string, string) {
	switch code {
	case http.StatusNotFound:
		return "NotFound", "the server could not find the requested resource"
	case http.StatusBadRequest:
		return "BadRequest", "the server rejected our request for an unknown reason"
	case http.StatusUnauthorized:
		return "Unauthorized", "the server has asked for the client to provide credentials"
	case http.StatusForbidden:
		return "Forbidden", "the server does not allow access to the requested resource"
	case http.StatusMethodNotAllowed:
		return "MethodNotAllowed", "the server does not allow this method on the requested resource"
	case http.StatusConflict:
		return "Conflict", "the server reported a conflict"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable", "the server is currently unable to handle the request"
	}
	if code >= 500 {
		return "InternalError", fmt.Sprintf("an error on the server (%q) has prevented the request from succeeding", server)
	}
	return "Unknown", fmt.Sprintf("the server responded with the status code %d but did not return more information", code)
}
