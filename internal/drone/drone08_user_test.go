package drone_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

func user08Config(f *drone08.Server, body string) string {
	return provider08(f, "") + fmt.Sprintf("resource \"drone_user\" \"u\" {\n  login = \"robot\"\n%s\n}\n", body)
}

func checkUser08(f *drone08.Server, active bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := f.User("robot")
		if !ok || got != active {
			return fmt.Errorf("drone 0.8 has user robot: %v, active %v; want active %v", ok, got, active)
		}
		return nil
	}
}

func TestDrone08_user(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	addr := "drone_user.u"
	falseAttrs := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("admin"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("machine"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("token"), knownvalue.Null()),
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := f.User("robot"); ok {
				return fmt.Errorf("user robot still there after destroy")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:            user08Config(f, ""),
				ConfigStateChecks: append(falseAttrs, statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("robot"))),
				Check:             checkUser08(f, true),
			},
			{Config: user08Config(f, ""), PlanOnly: true},
			{ // admin = false and machine = false are what 0.8 has: no diff
				Config:   user08Config(f, "  admin = false\n  machine = false"),
				PlanOnly: true,
			},
			{
				Config: user08Config(f, "  active = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkUser08(f, false),
			},
			{ResourceName: addr, ImportState: true, ImportStateId: "robot", ImportStateVerify: true},
			{ // changed outside Terraform
				PreConfig: func() { f.SetUserActive("robot", true) },
				Config:    user08Config(f, "  active = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkUser08(f, false),
			},
			{ // deleted outside Terraform: created again, inactive as configured
				PreConfig: func() { f.DeleteUser("robot") },
				Config:    user08Config(f, "  active = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: falseAttrs,
				Check:             checkUser08(f, false),
			},
			{Config: user08Config(f, "  active = false"), PlanOnly: true},
		},
	})
}

// admin and machine cannot be managed on 0.8: a plan-time error naming the
// attribute and the version, and nothing sent.
func TestDrone08_userPlanErrors(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: user08Config(f, "  admin = true"), PlanOnly: true,
				ExpectError: words("admin cannot be managed on Drone 0.8.9", "DRONE_ADMIN"),
			},
			{
				Config: user08Config(f, "  machine = true"), PlanOnly: true,
				ExpectError: words("machine cannot be managed on Drone 0.8.9", "has no machine users"),
			},
		},
	})
	if w := f.Writes(); len(w) != 0 {
		t.Errorf("plan-time errors sent writes: %v", w)
	}
}
