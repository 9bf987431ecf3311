package galaxias

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

type userModel struct {
	ID                types.Int64  `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Email             types.String `tfsdk:"email"`
	Role              types.String `tfsdk:"role"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
	Token             types.String `tfsdk:"token"`
}

func (m *userModel) fromAPI(u *client.User) {
	m.ID = types.Int64Value(u.ID)
	m.Name = types.StringValue(u.Name)
	m.Email = types.StringValue(u.Email)
	m.Role = types.StringValue(u.Role)
	m.PasswordWO = types.StringNull()
}

// toAPI is the user to create, with the password read from the configuration.
func (m *userModel) toAPI(password string) client.UserInput {
	return client.UserInput{Name: m.Name.ValueString(), Email: m.Email.ValueString(), Password: password, Role: m.Role.ValueString()}
}

// password reads the write-only password from the configuration.
func (m *userModel) password(ctx context.Context, o request) string {
	var pw types.String
	o.Diags.Append(o.Config.GetAttribute(ctx, path.Root("password_wo"), &pw)...)
	return pw.ValueString()
}

// login logs in as the user: the token it gets is the user's only valid one.
func (m *userModel) login(ctx context.Context, o request, password string) error {
	res, err := o.Client.LoginAs(ctx, m.Name.ValueString(), password)
	if err != nil {
		return err
	}
	m.Token = types.StringValue(res.Token)
	return nil
}

// userEmailFixed: without a route to change an email, a new one replaces
// the user where that is possible (see replaceUserWhereFixed). Nothing refers to a user
// by id, so that is safe; it issues a new token, which Terraform shows as
// unknown.
var userEmailFixed = fixedAttr{
	can:  func(t client.Traits) bool { return t.UserEmailUpdatable },
	what: "there is no `PUT /v1/users/{id}` to change `email`",
	advice: "Keep `email` as it is (change it in the web console if that server offers it, then in the configuration), " +
		"or change `name` too: a user with a new name and the new email replaces this one.",
}

// userPasswordFixed: where a password change needs the old password, a new
// password version replaces the user where that is possible.
var userPasswordFixed = fixedAttr{
	can:      func(t client.Traits) bool { return !t.PasswordChangeNeedsOld },
	what:     "`PUT /v1/users/{id}/password` needs the old password, which a write-only password never keeps",
	fromNull: true, // after an import: a login with password_wo, see update
	advice: "Keep `password_wo_version` as it is, or change `name` too: a user with a new name, the new password " +
		"and a new token replaces this one.",
}

// roleInToken: the re-implementation reads a user's role from the claim of
// its token, so a new role applies from the user's next login.
func roleInToken(t client.Traits) bool { return t.Dialect == client.DialectRock }

// checkNewUser refuses at plan time what the server would refuse on create.
func checkNewUser(ctx context.Context, o request, m, prior *userModel) {
	checkUserNames(ctx, o, m, prior)
	traits, known := serverTraits(o.Client)
	if !known || prior != nil {
		return
	}
	if traits.UserEmailRequired && !m.Email.IsUnknown() && m.Email.ValueString() == "" {
		o.Diags.AddAttributeError(path.Root("email"), "This Galaxias server requires an email",
			"Creating a user on "+dialectName(traits.Dialect)+" needs a valid `email` (the server mails the password there). Set email.")
	}
	if traits.Dialect != client.DialectRock {
		return
	}
	var pw types.String
	o.Diags.Append(o.Config.GetAttribute(ctx, path.Root("password_wo"), &pw)...)
	if pw.IsNull() || pw.IsUnknown() {
		return
	}
	if msg := rockPasswordProblem(pw.ValueString()); msg != "" {
		o.Diags.AddAttributeError(path.Root("password_wo"), "Password refused by this Galaxias server",
			"The password "+msg+": "+dialectName(traits.Dialect)+" takes passwords of 6 to 20 characters with at least two "+
				"of digits, upper-case letters, lower-case letters and one of ~!@#$%^&*?_-.")
	}
}

// rockPasswordProblem tells what the re-implementation would refuse in a
// password, or "".
func rockPasswordProblem(pw string) string {
	if n := len([]rune(pw)); n < 6 || n > 20 {
		return fmt.Sprintf("has %d characters", n)
	}
	classes := map[string]bool{}
	for _, r := range pw {
		switch {
		case r >= '0' && r <= '9':
			classes["digit"] = true
		case r >= 'A' && r <= 'Z':
			classes["upper"] = true
		case r >= 'a' && r <= 'z':
			classes["lower"] = true
		case strings.ContainsRune("~!@#$%^&*?_-", r):
			classes["special"] = true
		}
	}
	if len(classes) < 2 {
		return "mixes fewer than two kinds of characters"
	}
	return ""
}

var roles = []string{client.RoleAdmin, client.RoleSystemToolsAdmin, client.RoleDeveloper, client.RoleDeployer}

