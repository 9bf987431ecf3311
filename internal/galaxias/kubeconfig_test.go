package galaxias

import "testing"

func TestKubeServer(t *testing.T) {
	cases := map[string]string{
		"current context": "clusters:\n- name: a\n  cluster:\n    server: https://a:6443\n- name: b\n  cluster:\n    server: https://b:6443\n" +
			"contexts:\n- name: x\n  context:\n    cluster: b\ncurrent-context: x\n",
		"only cluster": "clusters:\n- name: a\n  cluster:\n    server: https://a:6443\n",
		"none":         "clusters:\n- name: a\n  cluster:\n    server: https://a:6443\n- name: b\n  cluster:\n    server: https://b:6443\n",
		"not yaml":     "this is not a kubeconfig: [",
	}
	want := map[string]string{"current context": "https://b:6443", "only cluster": "https://a:6443", "none": "", "not yaml": ""}
	for name, kc := range cases {
		if got := kubeServer(kc); got != want[name] {
			t.Errorf("%s: got %q, want %q", name, got, want[name])
		}
	}
}
