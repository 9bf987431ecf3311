// Package kubecheck reads what a release made in a Kubernetes API server
// (the local stack's kube-apiserver): the tests look where a user looks
// after `terraform apply` (kubectl get deployment) instead of asking the
// Galaxias server what it rendered.
package kubecheck

import (
	"context"
	"fmt"
	"os"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// Client reads one API server.
type Client struct {
	cs kubernetes.Interface
}

// New returns a client of the API server of a kubeconfig (its text).
func New(kubeconfig string) (*Client, error) {
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{cs: cs}, nil
}

// FromEnv returns a client of the API server of GALAXIAS_KUBECONFIG, or nil
// when it is not set (no stack: the server under test has no cluster).
func FromEnv() (*Client, error) {
	kc := os.Getenv("GALAXIAS_KUBECONFIG")
	if kc == "" {
		return nil, nil
	}
	return New(kc)
}

// Deployment returns the Deployment namespace/name, or nil when there is
// none.
func (c *Client) Deployment(ctx context.Context, namespace, name string) (*appsv1.Deployment, error) {
	d, err := c.cs.AppsV1().Deployments(namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	return d, err
}

// Deployed is what a Deployment runs: its replicas and the image of each
// container, in order.
type Deployed struct {
	Replicas int32
	Images   []string
	Labels   map[string]string
}

// Running returns what the Deployment namespace/name runs, or an error
// that says it does not exist.
func (c *Client) Running(ctx context.Context, namespace, name string) (*Deployed, error) {
	d, err := c.Deployment(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, fmt.Errorf("no Deployment %s/%s in the API server", namespace, name)
	}
	out := &Deployed{Labels: d.Labels}
	if d.Spec.Replicas != nil {
		out.Replicas = *d.Spec.Replicas
	}
	for _, ct := range d.Spec.Template.Spec.Containers {
		out.Images = append(out.Images, ct.Image)
	}
	return out, nil
}

// ReleaseObjects names what Helm keeps of release in namespace: its
// Deployments, ConfigMaps and Services (by the names the test charts give
// them: the release's name) and its release records (Secrets labelled
// owner=helm, name=<release>), as "kind/name". Empty: nothing is left.
func (c *Client) ReleaseObjects(ctx context.Context, namespace, release string) ([]string, error) {
	var out []string
	if d, err := c.cs.AppsV1().Deployments(namespace).Get(ctx, release, metav1.GetOptions{}); err == nil {
		out = append(out, "deployment/"+d.Name)
	} else if !apierrors.IsNotFound(err) {
		return nil, err
	}
	if cm, err := c.cs.CoreV1().ConfigMaps(namespace).Get(ctx, release, metav1.GetOptions{}); err == nil {
		out = append(out, "configmap/"+cm.Name)
	} else if !apierrors.IsNotFound(err) {
		return nil, err
	}
	if svc, err := c.cs.CoreV1().Services(namespace).Get(ctx, release, metav1.GetOptions{}); err == nil {
		out = append(out, "service/"+svc.Name)
	} else if !apierrors.IsNotFound(err) {
		return nil, err
	}
	secrets, err := c.cs.CoreV1().Secrets(namespace).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm,name=" + release})
	if err != nil {
		return nil, err
	}
	for _, s := range secrets.Items {
		out = append(out, "secret/"+s.Name)
	}
	sort.Strings(out)
	return out, nil
}

// Scale sets the replicas of the Deployment namespace/name through its
// scale subresource, as `kubectl scale --replicas` does.
func (c *Client) Scale(ctx context.Context, namespace, name string, replicas int32) error {
	s, err := c.cs.AppsV1().Deployments(namespace).GetScale(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	s.Spec.Replicas = replicas
	_, err = c.cs.AppsV1().Deployments(namespace).UpdateScale(ctx, name, s, metav1.UpdateOptions{})
	return err
}
