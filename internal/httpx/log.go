package httpx

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// sensitiveKeys are log field keys whose values are always masked.
var sensitiveKeys = []string{
	"authorization", "Authorization", "cookie", "Cookie", "set-cookie", "Set-Cookie",
	"token", "password", "secret", "data", "value", "config",
}

// maskForms returns every form in which a secret can reach a log line: as
// it is, and escaped as in a URL query or path. The escaped forms come first,
// since they are longer than the secret itself. Computed once per client.
func maskForms(secrets []string) []string {
	var forms []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, e := range []string{url.QueryEscape(s), url.PathEscape(s), (&url.URL{Path: s}).EscapedPath()} {
			if e != s {
				forms = append(forms, e)
			}
		}
		forms = append(forms, s)
	}
	return forms
}

// withLogging returns ctx with the subsystem registered and every secret
// (in all its forms, from maskForms) masked, in fields and in messages.
func withLogging(ctx context.Context, subsystem string, masks []string) context.Context {
	ctx = tflog.NewSubsystem(ctx, subsystem)
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, subsystem, sensitiveKeys...)
	if len(masks) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, subsystem, masks...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, subsystem, masks...)
	}
	return ctx
}

// leveled adapts go-retryablehttp's LeveledLogger to tflog, bound to the
// context of the operation that issued the request.
type leveled struct {
	ctx       context.Context
	subsystem string
}

var _ retryablehttp.LeveledLogger = leveled{}

func fields(kv []any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
	}
	return m
}

func (l leveled) Error(msg string, kv ...any) {
	tflog.SubsystemError(l.ctx, l.subsystem, msg, fields(kv))
}
func (l leveled) Info(msg string, kv ...any) {
	tflog.SubsystemInfo(l.ctx, l.subsystem, msg, fields(kv))
}
func (l leveled) Debug(msg string, kv ...any) {
	tflog.SubsystemDebug(l.ctx, l.subsystem, msg, fields(kv))
}
func (l leveled) Warn(msg string, kv ...any) {
	tflog.SubsystemWarn(l.ctx, l.subsystem, msg, fields(kv))
}

func logWarn(ctx context.Context, subsystem, msg string, f map[string]any) {
	tflog.SubsystemWarn(ctx, subsystem, msg, f)
}

func logDebug(ctx context.Context, subsystem, msg string, f map[string]any) {
	tflog.SubsystemDebug(ctx, subsystem, msg, f)
}

// requestLogHook logs each attempt: method, URL and attempt number. Headers
// and bodies are never logged.
func requestLogHook(ctx context.Context, subsystem string) retryablehttp.RequestLogHook {
	return func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		tflog.SubsystemDebug(ctx, subsystem, "sending request", map[string]any{
			"method": req.Method, "url": req.URL.Redacted(), "attempt": attempt + 1,
		})
	}
}

// responseLogHook logs the status of each attempt.
func responseLogHook(ctx context.Context, subsystem string) retryablehttp.ResponseLogHook {
	return func(_ retryablehttp.Logger, resp *http.Response) {
		f := map[string]any{"status": resp.StatusCode}
		if resp.Request != nil {
			f["method"] = resp.Request.Method
			f["url"] = resp.Request.URL.Redacted()
		}
		tflog.SubsystemDebug(ctx, subsystem, "received response", f)
	}
}
