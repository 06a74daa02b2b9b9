package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// createErrorAttribute picks the attribute a failed create points at when
// the platform does not say: a 409 is about the name, and the bare 500 for
// a missing environment, server or database type is narrowed down with the
// environment list the provider keeps anyway.
func (r *databaseResource) createErrorAttribute(ctx context.Context, err error, plan databaseResourceModel) path.Path {
	switch {
	case client.IsConflict(err):
		return path.Root("name")
	case !client.IsServerError(err):
		return path.Empty()
	}
	if name, envErr := r.data.environmentName(ctx, plan.EnvironmentID.ValueString()); envErr == nil && name == "" {
		return path.Root("environment_id")
	}
	if !plan.ServerID.IsNull() {
		return path.Root("server_id")
	}
	if !plan.DatabaseTypeID.IsNull() && !plan.DatabaseTypeID.IsUnknown() {
		return path.Root("database_type_id")
	}
	return path.Empty()
}
