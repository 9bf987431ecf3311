package client

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
)

// templatesSince is the first Drone version with the templates API.
const templatesSince = "Drone 2.0 or later"

// v1Templates are Drone 2's templates. Drone 1.x, which this dialect also
// speaks, has none: a 404 is checked against the collection and, when that
// is missing too, explained.
type v1Templates struct {
	c    *Client
	info ServerInfo
}

// templateAnswer is a template as Drone 2 returns it (drone-go's Template
// has no namespace).
type templateAnswer struct {
	Namespace string `json:"namespace"`
	drone.Template
}

func templatePath(namespace string, name ...string) (string, error) {
	return Path(append([]string{"api", "templates", namespace}, name...)...)
}

// explain turns the 404 of a server without the templates API into an
// error that says so; it still counts as a 404 (IsNotFound).
func (a v1Templates) explain(ctx context.Context, namespace string, err error) error {
	if !IsNotFound(err) {
		return err
	}
	collection, perr := templatePath(namespace)
	if perr != nil {
		return err
	}
	if lerr := a.c.Do(ctx, http.MethodGet, collection, nil, nil); !IsNotFound(lerr) {
		return err // the API exists: the 404 is about this template
	}
	server := "This Drone server (an unknown version)"
	if a.info.Version != "" {
		server = "This Drone server (version " + a.info.Version + ")"
	}
	return &UnsupportedError{Server: server, What: "templates API (GET " + collection + " answers 404)",
		Needs: templatesSince + "; upgrade the server or remove the drone_template resources and data sources", Cause: err}
}

var template1 = identity[templateAnswer]{"name", func(t *templateAnswer) string { return t.Name }}

func (a v1Templates) exchange(ctx context.Context, method, namespace, path string, in any) (*Template, error) {
	t, err := one(ctx, a.c, template1, method, path, in)
	if err != nil {
		return nil, a.explain(ctx, namespace, err)
	}
	return &Template{Namespace: namespace, Name: t.Name, Data: t.Data}, nil
}

func (a v1Templates) List(ctx context.Context, namespace string) ([]Template, error) {
	p, err := templatePath(namespace)
	if err != nil {
		return nil, err
	}
	templates, err := list(ctx, a.c, template1, p)
	if err != nil {
		return nil, a.explain(ctx, namespace, err)
	}
	out := make([]Template, 0, len(templates))
	for _, t := range templates {
		out = append(out, Template{Namespace: namespace, Name: t.Name, Data: t.Data})
	}
	return out, nil
}

func (a v1Templates) Get(ctx context.Context, namespace, name string) (*Template, error) {
	p, err := templatePath(namespace, name)
	if err != nil {
		return nil, err
	}
	return a.exchange(ctx, http.MethodGet, namespace, p, nil)
}

func (a v1Templates) Create(ctx context.Context, in Template) (*Template, error) {
	p, err := templatePath(in.Namespace)
	if err != nil {
		return nil, err
	}
	return a.exchange(ctx, http.MethodPost, in.Namespace, p, &drone.Template{Name: in.Name, Data: in.Data})
}

func (a v1Templates) Update(ctx context.Context, in Template) (*Template, error) {
	p, err := templatePath(in.Namespace, in.Name)
	if err != nil {
		return nil, err
	}
	return a.exchange(ctx, http.MethodPatch, in.Namespace, p, &drone.Template{Data: in.Data})
}

func (a v1Templates) Delete(ctx context.Context, namespace, name string) error {
	p, err := templatePath(namespace, name)
	if err != nil {
		return err
	}
	return a.c.deleteIfPresent(ctx, p)
}
