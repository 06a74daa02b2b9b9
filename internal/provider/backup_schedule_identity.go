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

// databaseIDIdentityModel is the resource identity (Terraform ≥ 1.12) of
// what a database has at most one of, its backup schedule and its backup
// policy: the database's id names it.
type databaseIDIdentityModel struct {
	DatabaseID types.String `tfsdk:"database_id"`
}

// databaseIDIdentitySchema is that identity's schema; of says whose the
// database is, for its description.
func databaseIDIdentitySchema(of string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"database_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Id of the database " + of + ".",
			},
		},
	}
}

func (r *backupScheduleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = databaseIDIdentitySchema("the schedule belongs to")
}

// setDatabaseIDIdentity records the identity on every create, read and
// update, so states written before identity existed gain one on
// their next refresh (CLIs without identity support ignore it). A
// read that removes the resource sets it too: the framework requires an
// identity from every read that does not fail.
func setDatabaseIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, dbID string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, databaseIDIdentityModel{DatabaseID: types.StringValue(dbID)})
}

// importBackupScheduleByIdentity starts an import from an `identity` in an
// import block; Read fills in the rest, as after an import by id.
func importBackupScheduleByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id databaseIDIdentityModel
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
