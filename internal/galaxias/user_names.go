package galaxias

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"

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

// checkUserNames adds the plan-time diagnostics about names on a server
// that never frees a deleted user's name. A create under a name that this
// run saw belong to a deleted user is an error; so is a create under the
// name of a live user (one list request per planned user creation): that
// is either a user made outside Terraform (import it) or a replacement of
// the user under its own name (`-replace`, a tainted user), whose delete
// would be final and whose create would fail. A rename is a warning.
func checkUserNames(ctx context.Context, o request, m, prior *userModel) {
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
				"user another name, or remove it from the configuration.", name, dialectName(traits.Dialect), nameStaysTaken))
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
						"under Terraform with `terraform import` (id %d).", u.ID, name, dialectName(traits.Dialect), nameStaysTaken, u.ID))
				return
			}
		}
	case prior != nil && !prior.Name.Equal(m.Name):
		o.Diags.AddAttributeWarning(path.Root("name"), "The old user name stays taken",
			fmt.Sprintf("Renaming replaces the user: %q is deleted and %q created. %s %s: %q can never be used "+
				"for a user again.", prior.Name.ValueString(), name, dialectName(traits.Dialect), nameStaysTaken, prior.Name.ValueString()))
	}
}

// userDeletedWarning says what a refresh that found the user deleted means
// on a server that keeps deleted users' names.
func userDeletedWarning(o request, m *userModel, err error) {
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
			m.ID.ValueInt64(), de.Name, dialectName(traits.Dialect), nameStaysTaken))
}

// userDestroyedWarning says that a destroyed user's name stays taken.
func userDestroyedWarning(o request, m *userModel) {
	traits, known := serverTraits(o.Client)
	if !known || traits.UserNamesReusable {
		return
	}
	o.Diags.AddWarning(fmt.Sprintf("The user name %q stays taken", m.Name.ValueString()),
		fmt.Sprintf("%s %s: no user can be created as %q again, by Terraform or otherwise.",
			dialectName(traits.Dialect), nameStaysTaken, m.Name.ValueString()))
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
func createUserError(ctx context.Context, o request, name string, err error) error {
	traits, known := serverTraits(o.Client)
	if !client.IsDuplicate(err) || !known || traits.UserNamesReusable {
		return err
	}
	if deleted, lerr := o.Client.FindDeletedUserName(ctx, name); lerr == nil && deleted {
		return &retiredNameError{name: name, err: err}
	}
	return err
}
