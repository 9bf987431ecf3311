package client

import (
	"context"

	"github.com/drone/drone-go/drone"

	"github.com/galaxias/terraform-provider-galaxias/internal/batch"
)

// batched returns d with the reads of secrets and cron jobs served from
// their repository's (or organisation's) list: a refresh of many secrets
// of a repository sends one request for them all (see package batch).
// Drone's lists hold everything its single reads answer (never a value).
func batched(d Dialect) Dialect {
	d.Secrets = batchSecrets(d.Secrets)
	d.OrgSecrets = batchSecrets(d.OrgSecrets)
	if d.Crons != nil {
		d.Crons = batchedCrons{d.Crons, batch.New[drone.Cron](batch.TTL)}
	}
	return d
}

func batchSecrets(api SecretAPI) SecretAPI {
	if api == nil {
		return nil
	}
	return batchedSecrets{api, batch.New[Secret](batch.TTL)}
}

// batchedSecrets reads a secret from its scope's list.
type batchedSecrets struct {
	SecretAPI
	lists *batch.Lists[Secret]
}

// key is the scope's route: unique per scope, whatever the dialect.
func (s SecretScope) key() string {
	return s.Owner + "/" + s.Repo
}

func (b batchedSecrets) Get(ctx context.Context, scope SecretScope, name string) (*Secret, error) {
	if _, err := scope.path(name); err != nil {
		return b.SecretAPI.Get(ctx, scope, name) // refused before any request
	}
	parent := scope.key()
	list := func(ctx context.Context) (map[string]Secret, error) {
		secrets, err := b.SecretAPI.List(ctx, scope)
		if err != nil {
			return nil, err
		}
		out := make(map[string]Secret, len(secrets))
		for _, s := range secrets {
			out[parent+"/"+s.Name] = s
		}
		return out, nil
	}
	read := func(ctx context.Context) (*Secret, error) { return b.SecretAPI.Get(ctx, scope, name) }
	return b.lists.Read(ctx, parent, parent+"/"+name, list, read)
}

func (b batchedSecrets) Create(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error) {
	b.lists.Wrote(scope.key() + "/" + in.Name)
	return b.SecretAPI.Create(ctx, scope, in)
}

func (b batchedSecrets) Update(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error) {
	b.lists.Wrote(scope.key() + "/" + in.Name)
	return b.SecretAPI.Update(ctx, scope, in)
}

func (b batchedSecrets) Delete(ctx context.Context, scope SecretScope, name string) error {
	b.lists.Wrote(scope.key() + "/" + name)
	return b.SecretAPI.Delete(ctx, scope, name)
}

// batchedCrons reads a cron job from its repository's list.
type batchedCrons struct {
	CronAPI
	lists *batch.Lists[drone.Cron]
}

func (b batchedCrons) Get(ctx context.Context, owner, repo, name string) (*drone.Cron, error) {
	if _, err := cronPath(owner, repo, name); err != nil {
		return b.CronAPI.Get(ctx, owner, repo, name) // refused before any request
	}
	parent := owner + "/" + repo
	list := func(ctx context.Context) (map[string]drone.Cron, error) {
		crons, err := b.CronAPI.List(ctx, owner, repo)
		if err != nil {
			return nil, err
		}
		out := make(map[string]drone.Cron, len(crons))
		for _, c := range crons {
			out[parent+"/"+c.Name] = c
		}
		return out, nil
	}
	read := func(ctx context.Context) (*drone.Cron, error) { return b.CronAPI.Get(ctx, owner, repo, name) }
	return b.lists.Read(ctx, parent, parent+"/"+name, list, read)
}

func (b batchedCrons) Create(ctx context.Context, owner, repo string, in drone.Cron) (*drone.Cron, error) {
	b.lists.Wrote(owner + "/" + repo + "/" + in.Name)
	return b.CronAPI.Create(ctx, owner, repo, in)
}

func (b batchedCrons) Update(ctx context.Context, owner, repo, name string, in drone.CronPatch) (*drone.Cron, error) {
	b.lists.Wrote(owner + "/" + repo + "/" + name)
	return b.CronAPI.Update(ctx, owner, repo, name, in)
}

func (b batchedCrons) Delete(ctx context.Context, owner, repo, name string) error {
	b.lists.Wrote(owner + "/" + repo + "/" + name)
	return b.CronAPI.Delete(ctx, owner, repo, name)
}
