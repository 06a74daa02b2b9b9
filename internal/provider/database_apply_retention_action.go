package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var _ action.ActionWithModifyPlan = (*databaseApplyRetentionAction)(nil)

// NewDatabaseApplyRetentionAction is platform_database_apply_retention.
func NewDatabaseApplyRetentionAction() action.Action {
	return &databaseApplyRetentionAction{actionBase{name: "database_apply_retention"}}
}

type databaseApplyRetentionAction struct {
	actionBase
}

type databaseApplyRetentionModel struct {
	DatabaseID types.String `tfsdk:"database_id"`
	MaxPrune   types.Int64  `tfsdk:"max_prune"`
}

func (a *databaseApplyRetentionAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Applies a `platform_database`'s backup retention policy now (the platform's rotation), instead " +
			"of waiting for its next scheduled rotation: the backups the policy does not keep are deleted at once and for " +
			"good. The policy is the database's effective one, its own (`platform_database_backup_policy`) or the " +
			"platform's global default. The plan previews how many backups go; the action previews again and refuses, " +
			"deleting nothing, when that is more than `max_prune`. Needs Terraform ≥ 1.14 and a token with the operator " +
			"or admin role.",
		Attributes: map[string]schema.Attribute{
			"database_id": schema.StringAttribute{
				Required:    true,
				Description: "Id of the database whose retention policy to apply.",
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_prune": schema.Int64Attribute{
				Optional: true,
				Description: "How many backups the action may delete. It asks the platform's dry run first and refuses, " +
					"changing nothing, when the policy would delete more. Defaults to `0`: only a run with nothing to " +
					"delete goes ahead, so set it to what the plan's warning says is deleted. The platform's rotation has no " +
					"dry run of its own, so a backup that completes between the preview and the rotation can be deleted " +
					"too; the action then warns.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
		},
	}
}

// ModifyPlan says in the plan how many backups the run deletes, and
// whether max_prune lets it. A database created in the same apply
// (unknown id) has no backups to lose.
func (a *databaseApplyRetentionAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var cfg databaseApplyRetentionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.DatabaseID.IsUnknown() || cfg.MaxPrune.IsUnknown() || !a.planning() {
		return
	}
	dbID := cfg.DatabaseID.ValueString()
	preview, err := a.data.client.PreviewCurrentBackupPolicy(ctx, dbID)
	if client.IsNotFound(err) {
		return // the database is gone; the invocation will say so
	}
	if f, ok := client.MissingFeature(err); ok {
		addMissingFeature(&resp.Diagnostics, path.Root("database_id"), f)
		return
	}
	if err != nil {
		resp.Diagnostics.AddAttributeWarning(path.Root("database_id"), "Could not preview which backups the retention policy deletes",
			fmt.Sprintf("The platform's dry run failed (%v). The action previews again and still refuses to delete more "+
				"than max_prune backups.", err))
		return
	}
	if len(preview.Prune) == 0 {
		return
	}
	summary, detail := retentionRun.warning(dbID, summarizePrune(preview.Prune), cfg.MaxPrune.ValueInt64())
	resp.Diagnostics.AddAttributeWarning(path.Root("max_prune"), summary, detail)
}

// Invoke previews the effective policy, refuses above max_prune, and
// otherwise rotates. With nothing to delete it does not rotate at all, so
// nothing can go that the preview did not list.
func (a *databaseApplyRetentionAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg databaseApplyRetentionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !a.ready(&resp.Diagnostics) {
		return
	}
	dbID, maxPrune := cfg.DatabaseID.ValueString(), cfg.MaxPrune.ValueInt64()
	preview, err := a.data.client.PreviewCurrentBackupPolicy(ctx, dbID)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not preview the retention policy of database %q", dbID), err, backupsAdvice(err))
		return
	}
	prune := summarizePrune(preview.Prune)
	if int64(prune.count) > maxPrune {
		summary, detail := retentionRun.refuse(dbID, prune, maxPrune)
		resp.Diagnostics.AddAttributeError(path.Root("max_prune"), summary, detail)
		return
	}
	if prune.count == 0 {
		progress(resp, fmt.Sprintf("The retention policy of database %s (%s) keeps all %d backup(s); nothing to delete",
			dbID, policyLabel(preview.Policy), len(preview.Keep)))
		return
	}
	progress(resp, fmt.Sprintf("Applying the retention policy of database %s (%s): deleting %s", dbID,
		policyLabel(preview.Policy), prune.describe()))
	rot, err := a.data.client.RotateBackups(ctx, dbID)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not apply the retention policy of database %q", dbID), err,
			joinNonEmpty(backupsAdvice(err), "Whether the platform deleted anything is unknown: the next plan's warning counts what is left to delete."))
		return
	}
	tflog.Info(ctx, "retention policy applied", map[string]any{"database_id": dbID, "pruned": len(rot.Prune), "bytes_freed": rot.BytesFreed})
	retentionRun.warnOutcome(dbID, preview.Prune, rot, &resp.Diagnostics)
	progress(resp, fmt.Sprintf("Deleted %d backup(s) of database %s, freeing %s; %d kept", len(rot.Prune), dbID,
		formatBytes(rot.BytesFreed), len(rot.Keep)))
}

// policyLabel names the policy a rotation applies: its preset and where it
// comes from.
func policyLabel(p client.BackupPolicy) string {
	if p.Source == "" {
		return "preset " + p.Preset
	}
	return fmt.Sprintf("preset %s, %s", p.Preset, p.Source)
}
