package galaxias

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// The public re-implementation never really deletes a user: the record
// stays (readable by id, gone from the list, unable to log in) and its name
// can never be given to a new user (400 40000001 forever; the email can be
// reused). So there a user cannot be replaced by one of the same name, a
// destroyed user's name is gone for good, and a user deleted outside
// Terraform cannot be created again under its name. This file says so at
// plan time wherever it can.

// nameStaysTaken is what every diagnostic about it says.
const nameStaysTaken = "keeps deleted users and never lets a new user have a deleted user's name (the email can be reused)"

// userFixed is the plan modifier of a user attribute that some servers
// cannot change in place (email, password_wo_version). Where the record's
// server can (can), or no server is recorded, it does nothing. Where it
// cannot, the change replaces the user if the server frees deleted users'
// names, or if the name changes too (the new user has a new name). Else it
// is an error at plan time: the replacement could only fail, after the
// user was deleted for good.
type userFixed struct {
	can  func(client.Traits) bool
	what string // why the server cannot change it
	// fromNull: a first value where state has none (after an import) is
	// not a change the server must make; the update handles it.
	fromNull bool
	advice   string
}

var (
	_ planmodifier.String = userFixed{}
	_ planmodifier.Int64  = userFixed{}
)

func (m userFixed) Description(ctx context.Context) string { return m.MarkdownDescription(ctx) }

func (m userFixed) MarkdownDescription(context.Context) string {
	return "Replaces the user where the server cannot change it in place (" + m.what + ") and frees deleted users' " +
		"names; a plan-time error where it does not (unless the name changes too)."
}

func (m userFixed) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	resp.RequiresReplace = m.modify(ctx, req.Path, req.PlanValue, req.StateValue, req.Plan.GetAttribute, req.State.GetAttribute, req.Private, &resp.Diagnostics)
}

func (m userFixed) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	resp.RequiresReplace = m.modify(ctx, req.Path, req.PlanValue, req.StateValue, req.Plan.GetAttribute, req.State.GetAttribute, req.Private, &resp.Diagnostics)
}

type getAttr func(ctx context.Context, p path.Path, target interface{}) diag.Diagnostics

func (m userFixed) modify(ctx context.Context, p path.Path, plan, state attrValue, planAttr, stateAttr getAttr,
	private privateGetter, diags *diag.Diagnostics) bool {
	if plan.Equal(state) || m.fromNull && state.IsNull() {
		return false
	}
	traits, ok := recordedTraits(ctx, private)
	if !ok || m.can(traits) {
		return false
	}
	if traits.UserNamesReusable {
		return true
	}
	var newName, oldName types.String
	diags.Append(planAttr(ctx, path.Root("name"), &newName)...)
	diags.Append(stateAttr(ctx, path.Root("name"), &oldName)...)
	if newName.IsUnknown() || !newName.Equal(oldName) {
		return true // a new user with a new name: possible
	}
	if plan.IsUnknown() {
		return false // known only at apply: the update refuses a change it cannot make
	}
	diags.AddAttributeError(p, "This Galaxias server cannot change "+p.String()+" of a user, nor replace the user",
		fmt.Sprintf("The user %s lives on %s, where %s. Replacing the user would delete it and then fail to create it "+
			"again: that server %s. %s", oldName, flavorName(traits.Flavor), m.what, nameStaysTaken, m.advice))
	return false
}

