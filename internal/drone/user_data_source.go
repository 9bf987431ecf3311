package drone

import (
	"context"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// userDataModel is a Drone user as the user data sources show it.
type userDataModel struct {
	ID        types.String `tfsdk:"id"`
	Login     types.String `tfsdk:"login"`
	Email     types.String `tfsdk:"email"`
	AvatarURL types.String `tfsdk:"avatar_url"`
	Admin     types.Bool   `tfsdk:"admin"`
	Active    types.Bool   `tfsdk:"active"`
	Machine   types.Bool   `tfsdk:"machine"`
}

func (m *userDataModel) fromAPI(u *drone.User) {
	m.ID, m.Login = types.StringValue(u.Login), types.StringValue(u.Login)
	m.Email, m.AvatarURL = types.StringValue(u.Email), types.StringValue(u.Avatar)
	m.Admin, m.Active, m.Machine = types.BoolValue(u.Admin), types.BoolValue(u.Active), types.BoolValue(u.Machine)
}

// userAttributes are the computed attributes of a user data source.
func userAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"email":      computedString("E-mail address, from the SCM."),
		"avatar_url": computedString("Avatar picture URL, from the SCM."),
		"admin": computedBool("Drone system administrator. Drone 0.8 reports it only for the token's own user " +
			"(`drone_user_self`)."),
		"active":  computedBool("Whether the account is active."),
		"machine": computedBool("Machine (robot) account; always `false` on Drone 0.8."),
	}
}

var userLookup = &lookup[userDataModel]{
	API:  droneAPI,
	Name: "user",
	Schema: lookupSchema("A Drone user, by login. Needs a Drone system admin token.", "The login.", userAttributes(),
		nameInput("login", "Login of the user.",
			stringvalidator.LengthBetween(1, 50), tfx.Regex(UserLogin, "letters, digits, '_' or '-'"))),
	Read: func(ctx context.Context, o request, m *userDataModel) error {
		u, err := o.Client.Users.Get(ctx, m.Login.ValueString())
		if err != nil {
			return err
		}
		login := m.Login
		m.fromAPI(u)
		m.Login = login // as configured
		return nil
	},
}

var userSelfLookup = &lookup[userDataModel]{
	API:  droneAPI,
	Name: "user_self",
	Schema: func() schema.Schema {
		attrs := userAttributes()
		attrs["login"] = computedString("Login of the token's user.")
		return lookupSchema("The Drone user the provider's token belongs to.", "The login.", attrs)
	}(),
	Read: func(ctx context.Context, o request, m *userDataModel) error {
		u, err := o.Client.Users.Self(ctx)
		if err != nil {
			return err
		}
		m.fromAPI(u)
		return nil
	},
}

// loginsModel is the list of the active users' logins.
type loginsModel struct {
	ID     types.String `tfsdk:"id"`
	Logins []string     `tfsdk:"logins"`
}

var usersLookup = &lookup[loginsModel]{
	API:    droneAPI,
	Name:   "users",
	Schema: namesSchema("The logins of the active Drone users. Needs a Drone system admin token.", "`users`.", "logins", "Logins of the active users"),
	Read: func(ctx context.Context, o request, m *loginsModel) error {
		list, err := o.Client.Users.List(ctx)
		if err != nil {
			return err
		}
		m.ID, m.Logins = types.StringValue("users"), sortedNames(list, func(u *drone.User) (string, bool) { return u.Login, u.Active })
		return nil
	},
}
