package serve

import "testing"

func TestQuietLogs(t *testing.T) {
	set := map[string]string{}
	setenv := func(k, v string) error { set[k] = v; return nil }
	QuietLogs([]string{"HOME=/root", "TF_LOG_PATH_X="}, setenv, "galaxias", "my-drone")
	for _, k := range append(sdkLogVars, "TF_LOG_PROVIDER_GALAXIAS", "TF_LOG_PROVIDER_MY_DRONE") {
		if set[k] != "off" {
			t.Errorf("with no TF_LOG*, %s = %q, want off", k, set[k])
		}
	}
	for _, env := range [][]string{{"TF_LOG=trace"}, {"TF_LOG_PROVIDER=debug"}, {"TF_LOG_SDK_FRAMEWORK=info"}, {"TF_LOG_PROVIDER_GALAXIAS=debug"}} {
		set = map[string]string{}
		QuietLogs(env, setenv, "galaxias")
		if len(set) != 0 {
			t.Errorf("with %v the provider changed %v", env, set)
		}
	}
}
