package drone

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var userFields = []field[drone.User]{
	str("id", "The login.", func(u *drone.User) string { return u.Login }),
	str("email", "E-mail address, from the SCM.", func(u *drone.User) string { return u.Email }),
	str("avatar_url", "Avatar picture URL, from the SCM.", func(u *drone.User) string { return u.Avatar }),
	boolean("admin", "Drone system administrator.", func(u *drone.User) bool { return u.Admin }),
	boolean("active", "Whether the account is active.", func(u *drone.User) bool { return u.Active }),
	boolean("machine", "Machine (robot) account.", func(u *drone.User) bool { return u.Machine }),
}

func newUserDataSource() datasource.DataSource { return &userDataSource{} }

func newUserSelfDataSource() datasource.DataSource { return &userDataSource{self: true} }

// userDataSource is drone_user (a user by login, admin token needed) and
// drone_user_self (the token's user).
type userDataSource struct {
	dataSourceBase
	self bool
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
	if d.self {
		resp.TypeName += "_self"
	}
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := attributes(userFields)
	if d.self {
		attrs["login"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Login of the token's user."}
		resp.Schema = schema.Schema{
			MarkdownDescription: "The Drone user the provider's token belongs to.",
			Attributes:          attrs,
		}
		return
	}
	attrs["login"] = schema.StringAttribute{
		Required: true, MarkdownDescription: "Login of the user.",
		Validators: []validator.String{stringvalidator.LengthBetween(1, 50), tfx.Regex(UserLogin, "letters, digits, '_' or '-'")},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Drone user, by login. Needs a Drone system admin token.",
		Attributes:          attrs,
	}
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	route := "/api/user"
	if !d.self {
		var login types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("login"), &login)...)
		if resp.Diagnostics.HasError() {
			return
		}
		route = Path("api", "users", login.ValueString())
	}
	var u drone.User
	if err := d.client.Do(ctx, http.MethodGet, route, nil, &u); err != nil {
		tfx.APIError(&resp.Diagnostics, "read Drone user (GET "+route+")", err)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("login"), u.Login)...)
	setFields(ctx, &resp.State, userFields, &u, &resp.Diagnostics)
}