var userResource = &crud[userModel]{
	API:  galaxiasAPI,
	Name: "user",
	Schema: schema.Schema{
		MarkdownDescription: "A Galaxias user, meant as a service account for pipelines: its computed `token` is " +
			"the value a pipeline's `galaxias_api_token` secret needs (for example a write-only `drone_secret`).\n\n" +
			"The token comes from logging in as the user, at creation and whenever `password_wo_version` changes. " +
			"**A login rotates the token**: Galaxias accepts only the newest token of a user, so nobody and " +
			"nothing else may log in as this account, or the pipeline's token stops working (the next " +
			"`password_wo_version` bump issues a new one). Managing users needs the `admin` role. Import with the " +
			"numeric id; an imported user has no token in state until `password_wo_version` changes.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("The user's id."),
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Login name, unique. Changing it replaces the user. On the public " +
					"re-implementation a deleted user's name can never be used again (the server keeps deleted users): " +
					"there the old name stays taken after a rename or a destroy (the plan warns), and a user deleted " +
					"outside Terraform cannot be created again under its name (an error at plan time).",
				Validators:    []validator.String{nameValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"email": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "E-mail address. Updates in place where the server can change it. The public " +
					"re-implementation has no route for that and cannot replace a user under the same name, so there " +
					"a new email is an error at plan time, unless `name` changes too (a new user, with a new " +
					"`token`). The re-implementation also requires one for every user (it mails the " +
					"password there): without it, creating a user there is an error at plan time.",
				Validators: []validator.String{stringvalidator.RegexMatches(
					emailRE, "must be an e-mail address such as ci@example.com")},
				PlanModifiers: []planmodifier.String{replaceUserWhereFixed(userEmailFixed)},
			},
			"role": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(client.RoleDeployer),
				MarkdownDescription: "`admin`, `system_tools_admin`, `developer` or `deployer` (default: a " +
					"`deployer` may read and deploy), by name on every server (the re-implementation's role ids " +
					"are looked up). Updates in place; the change is checked by reading the user back (the apply " +
					"fails if the server did not make it). The re-implementation reads the role from the token, so " +
					"there a new role also logs in again as the user (with `password_wo`), which rotates `token` " +
					"and ends the token issued with the old role.",
				Validators: []validator.String{stringvalidator.OneOf(roles...)},
			},
			"password_wo": schema.StringAttribute{
				Required: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: "Password, write-only (Terraform 1.11+): never stored. Sent at creation and " +
					"when `password_wo_version` changes.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(8)},
			},
			"password_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Change it to set `password_wo` as the new password and log in again, " +
					"which rotates `token`. The public re-implementation changes a password only given the old " +
					"one, which a write-only password never keeps, and cannot replace a user under the same name: " +
					"there a new version is an error at plan time unless `name` changes too (a new user), except " +
					"the first version after an import, which logs in with `password_wo` as the user's current " +
					"password.",
				PlanModifiers: []planmodifier.Int64{replaceUserWhereFixed(userPasswordFixed)},
			},
			"token": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "The user's API token, from the provider's login as the user. Sensitive.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), unknownTokenOnRelogin()},
			},
		},
	},
	CheckPlan: checkNewUser,
	Import:    importNumericID(func(m *userModel) *types.Int64 { return &m.ID }),
	Identity:  tfx.Identity{"id"},
	Create: func(ctx context.Context, o request, m *userModel) error {
		pw := m.password(ctx, o)
		if o.Diags.HasError() {
			return tfx.ErrReported // the configuration could not be read: nothing was sent
		}
		u, err := o.Client.CreateUser(ctx, m.toAPI(pw))
		if err != nil {
			return createUserError(ctx, o, m.Name.ValueString(), err)
		}
		m.fromAPI(u)
		if err := m.login(ctx, o, pw); err != nil {
			m.Token = types.StringNull()
			return tfx.Partial(err)
		}
		return nil
	},
	Read: func(ctx context.Context, o request, m *userModel) error {
		u, err := o.Client.ReadUser(ctx, m.ID.ValueInt64())
		if err != nil {
			userDeletedWarning(o, m, err)
			return err
		}
		m.fromAPI(u) // the token stays as it is
		return nil
	},
	Update: func(ctx context.Context, o request, m, prior *userModel) error {
		id := prior.ID.ValueInt64()
		m.Token = prior.Token
		traits, known := serverTraits(o.Client)
		if !m.Email.Equal(prior.Email) {
			if _, err := o.Client.UpdateUser(ctx, id, client.UserInput{Email: m.Email.ValueString()}); err != nil {
				return err
			}
		}
		relogin := false
		if !m.Role.Equal(prior.Role) {
			if _, err := o.Client.SetUserRole(ctx, id, m.Role.ValueString()); err != nil {
				return err
			}
			relogin = known && roleInToken(traits)
		}
		if !m.PasswordWOVersion.Equal(prior.PasswordWOVersion) {
			switch {
			case known && traits.PasswordChangeNeedsOld && prior.PasswordWOVersion.IsNull():
				// The first version after an import, where a password
				// changes only given the old one: password_wo is taken as
				// the user's current password, and the login proves it.
			case known && traits.PasswordChangeNeedsOld:
				return &client.UnsupportedError{What: "changing a password without the old one", Dialect: traits.Dialect,
					Hint: "this server changes a password only given the old one; plan again: a new " +
						"password_wo_version replaces the user there"}
			default:
				if _, err := o.Client.SetUserPassword(ctx, id, "", m.password(ctx, o)); err != nil {
					return err
				}
			}
			relogin = true
		}
		if relogin {
			if err := m.login(ctx, o, m.password(ctx, o)); err != nil {
				return err
			}
		}
		u, err := o.Client.GetUser(ctx, id)
		if err != nil {
			return err
		}
		m.fromAPI(u)
		return nil
	},
	Delete: func(ctx context.Context, o request, m *userModel) error {
		if err := o.Client.DeleteUser(ctx, m.ID.ValueInt64()); err != nil {
			return err
		}
		userDestroyedWarning(o, m)
		return nil
	},
}
