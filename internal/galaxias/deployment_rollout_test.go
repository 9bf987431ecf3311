package galaxias

import (
	"errors"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// A create saves the deployment with deploy's error only where one was
// made (its id is known): then Terraform taints it instead of the next
// apply deploying again unseen. Before the POST, nothing is saved.
func TestDeploymentCreatedSavesOnlyAMadeDeployment(t *testing.T) {
	failed := errors.New("deploying app 1.0.0: timed out")
	var partial *tfx.PartialError
	made := &deploymentModel{ID: types.Int64Value(7)}
	if err := created(made, failed); !errors.As(err, &partial) || !errors.Is(err, failed) {
		t.Errorf("a made deployment that failed: %v (%T), want a PartialError of the error", err, err)
	}
	notMade := &deploymentModel{ID: types.Int64Unknown()}
	if err := created(notMade, failed); errors.As(err, &partial) || !errors.Is(err, failed) {
		t.Errorf("no deployment made: %v (%T), want the plain error", err, err)
	}
	if err := created(made, nil); err != nil {
		t.Errorf("success: %v", err)
	}
}