// checkUserNames adds the plan-time diagnostics about names on a server
// that never frees a deleted user's name. A create under a name that this
// run saw belong to a deleted user is an error; so is a create under the
// name of a live user (one list request per planned user creation): that
// is either a user made outside Terraform (import it) or a replacement of
// the user under its own name (`-replace`, a tainted user), whose delete
// would be final and whose create would fail. A rename is a warning.
func checkUserNames(ctx context.Context, o op, m, prior *userModel) {
	traits, known := serverTraits(o.Client)
	if !known || traits.UserNamesReusable || m.Name.IsUnknown() {
		return
	}
	name := m.Name.ValueString()
	switch {
	case prior == nil && o.Client.DeletedUserName(name):
		o.Diags.AddAttributeError(path.Root("name"), "This user name belongs to a deleted user",
			fmt.Sprintf("The user %q was deleted (outside Terraform, or by an earlier run), and %s %s: creating it "+
				"again would be refused (400 40000001), and a deleted user cannot be imported or restored. Give the "+
				"user another name, or remove it from the configuration.", name, flavorName(traits.Flavor), nameStaysTaken))
	case prior == nil:
		users, err := o.Client.ListUsers(ctx, name)
		if err != nil {
			return // the create will tell
		}
		for _, u := range users {
			if u.Name == name {
				o.Diags.AddAttributeError(path.Root("name"), "A user with this name exists already",
					fmt.Sprintf("User %d is named %q, and %s %s. If this plan replaces a galaxias_user under its own "+
						"name (`-replace`, or a tainted user), the delete would be final and the create would fail: "+
						"keep the user (`terraform untaint` keeps a tainted one), or give it another name. If the user was made outside Terraform, bring it "+
						"under Terraform with `terraform import` (id %d).", u.ID, name, flavorName(traits.Flavor), nameStaysTaken, u.ID))
				return
			}
		}
	case prior != nil && !prior.Name.Equal(m.Name):
		o.Diags.AddAttributeWarning(path.Root("name"), "The old user name stays taken",
			fmt.Sprintf("Renaming replaces the user: %q is deleted and %q created. %s %s: %q can never be used "+
				"for a user again.", prior.Name.ValueString(), name, flavorName(traits.Flavor), nameStaysTaken, prior.Name.ValueString()))
	}
}

// userDeletedWarning says what a refresh that found the user deleted means
// on a server that keeps deleted users' names.
func userDeletedWarning(o op, m *userModel, err error) {
	var de *client.DeletedUserError
	traits, known := serverTraits(o.Client)
	if !errors.As(err, &de) || !known || traits.UserNamesReusable {
		return
	}
	o.Diags.AddWarning(fmt.Sprintf("galaxias_user %q was deleted outside Terraform", de.Name),
		fmt.Sprintf("User %d (%q) was deleted outside Terraform: the server still answers its record, but it is no "+
			"longer in the user list and cannot log in, and its token no longer works. It was removed from the state. "+
			"%s %s, so it cannot be created again under this name: give it another `name` (a new user, with a new "+
			"token for the pipelines that use it), or remove it from the configuration.",
			m.ID.ValueInt64(), de.Name, flavorName(traits.Flavor), nameStaysTaken))
}

// userDestroyedWarning says that a destroyed user's name stays taken.
func userDestroyedWarning(o op, m *userModel) {
	traits, known := serverTraits(o.Client)
	if !known || traits.UserNamesReusable {
		return
	}
	o.Diags.AddWarning(fmt.Sprintf("The user name %q stays taken", m.Name.ValueString()),
		fmt.Sprintf("%s %s: no user can be created as %q again, by Terraform or otherwise.",
			flavorName(traits.Flavor), nameStaysTaken, m.Name.ValueString()))
}

// retiredNameError is a create refused because the name belongs to a
// deleted user.
type retiredNameError struct {
	name string
	err  error
}

func (e *retiredNameError) Error() string {
	return fmt.Sprintf("%v\n\nThe name %q belongs to a user that was deleted: this server %s. A deleted user cannot be "+
		"imported or restored. Give the user another name.", e.err, e.name, nameStaysTaken)
}

// createUserError explains a create refused as a duplicate on a server that
// keeps deleted users' names: whether a live user has the name (then the
// usual advice, import it, applies) or only a deleted one.
func createUserError(ctx context.Context, o op, name string, err error) error {
	traits, known := serverTraits(o.Client)
	if !client.IsDuplicate(err) || !known || traits.UserNamesReusable {
		return err
	}
	if deleted, lerr := o.Client.FindDeletedUserName(ctx, name); lerr == nil && deleted {
		return &retiredNameError{name: name, err: err}
	}
	return err
}
