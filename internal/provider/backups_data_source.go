package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// NewBackupsDataSource lists a database's backups.
func NewBackupsDataSource() datasource.DataSource {
	return &backupsDataSource{dataSourceBase{name: "database_backups"}}
}

type backupsDataSource struct {
	dataSourceBase
}

type backupsDataModel struct {
	ID types.String `tfsdk:"id"`
	backupFilters
	Backups []backupItemModel `tfsdk:"backups"`
}

// backupItemModel is a listed backup: the resource's view plus why it
// failed, if it did (a failed backup never reaches the resource's state).
type backupItemModel struct {
	backupModel
	ErrorMessage types.String `tfsdk:"error_message"`
	ErrorStep    types.String `tfsdk:"error_step"`
}

func backupItemFromAPI(b *client.Backup) backupItemModel {
	item := backupItemModel{backupModel: backupFromAPI(b), ErrorMessage: types.StringNull(), ErrorStep: types.StringNull()}
	if f := b.Failure(); f != nil {
		item.ErrorMessage = types.StringValue(f.Message)
		item.ErrorStep = optionalString(&f.Step)
	}
	return item
}

func (d *backupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := map[string]schema.Attribute{}
	for _, a := range append(append([]backupAttribute{}, backupAttributes...), backupErrorAttributes...) {
		item[a.name] = dataSourceAttribute(a)
	}
	resp.Schema = schema.Schema{
		Description: "The backups of a database, newest first, failed ones included, optionally filtered. " +
			"Use it to check backup health in a `precondition`, or to find a backup to keep. Needs a token that sees every " +
			"environment: the platform refuses environment-scoped tokens on a database's backups.",
		Attributes: map[string]schema.Attribute{
			"id":          schema.StringAttribute{Computed: true, Description: "Same as `database_id`."},
			"database_id": databaseIDFilter.dataSource(),
			"status":      backupStatusFilter.dataSource(),
			"kind":        backupKindFilter.dataSource(),
			"pinned":      schema.BoolAttribute{Optional: true, Description: backupPinnedFilterDescription},
			"backups": schema.ListNestedAttribute{
				Computed:     true,
				Description:  "The matching backups, newest first.",
				NestedObject: schema.NestedAttributeObject{Attributes: item},
			},
		},
	}
}

func dataSourceAttribute(a backupAttribute) schema.Attribute {
	switch a.kind {
	case attrInt:
		return schema.Int64Attribute{Computed: true, Description: a.description}
	case attrBool:
		return schema.BoolAttribute{Computed: true, Description: a.description}
	}
	return schema.StringAttribute{Computed: true, Description: a.description}
}

func (d *backupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg backupsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !d.ready(&resp.Diagnostics) {
		return
	}
	dbID := cfg.DatabaseID.ValueString()
	all, err := d.data.backups.List(ctx, dbID)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not list the backups of database %q", dbID), err, backupsAdvice(err))
		return
	}
	cfg.ID = cfg.DatabaseID
	cfg.Backups = []backupItemModel{}
	for i := range all {
		if cfg.matches(&all[i]) {
			cfg.Backups = append(cfg.Backups, backupItemFromAPI(&all[i]))
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// backupsAdvice explains the answers that reading or changing a database's
// backups commonly gets.
func backupsAdvice(err error) string {
	switch {
	case client.IsNotFound(err):
		return "The database does not exist (any more); check database_id."
	case client.IsForbiddenScope(err):
		return "The platform refuses environment-scoped API tokens on every /api/databases/{id}/... and /api/backups/{id} route. " +
			"Configure this provider with an operator or admin token that has access to all environments."
	}
	return ""
}
