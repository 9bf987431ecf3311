package galaxias

import "go.yaml.in/yaml/v3"

// kubeServer returns the API server of a kubeconfig's current context (or
// of its only cluster), "" when the kubeconfig does not name one.
func kubeServer(kubeconfig string) string {
	var kc struct {
		CurrentContext string `yaml:"current-context"`
		Contexts       []struct {
			Name    string `yaml:"name"`
			Context struct {
				Cluster string `yaml:"cluster"`
			} `yaml:"context"`
		} `yaml:"contexts"`
		Clusters []struct {
			Name    string `yaml:"name"`
			Cluster struct {
				Server string `yaml:"server"`
			} `yaml:"cluster"`
		} `yaml:"clusters"`
	}
	if yaml.Unmarshal([]byte(kubeconfig), &kc) != nil {
		return ""
	}
	cluster := ""
	for _, c := range kc.Contexts {
		if c.Name == kc.CurrentContext {
			cluster = c.Context.Cluster
		}
	}
	for _, c := range kc.Clusters {
		if c.Name == cluster || cluster == "" && len(kc.Clusters) == 1 {
			return c.Cluster.Server
		}
	}
	return ""
}
