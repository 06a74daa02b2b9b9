package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var _ resource.ResourceWithIdentity = (*databaseResource)(nil)

// databaseIdentityModel is platform_database's resource identity (Terraform
// ≥ 1.12): the id names the database on its own; the environment is optional
// on import and lets the read that follows go through the environment's
// list, one request for a whole environment of import blocks.
type databaseIdentityModel struct {
	ID            types.String `tfsdk:"id"`
	EnvironmentID types.String `tfsdk:"environment_id"`
}

func (r *databaseResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Id of the database on the platform.",
			},
			"environment_id": identityschema.StringAttribute{
				OptionalForImport: true,
				Description: "Id of the environment the database belongs to. Optional on import; " +
					"the platform cannot move a database between environments, so it never changes.",
			},
		},
	}
}

// databaseIdentityFromAPI is the identity of a database as the platform
// returned it. Every create, read and update sets it, so a state written
// before identity existed gains one on its next refresh.
func databaseIdentityFromAPI(db *client.Database) databaseIdentityModel {
	return databaseIdentityModel{
		ID:            types.StringValue(db.ID),
		EnvironmentID: types.StringValue(db.EnvironmentID),
	}
}

// setDatabaseIdentity records db's identity. The framework hands every CLI
// one; those without identity support (Terraform < 1.12) ignore it.
func setDatabaseIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, db *client.Database) diag.Diagnostics {
	if identity == nil || db == nil {
		return nil
	}
	return identity.Set(ctx, databaseIdentityFromAPI(db))
}

// keepDatabaseIdentity names a database that a read found gone by its
// state: the framework requires an identity even from a read that removes
// the resource, and one imported by id or refreshed from a state written
// before identity has none yet.
func keepDatabaseIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, state databaseResourceModel) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, databaseIdentityModel{ID: state.ID, EnvironmentID: state.EnvironmentID})
}

// importDatabaseByIdentity starts an import from an `identity` in an import
// block: the id is enough, the environment (when given) is kept for the read.
func importDatabaseByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id databaseIdentityModel
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if id.ID.ValueString() == "" {
		resp.Diagnostics.AddError("Invalid import identity", "The identity's id must name a database.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.ID)...)
	if id.EnvironmentID.ValueString() != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("environment_id"), id.EnvironmentID)...)
	}
}
