package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var (
	_ datasource.DataSourceWithConfigValidators = (*environmentDataSource)(nil)
)

// NewEnvironmentDataSource looks up one environment by name or id.
func NewEnvironmentDataSource() datasource.DataSource {
	return &environmentDataSource{dataSourceBase{name: "environment"}}
}

type environmentDataSource struct {
	dataSourceBase
}

type environmentDataSourceModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	CreatedAt types.String `tfsdk:"created_at"`
}

func (d *environmentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up one platform environment by `name` or by `id`, typically to feed " +
			"`environment_id` of `platform_database`. Exactly one of the two must be set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional:    true,
				Computed:    true,
				Description: "Environment id. Set it to look the environment up by id.",
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name": schema.StringAttribute{
				Optional:    true,
				Computed:    true,
				Description: "Environment name (1–50 characters). Set it to look the environment up by name.",
				Validators:  []validator.String{stringvalidator.LengthBetween(1, 50)},
			},
			"created_at": schema.StringAttribute{
				Computed:    true,
				Description: "When the environment was created (RFC 3339).",
			},
		},
	}
}

func (d *environmentDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *environmentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg environmentDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !d.ready(&resp.Diagnostics) {
		return
	}

	// The list works for environment-scoped tokens too, where GET by id of
	// another environment would be refused; one request either way.
	envs, err := d.data.client.ListEnvironments(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list platform environments", err.Error())
		return
	}

	attr, want := "name", cfg.Name.ValueString()
	if !cfg.ID.IsNull() {
		attr, want = "id", cfg.ID.ValueString()
	}
	matches := matchEnvironments(envs, attr, want)
	switch len(matches) {
	case 0:
		resp.Diagnostics.AddAttributeError(path.Root(attr), "No such environment",
			fmt.Sprintf("No environment with %s %q is visible to this token (visible: %s).", attr, want, environmentNames(envs)))
		return
	case 1:
	default:
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Several environments match",
			fmt.Sprintf("%d environments have %s %q; look the environment up by id instead.", len(matches), attr, want))
		return
	}

	env := matches[0]
	state := environmentDataSourceModel{
		ID:        types.StringValue(env.ID),
		Name:      types.StringValue(env.Name),
		CreatedAt: types.StringValue(env.CreatedAt),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func matchEnvironments(envs []client.Environment, attr, want string) []client.Environment {
	var out []client.Environment
	for _, e := range envs {
		if (attr == "id" && e.ID == want) || (attr == "name" && e.Name == want) {
			out = append(out, e)
		}
	}
	return out
}

func environmentNames(envs []client.Environment) string {
	if len(envs) == 0 {
		return "none"
	}
	names := make([]string, len(envs))
	for i, e := range envs {
		names[i] = fmt.Sprintf("%q", e.Name)
	}
	return strings.Join(names, ", ")
}
