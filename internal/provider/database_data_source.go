package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var (
	_ datasource.DataSourceWithConfigValidators = (*databaseDataSource)(nil)
)

// NewDatabaseDataSource looks up one database by id or by environment and name.
func NewDatabaseDataSource() datasource.DataSource {
	return &databaseDataSource{dataSourceBase{name: "database"}}
}

type databaseDataSource struct {
	dataSourceBase
}

func (d *databaseDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := databaseDataAttributes()
	lookupKey(attrs, "id", "Set it to look the database up by id (conflicts with `environment_id` and `name`).")
	lookupKey(attrs, "environment_id", "Set it with `name` to look the database up by name.")
	lookupKey(attrs, "name", "Set it with `environment_id` to look the database up by name.")
	resp.Schema = schema.Schema{
		Description: "Looks up one database registered on the platform, by `id` or by `environment_id` and `name`, " +
			"and exposes every attribute of `platform_database` except the credentials, which the platform never returns " +
			"(`has_credentials` tells whether it holds some), plus its latest backup and schedule. " +
			"Reads go through the environment's database list (one request per 500 databases), which is also " +
			"what carries `last_backup` and `schedule`; a lookup by id costs one more request, except for " +
			"environment-scoped tokens, which search the list of each of their environments. " +
			"The monitoring collector's status is shown by `platform_databases` only: the platform returns it per environment, " +
			"so here it would cost one more request per database.",
		Attributes: attrs,
	}
}

// lookupKey makes one of the computed string attributes settable, keeping
// its description from the resource's table.
func lookupKey(attrs map[string]schema.Attribute, name, how string) {
	a := attrs[name].(schema.StringAttribute)
	a.Optional = true
	a.Description += " " + how
	a.Validators = []validator.String{stringvalidator.LengthAtLeast(1)}
	attrs[name] = a
}

func (d *databaseDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("environment_id"), path.MatchRoot("name")),
		datasourcevalidator.Conflicting(path.MatchRoot("id"), path.MatchRoot("environment_id")),
	}
}

func (d *databaseDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg databaseDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !d.ready(&resp.Diagnostics) {
		return
	}
	var db *client.Database
	if !cfg.ID.IsNull() {
		db = d.findByID(ctx, cfg.ID.ValueString(), &resp.Diagnostics)
	} else {
		db = d.findByName(ctx, cfg.EnvironmentID.ValueString(), cfg.Name.ValueString(), &resp.Diagnostics)
	}
	if db == nil {
		return
	}
	state := databaseDataFromAPI(db)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// findByID finds the database (a GET, or for an environment-scoped token,
// which the platform refuses on /api/databases/{id}, a search of its
// environments' lists), then takes its entry from the environment's list,
// which alone carries the latest backup and the schedule. Both go through
// the provider's batched reader, so lists are shared with other reads.
func (d *databaseDataSource) findByID(ctx context.Context, id string, diags *diag.Diagnostics) *client.Database {
	db, err := d.data.databases.Get(ctx, "", id)
	if client.IsNotFound(err) {
		diags.AddAttributeError(path.Root("id"), "No such database",
			fmt.Sprintf("The platform has no database with id %q (or the token cannot see its environment).", id))
		return nil
	}
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Could not read database %q", id), err, "")
		return nil
	}
	listed := d.listAndPick(ctx, db.EnvironmentID, byID(id), diags)
	if listed == nil && !diags.HasError() {
		return db // gone between the two reads: still report what the first saw
	}
	return listed
}

func (d *databaseDataSource) findByName(ctx context.Context, envID, name string, diags *diag.Diagnostics) *client.Database {
	db := d.listAndPick(ctx, envID, byName(name), diags)
	if db != nil || diags.HasError() {
		return db
	}
	// The list answers an unknown environment with an empty page, so tell
	// a wrong environment apart from a wrong name.
	envName, err := d.data.environmentName(ctx, envID)
	switch {
	case err != nil:
		diags.AddAttributeError(path.Root("name"), "No such database",
			fmt.Sprintf("Environment %q has no database named %q (or the token cannot see that environment).", envID, name))
	case envName == "":
		diags.AddAttributeError(path.Root("environment_id"), "No such environment",
			fmt.Sprintf("No environment with id %q is visible to this token.", envID))
	default:
		diags.AddAttributeError(path.Root("name"), "No such database",
			fmt.Sprintf("Environment %q (%s) has no database named %q.", envName, envID, name))
	}
	return nil
}

// listAndPick lists an environment and returns the one database matching,
// nil when none does (with no diagnostic) or on error (with one).
func (d *databaseDataSource) listAndPick(ctx context.Context, envID string, match databaseMatch, diags *diag.Diagnostics) *client.Database {
	dbs, err := d.data.databases.List(ctx, envID)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Could not list databases of environment %q", envID), err, "")
		return nil
	}
	var found []client.Database
	for _, db := range dbs {
		if match.ok(db) {
			found = append(found, db)
		}
	}
	switch len(found) {
	case 0:
		return nil
	case 1:
		return &found[0]
	}
	diags.AddAttributeError(path.Root(match.attr), "Several databases match",
		fmt.Sprintf("%d databases of environment %q have %s %q; look the database up by id instead.", len(found), envID, match.attr, match.want))
	return nil
}

type databaseMatch struct {
	attr, want string
	ok         func(client.Database) bool
}

func byID(id string) databaseMatch {
	return databaseMatch{"id", id, func(db client.Database) bool { return db.ID == id }}
}

func byName(name string) databaseMatch {
	return databaseMatch{"name", name, func(db client.Database) bool { return db.Name == name }}
}
