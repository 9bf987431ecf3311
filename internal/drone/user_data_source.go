package drone

import (
	"context"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var userFields = []field[drone.User]{
	str("id", "The login.", func(u *drone.User) string { return u.Login }),
	str("email", "E-mail address, from the SCM.", func(u *drone.User) string { return u.Email }),
	str("avatar_url", "Avatar picture URL, from the SCM.", func(u *drone.User) string { return u.Avatar }),
	boolean("admin", "Drone system administrator. Drone 0.8 reports it only for the token's own user "+
		"(`drone_user_self`).", func(u *drone.User) bool { return u.Admin }),
	boolean("active", "Whether the account is active.", func(u *drone.User) bool { return u.Active }),
	boolean("machine", "Machine (robot) account; always `false` on Drone 0.8.", func(u *drone.User) bool { return u.Machine }),
}

func newUserDataSource() datasource.DataSource {
	return &objectDataSource[drone.User]{
		dataSourceBase: dataSourceBase{
			typeName: "_user",
			desc:     "A Drone user, by login. Needs a Drone system admin token.",
			inputs: []input{nameInput("login", "Login of the user.",
				stringvalidator.LengthBetween(1, 50), tfx.Regex(UserLogin, "letters, digits, '_' or '-'"))},
		},
		get: func(ctx context.Context, c *conn, in []string) (*drone.User, error) {
			return c.Users.Get(ctx, in[0])
		},
		fields: userFields,
	}
}

func newUserSelfDataSource() datasource.DataSource {
	return &objectDataSource[drone.User]{
		dataSourceBase: dataSourceBase{
			typeName: "_user_self",
			desc:     "The Drone user the provider's token belongs to.",
		},
		get: func(ctx context.Context, c *conn, _ []string) (*drone.User, error) {
			return c.Users.Self(ctx)
		},
		fields: append(userFields[:len(userFields):len(userFields)], str("login", "Login of the token's user.", func(u *drone.User) string { return u.Login })),
	}
}

func newUsersDataSource() datasource.DataSource {
	return &namesDataSource[drone.User]{
		dataSourceBase: dataSourceBase{
			typeName: "_users",
			desc:     "The logins of the active Drone users. Needs a Drone system admin token.",
		},
		list: func(ctx context.Context, c *conn, _ []string) ([]drone.User, error) {
			return c.Users.List(ctx)
		},
		attr:     "logins",
		listDesc: "Logins of the active users",
		name:     func(u *drone.User) (string, bool) { return u.Login, u.Active },
	}
}
