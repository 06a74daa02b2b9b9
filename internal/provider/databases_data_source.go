package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// NewDatabasesDataSource lists the databases of an environment.
func NewDatabasesDataSource() datasource.DataSource {
	return &databasesDataSource{dataSourceBase{name: "databases"}}
}

type databasesDataSource struct {
	dataSourceBase
}

type databasesDataSourceModel struct {
	databaseFilters
	Databases []databaseListItemModel `tfsdk:"databases"`
}

// databaseListItemModel is one listed database: the platform_database data
// source's attributes plus the collector's status, which the platform
// returns only in an environment's monitoring summary (one request for the
// whole list, where the single-database data source would pay one per
// database).
type databaseListItemModel struct {
	databaseDataModel
	MonitoringStatus    types.String `tfsdk:"monitoring_status"`
	LastCollectedAt     types.String `tfsdk:"last_collected_at"`
	LastMonitoringError types.String `tfsdk:"last_monitoring_error"`
}

func (d *databasesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists every database of an environment, optionally filtered by `type` and `name_regex`, sorted by name. " +
			"The whole environment is read through its database list in pages of 500 (one request per 500 databases, " +
			"whatever their number), which also carries each database's latest backup and schedule, plus one request " +
			"for the environment's monitoring summary (the collector's status). " +
			"Feed it to `for_each` on `import` blocks to adopt an environment's databases in bulk.",
		Attributes: map[string]schema.Attribute{
			"environment_id": environmentIDFilter.dataSource(),
			"type":           databaseTypeFilter.dataSource(),
			"name_regex":     nameRegexFilter.dataSource(),
			"databases": schema.ListNestedAttribute{
				Computed: true,
				Description: "The matching databases, sorted by name. Same attributes as the `platform_database` data source, " +
					"plus the monitoring collector's status.",
				NestedObject: schema.NestedAttributeObject{Attributes: databaseListItemAttributes()},
			},
		},
	}
}

func (d *databasesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg databasesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !d.ready(&resp.Diagnostics) {
		return
	}
	nameRE, ok := compileNameRegex(cfg.NameRegex, &resp.Diagnostics)
	if !ok {
		return
	}
	envID := cfg.EnvironmentID.ValueString()
	if !d.environmentVisible(ctx, envID, resp) {
		return
	}
	dbs, err := d.data.databases.List(ctx, envID)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not list databases of environment %q", envID), err, "")
		return
	}
	status, ok := d.monitoringStatus(ctx, envID, resp)
	if !ok {
		return
	}
	cfg.Databases = []databaseListItemModel{}
	for i := range dbs {
		if keepDatabase(&dbs[i], cfg.Type, nameRE) {
			cfg.Databases = append(cfg.Databases, databaseListItemFromAPI(&dbs[i], status[dbs[i].ID]))
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// environmentVisible: the platform lists an unknown environment as empty,
// which would silently make a typo look like an environment without
// databases. The check reuses the provider's cached environment list.
func (d *databasesDataSource) environmentVisible(ctx context.Context, envID string, resp *datasource.ReadResponse) bool {
	name, err := d.data.environmentName(ctx, envID)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not list platform environments", err, "")
		return false
	}
	if name == "" {
		resp.Diagnostics.AddAttributeError(path.Root("environment_id"), "No such environment",
			fmt.Sprintf("No environment with id %q is visible to this token; the platform would list it as empty.", envID))
		return false
	}
	return true
}

func keepDatabase(db *client.Database, typ types.String, nameRE *regexp.Regexp) bool {
	if !typ.IsNull() && db.Type != typ.ValueString() {
		return false
	}
	return nameRE == nil || nameRE.MatchString(db.Name)
}

// monitoringStatus reads the environment's monitoring summary, by database
// id. A platform without the summary (404) leaves the status null.
func (d *databasesDataSource) monitoringStatus(ctx context.Context, envID string,
	resp *datasource.ReadResponse) (map[string]*client.MonitoringSummary, bool) {
	summary, err := d.data.client.ListMonitoringSummary(ctx, envID)
	if client.IsNotFound(err) {
		tflog.Warn(ctx, "the platform has no monitoring summary; monitoring status left null", map[string]any{"environment_id": envID})
		return nil, true
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read the monitoring summary of environment %q", envID), err, "")
		return nil, false
	}
	byID := make(map[string]*client.MonitoringSummary, len(summary))
	for i := range summary {
		byID[summary[i].ID] = &summary[i]
	}
	return byID, true
}

// databaseListItemFromAPI: a database missing from the summary (created
// between the two requests) has a null status.
func databaseListItemFromAPI(db *client.Database, status *client.MonitoringSummary) databaseListItemModel {
	item := databaseListItemModel{databaseDataModel: databaseDataFromAPI(db),
		MonitoringStatus: types.StringNull(), LastCollectedAt: types.StringNull(), LastMonitoringError: types.StringNull()}
	if status != nil {
		item.MonitoringStatus = types.StringValue(status.MonitoringStatus)
		item.LastCollectedAt = optionalString(status.LastCollectedAt)
		item.LastMonitoringError = optionalString(status.LastMonitoringError)
	}
	return item
}

func databaseListItemAttributes() map[string]schema.Attribute {
	attrs := databaseDataAttributes()
	attrs["monitoring_status"] = schema.StringAttribute{Computed: true,
		Description: "What the platform's monitoring collector last saw: `unknown` (not tried yet, monitoring off, or a type it " +
			"has no monitoring queries for, such as `mongodb`), `error` or `connected`. Null if the platform has no monitoring summary."}
	attrs["last_collected_at"] = schema.StringAttribute{Computed: true,
		Description: "When the collector last read the database's metrics (RFC 3339); null until it has."}
	attrs["last_monitoring_error"] = schema.StringAttribute{Computed: true,
		Description: "The collector's last error, as the database driver worded it (for example `connect ECONNREFUSED " +
			"127.0.0.1:5432`); null when there is none. A failing database is retried on every tick of the collector."}
	return attrs
}
