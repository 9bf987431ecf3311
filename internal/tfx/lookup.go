package tfx

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// Lookup describes a data source whose read decodes the configuration into
// its model, finds the object through the API and saves the model: the one
// data-source pattern of both families, with the operations' Request and
// the API's error policy of CRUD. Its model may be a resource's model where
// the attributes are the same.
type Lookup[C, M any] struct {
	API *API[C]
	// Name is the type name without the provider's prefix, e.g. "project".
	Name   string
	Schema schema.Schema
	// Read fills the model, decoded from the configuration, from the API.
	// Its error is reported through the API; it must say what was searched.
	Read func(ctx context.Context, o Request[C], m *M) error
	// Available, when set, returns the error for a server that lacks this
	// data source's API: the read fails before any request.
	Available func(C) error
}

// New returns the framework data source, for a provider's DataSources
// list. A Lookup without its API, name or Read panics, as CRUD.New does.
func (l *Lookup[C, M]) New() datasource.DataSource {
	if l.API == nil || l.Name == "" || l.Read == nil {
		panic(fmt.Sprintf("tfx.Lookup %q lacks its API, name or Read", l.Name))
	}
	return &lookupDataSource[C, M]{lookup: l}
}

type lookupDataSource[C, M any] struct {
	lookup     *Lookup[C, M]
	c          C
	configured bool
}

var _ datasource.DataSourceWithConfigure = (*lookupDataSource[any, struct{}])(nil)

func (d *lookupDataSource[C, M]) typeName() string {
	return d.lookup.API.Provider + "_" + d.lookup.Name
}

func (d *lookupDataSource[C, M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.lookup.Name
}

func (d *lookupDataSource[C, M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.lookup.Schema
}

func (d *lookupDataSource[C, M]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.c, d.configured = ProviderData[C](req.ProviderData, &resp.Diagnostics)
}

func (d *lookupDataSource[C, M]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !d.configured {
		NotConfigured(&resp.Diagnostics, d.lookup.API.Provider, "Reading data source "+d.typeName())
		return
	}
	if d.lookup.Available != nil {
		if err := d.lookup.Available(d.c); err != nil {
			resp.Diagnostics.AddError("Data source "+d.typeName()+" is not available on this server", err.Error()+
				". Remove it from the configuration for this server (for example with count = 0).")
			return
		}
	}
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	o := Request[C]{Client: d.c, Config: req.Config, Diags: &resp.Diagnostics}
	if err := d.lookup.Read(ctx, o, &m); err != nil {
		if !errors.Is(err, ErrReported) {
			d.lookup.API.Report(&resp.Diagnostics, OpRead, "data source "+d.typeName(), err)
		}
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
