package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

// ModifyPlan fills in the computed values a user can predict, so plans show
// them instead of "(known after apply)", and works around what PATCH cannot
// do.
func (r *databaseResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.warnForceDestroy(ctx, req, resp)
		return
	}
	var plan, cfg databaseResourceModel
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.Config.Raw, &cfg)...)
	var state *databaseResourceModel
	if !req.State.Raw.IsNull() {
		state = &databaseResourceModel{}
		resp.Diagnostics.Append(databaseCodec().Get(ctx, req.State.Raw, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	r.checkDatabaseType(ctx, cfg, state, &resp.Diagnostics)
	proposed := plan
	keepUnclearable(cfg, state, &plan, resp)
	plan.HasCredentials = plannedHasCredentials(cfg, state)
	plan.BackupSpacesPrefix = r.plannedSpacesPrefix(ctx, cfg, plan)
	// Most plans of a large configuration are refreshes that change none of
	// these; writing the plan back unchanged would cost an encode and the
	// framework's checks of the whole value for each of them.
	if changedByProvider(proposed, plan) {
		resp.Diagnostics.Append(databaseCodec().Set(ctx, &resp.Plan, &plan)...)
	}

	// The framework marks updated_at unknown only for changes it saw before
	// this function; a change made here (restoring credentials) must do so
	// too, or apply would return a different timestamp than planned.
	if state != nil && !plan.UpdatedAt.IsUnknown() && !resp.Plan.Raw.Equal(req.State.Raw) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), types.StringUnknown())...)
	}
}

// changedByProvider says whether ModifyPlan changed any of the values it
// plans: everything else in plan is the framework's proposal, untouched.
func changedByProvider(proposed, plan databaseResourceModel) bool {
	return !plan.Port.Equal(proposed.Port) || !plan.ServerID.Equal(proposed.ServerID) ||
		!plan.HasCredentials.Equal(proposed.HasCredentials) || !plan.BackupSpacesPrefix.Equal(proposed.BackupSpacesPrefix)
}

// keepUnclearable: the API cannot clear a port (PATCH rejects null) nor a
// server (an empty id is a server that does not exist, answered with 500),
// so removing either from configuration keeps the last value rather than
// promising a change that apply could not make.
func keepUnclearable(cfg databaseResourceModel, state *databaseResourceModel, plan *databaseResourceModel, resp *resource.ModifyPlanResponse) {
	if cfg.Port.IsNull() {
		plan.Port = fwtypes.WholeNumberNull()
		if state != nil && !state.Port.IsNull() {
			plan.Port = state.Port
			warnKept(resp, "port", state.Port.String())
		}
	}
	if cfg.ServerID.IsNull() {
		plan.ServerID = types.StringNull()
		if state != nil && !state.ServerID.IsNull() {
			plan.ServerID = state.ServerID
			warnKept(resp, "server_id", state.ServerID.String())
		}
	}
}

func warnKept(resp *resource.ModifyPlanResponse, attr, value string) {
	resp.Diagnostics.AddAttributeWarning(path.Root(attr), "Value kept",
		fmt.Sprintf("The platform cannot clear a database's %s, so removing it from configuration keeps %s. "+
			"To drop it, replace the database (terraform apply -replace=...).", attr, value))
}

// plannedHasCredentials: configured credentials are always wanted on the
// platform (which restores them if they were cleared out of band); removing
// credentials that Terraform set clears them; credentials Terraform never
// managed (an imported database) are left alone.
func plannedHasCredentials(cfg databaseResourceModel, state *databaseResourceModel) types.Bool {
	switch {
	case !cfg.Username.IsNull():
		return types.BoolValue(true)
	case state == nil:
		return types.BoolValue(false)
	case !state.Username.IsNull():
		return types.BoolValue(false)
	default:
		return state.HasCredentials
	}
}

// plannedSpacesPrefix predicts the prefix the platform fills in for spaces
// storage, "<environment name>/<database name>/", so the plan shows it.
func (r *databaseResource) plannedSpacesPrefix(ctx context.Context, cfg, plan databaseResourceModel) types.String {
	if !cfg.BackupSpacesPrefix.IsNull() {
		return cfg.BackupSpacesPrefix
	}
	if plan.BackupStorageType.ValueString() != "spaces" {
		return types.StringNull()
	}
	if plan.EnvironmentID.IsUnknown() || plan.Name.IsUnknown() || r.data == nil || r.data.client == nil {
		return types.StringUnknown()
	}
	envName, err := r.data.environmentName(ctx, plan.EnvironmentID.ValueString())
	if err != nil || envName == "" {
		return types.StringUnknown()
	}
	return types.StringValue(envName + "/" + plan.Name.ValueString() + "/")
}
