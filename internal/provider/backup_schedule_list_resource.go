package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/validators"
)

var _ list.ListResourceWithConfigure = (*backupScheduleListResource)(nil)

// NewBackupScheduleListResource lists the backup schedules of an
// environment's databases for `terraform query`.
func NewBackupScheduleListResource() list.ListResource {
	return &backupScheduleListResource{listBase{name: "database_backup_schedule"}}
}

type backupScheduleListResource struct {
	listBase
}

type backupScheduleListConfig struct {
	EnvironmentID types.String `tfsdk:"environment_id"`
	NameRegex     types.String `tfsdk:"name_regex"`
	Enabled       types.Bool   `tfsdk:"enabled"`
}

func (l *backupScheduleListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest,
	resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Finds the backup schedules of one environment's databases: one result per database that has a " +
			"schedule, sorted by database name, with the schedule's identity (`database_id`) named " +
			"`<environment name>/<database name>` and its cron expression. The environment's database list says which " +
			"databases have a schedule, so finding them costs one list request per 500 databases. The full state " +
			"(`include_resource = true`, implied by `-generate-config-out`) also needs `retention_days`, which only the " +
			"schedule's own route returns: that costs one more request per schedule listed, paced like every request " +
			"under the platform's rate limit." + listResourceCLIs,
		Attributes: map[string]schema.Attribute{
			"environment_id": schema.StringAttribute{
				Required:    true,
				Description: "Id of the environment whose databases' schedules to list. An environment the token cannot see is an error.",
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name_regex": schema.StringAttribute{
				Optional: true,
				Description: "Only the schedules of databases whose name matches this regular expression (Go RE2 syntax, " +
					"unanchored: use `^…$` to match whole names).",
				Validators: []validator.String{validators.RegexpSyntax()},
			},
			"enabled": schema.BoolAttribute{
				Optional:    true,
				Description: "Only enabled (`true`) or only disabled (`false`) schedules.",
			},
		},
	}
}

func (l *backupScheduleListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if nothingWanted(req) {
		return
	}
	var cfg backupScheduleListConfig
	diags := req.Config.Get(ctx, &cfg)
	envName, dbs, nameRE, ok := l.environmentDatabases(ctx, cfg.EnvironmentID.ValueString(), cfg.NameRegex, &diags)
	if !ok {
		stream.Results = listFailed(diags)
		return
	}
	var found []*client.Database
	for i := range dbs {
		db := &dbs[i]
		if db.Schedule != nil && keepDatabase(db, types.StringNull(), nameRE) &&
			(cfg.Enabled.IsNull() || cfg.Enabled.ValueBool() == db.Schedule.Enabled) {
			found = append(found, db)
		}
	}
	what := fmt.Sprintf("backup schedules in environment %q", envName)
	stream.Results = streamResults(diags, found, req.Limit, what, func(db *client.Database) (list.ListResult, bool) {
		r := req.NewListResult(ctx)
		r.DisplayName = fmt.Sprintf("%s/%s (%s)", envName, db.Name, db.Schedule.CronExpression)
		dbID := types.StringValue(db.ID)
		r.Diagnostics.Append(backupScheduleIdentity.set(ctx, r.Identity, dbID)...)
		if req.IncludeResource && !l.addSchedule(ctx, db, &r) {
			// Only the warning: a result without state would generate
			// configuration for nothing. The next database with a
			// schedule takes its place.
			return list.ListResult{Diagnostics: r.Diagnostics}, false
		}
		return r, true
	})
}

// addSchedule reads the schedule as the read after an import does, since
// the database list's summary of it lacks retention_days. Fetched while
// Terraform reads the stream, one at a time, so the client's pacing under
// the rate limit applies as to any other request.
// It reports false, with a warning, when the schedule (or its database)
// went away since the list.
func (l *backupScheduleListResource) addSchedule(ctx context.Context, db *client.Database, r *list.ListResult) bool {
	sc, err := l.data.client.GetSchedule(ctx, db.ID)
	if client.IsNotFound(err) || (err == nil && sc == nil) {
		r.Diagnostics.AddWarning(fmt.Sprintf("Backup schedule of database %q is gone", db.Name),
			fmt.Sprintf("Database %s (%s) had a schedule when its environment was listed, but has none now; it is left out.",
				db.Name, db.ID))
		return false
	}
	if err != nil {
		addAPIError(&r.Diagnostics, fmt.Sprintf("Could not read the backup schedule of database %q (%s)", db.Name, db.ID), err, backupsAdvice(err))
		return true
	}
	r.Diagnostics.Append(r.Resource.Set(ctx, backupScheduleFromAPI(db.ID, sc))...)
	return true
}
