package refserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/storage/driver"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// With Options.Install the server installs for real: a deployment runs
// Helm's `upgrade --install` of the release against the API server of the
// cluster's kubeconfig (release records in Secrets of the namespace, as
// Helm 3 keeps them; the namespace is created when missing), and deleting
// an instance runs `helm uninstall`, which removes the release's objects.
// Nothing waits for the objects to become ready (the local stack's API
// server has no kubelet: pods never run). Without it (tests that start the
// server in-process, with no API server beside it) the chart is only
// rendered.

// helmTimeout bounds one Helm operation against a cluster.
const helmTimeout = 2 * time.Minute

// installed is what an install or upgrade made: the release's manifest.
type installed struct {
	manifest string
}

// kubeGetter is Helm's view of a cluster: the kubeconfig's text, with the
// release's namespace as the default one.
type kubeGetter struct {
	cc clientcmd.ClientConfig
}

func newKubeGetter(kubeconfig, namespace string) (*kubeGetter, error) {
	raw, err := clientcmd.Load([]byte(kubeconfig))
	if err != nil {
		return nil, err
	}
	cc := clientcmd.NewDefaultClientConfig(*raw, &clientcmd.ConfigOverrides{Context: clientcmdapi.Context{Namespace: namespace}})
	return &kubeGetter{cc: cc}, nil
}

func (g *kubeGetter) ToRESTConfig() (*rest.Config, error) { return g.cc.ClientConfig() }

func (g *kubeGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	cfg, err := g.ToRESTConfig()
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return memory.NewMemCacheClient(dc), nil
}

func (g *kubeGetter) ToRESTMapper() (meta.RESTMapper, error) {
	dc, err := g.ToDiscoveryClient()
	if err != nil {
		return nil, err
	}
	return restmapper.NewShortcutExpander(restmapper.NewDeferredDiscoveryRESTMapper(dc), dc, nil), nil
}

func (g *kubeGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig { return g.cc }

// helmConfig is Helm's action configuration for a namespace of a cluster.
func (s *Server) helmConfig(kubeconfig, namespace string) (*action.Configuration, error) {
	g, err := newKubeGetter(kubeconfig, namespace)
	if err != nil {
		return nil, err
	}
	cfg := new(action.Configuration)
	logf := func(format string, v ...any) { s.log.Debug(fmt.Sprintf(format, v...), "helm", namespace) }
	if err := cfg.Init(g, namespace, "secret", logf); err != nil {
		return nil, err
	}
	return cfg, nil
}

// helmInstall does `helm upgrade --install release archive -n namespace
// -f values --create-namespace` against the cluster of kubeconfig: an
// install when the cluster has no release of that name, else an upgrade.
// Its error is Helm's own.
func (s *Server) helmInstall(ctx context.Context, kubeconfig string, archive []byte, release, namespace, values string) (*installed, error) {
	ch, err := loader.LoadArchive(bytes.NewReader(archive))
	if err != nil {
		return nil, err
	}
	vals, err := chartutil.ReadValues([]byte(values))
	if err != nil {
		return nil, err
	}
	cfg, err := s.helmConfig(kubeconfig, namespace)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, helmTimeout)
	defer cancel()
	if _, err := cfg.Releases.History(release); errors.Is(err, driver.ErrReleaseNotFound) {
		in := action.NewInstall(cfg)
		in.ReleaseName, in.Namespace, in.CreateNamespace, in.Timeout = release, namespace, true, helmTimeout
		rel, err := in.RunWithContext(ctx, ch, vals)
		if err != nil {
			return nil, err
		}
		return &installed{manifest: rel.Manifest}, nil
	} else if err != nil {
		return nil, err
	}
	up := action.NewUpgrade(cfg)
	up.Namespace, up.Timeout = namespace, helmTimeout
	rel, err := up.RunWithContext(ctx, release, ch, vals)
	if err != nil {
		return nil, err
	}
	return &installed{manifest: rel.Manifest}, nil
}

// helmUninstall does `helm uninstall release -n namespace` against the
// cluster of kubeconfig. A release the cluster does not have is no error:
// there is nothing left to remove.
func (s *Server) helmUninstall(kubeconfig, release, namespace string) error {
	cfg, err := s.helmConfig(kubeconfig, namespace)
	if err != nil {
		return err
	}
	un := action.NewUninstall(cfg)
	un.Timeout, un.IgnoreNotFound = helmTimeout, true
	_, err = un.Run(release)
	return err
}
