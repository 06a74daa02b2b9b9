package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*backupScheduleResource)(nil)

// backupScheduleIdentityModel is platform_database_backup_schedule's resource
// identity (Terraform ≥ 1.12): a database has at most one schedule, so its
// database's id names it.
type backupScheduleIdentityModel struct {
	DatabaseID types.String `tfsdk:"database_id"`
}

func (r *backupScheduleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"database_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Id of the database the schedule belongs to.",
			},
		},
	}
}

// setBackupScheduleIdentity records the schedule's identity on every create,
// read and update, so states written before identity existed gain one on
// their next refresh (CLIs without identity support ignore it). A
// read that removes the schedule sets it too: the framework requires an
// identity from every read that does not fail.
func setBackupScheduleIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, dbID string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, backupScheduleIdentityModel{DatabaseID: types.StringValue(dbID)})
}

// importBackupScheduleByIdentity starts an import from an `identity` in an
// import block; Read fills in the rest, as after an import by id.
func importBackupScheduleByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id backupScheduleIdentityModel
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if id.DatabaseID.ValueString() == "" {
		resp.Diagnostics.AddError("Invalid import identity", "The identity's database_id must name the database whose schedule to import.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.DatabaseID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("database_id"), id.DatabaseID)...)
}
