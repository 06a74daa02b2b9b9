package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// databaseIdentity is platform_database's identity: the id names the
// database on its own; the environment is optional on import and lets the
// read that follows go through the environment's list, one request for a
// whole environment of import blocks.
var databaseIdentity = resourceIdentity{
	attributes: []identityAttribute{
		{name: "id", description: "Id of the database on the platform."},
		{name: "environment_id", description: "Id of the environment the database belongs to. Optional on import; " +
			"the platform cannot move a database between environments, so it never changes."},
	},
	names: "a database",
}

// setIdentity records db's identity as the platform returned it.
func (r *databaseResource) setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, db *client.Database) diag.Diagnostics {
	if db == nil {
		return nil
	}
	return r.identity.set(ctx, identity, types.StringValue(db.ID), types.StringValue(db.EnvironmentID))
}
