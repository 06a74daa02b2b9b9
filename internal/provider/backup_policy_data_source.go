package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

// NewBackupPolicyDataSource reads the effective backup policy of a database.
func NewBackupPolicyDataSource() datasource.DataSource {
	return &backupPolicyDataSource{dataSourceBase{name: "database_backup_policy"}}
}

type backupPolicyDataSource struct {
	dataSourceBase
}

func (d *backupPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, Description: "Same as `database_id`."},
		"database_id": schema.StringAttribute{
			Required:    true,
			Description: "Id of the database.",
			Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"preset": schema.StringAttribute{
			Computed:    true,
			Description: fmt.Sprintf("The effective policy's preset label: one of %s.", presetList()),
		},
		"max_total_bytes": schema.Int64Attribute{
			CustomType:  fwtypes.WholeNumberType{},
			Computed:    true,
			Description: "The size cap in bytes; null when there is none.",
		},
		"source": schema.StringAttribute{
			Computed: true,
			Description: "`override` when the database has its own policy (for example a `platform_database_backup_policy`), " +
				"`inherited` when it follows the platform's global default.",
		},
		"auto_applied": schema.BoolAttribute{
			Computed:    true,
			Description: "Whether the platform applied the policy by itself, as it reports.",
		},
	}
	for _, t := range policyTiers {
		attrs[t.attr] = schema.Int64Attribute{
			CustomType:  fwtypes.WholeNumberType{},
			Computed:    true,
			Description: t.description,
		}
	}
	resp.Schema = schema.Schema{
		Description: "The backup retention policy in effect for a database, whether its own or inherited from the " +
			"platform's global default. Reading it needs only a viewer token.",
		Attributes: attrs,
	}
}

func (d *backupPolicyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg backupPolicyDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !d.ready(&resp.Diagnostics) {
		return
	}
	dbID := cfg.DatabaseID.ValueString()
	got, err := d.data.client.GetBackupPolicy(ctx, dbID)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read the backup policy of database %q", dbID), err, notFoundAdvice(err))
		return
	}
	got.Effective.Source = got.Source
	resp.Diagnostics.Append(resp.State.Set(ctx, backupPolicyFromAPI(dbID, got.Effective, fwtypes.WholeNumberNull()).backupPolicyDataModel)...)
}
