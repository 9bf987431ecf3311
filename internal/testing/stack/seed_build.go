package stack

import (
	"context"
	"fmt"
	"net/http"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/gitea"
)

// RemoveDemoBuild deletes from the chart repository the chart that
// SeedDemo's build of release uploaded (make demo-destroy: the demo's
// pipeline made it), so that the next demo's first apply deploys the seed's
// newest chart again and its pipeline step a newer one. The release's commit
// stays in Gitea; a later build of the release uploads the chart again. It
// returns the chart version removed, or "" when there was none.
func (l *Launcher) RemoveDemoBuild(ctx context.Context, release string) (string, error) {
	env, err := Load(l.StackDir())
	if err != nil {
		return "", fmt.Errorf("the stack is not running (go run ./cmd/stack up): %w", err)
	}
	g := &gitea.Client{URL: env.GiteaURL, Token: env.GiteaToken, HTTP: httpClient}
	commits, err := g.Commits(ctx, DemoRepo, demoBranch)
	if err != nil {
		return "", err
	}
	sha, ok := commits[releaseMessage(release)]
	if !ok {
		return "", nil
	}
	version := chartVersion(release, demoBranch, sha)
	repo := &chartrepo.Client{BaseURL: env.GalaxiasChartRepo, HTTP: httpClient}
	if err := repo.Delete(ctx, DemoApp, version); err != nil {
		if chartrepo.StatusOf(err) == http.StatusNotFound {
			return "", nil
		}
		return "", fmt.Errorf("chart repository: delete chart %s %s: %w", DemoApp, version, err)
	}
	return version, nil
}
