package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

var (
	_ resource.ResourceWithImportState    = (*backupPolicyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*backupPolicyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*backupPolicyResource)(nil)
)

// NewBackupPolicyResource manages platform_database_backup_policy.
func NewBackupPolicyResource() resource.Resource {
	return &backupPolicyResource{resourceBase{name: "database_backup_policy",
		identity: keyedByDatabase("whose backup policy this is", "the database whose backup policy to import")}}
}

type backupPolicyResource struct {
	resourceBase
}

func (r *backupPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed:      true,
			Description:   "Same as `database_id`: a database has one retention policy.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"database_id": schema.StringAttribute{
			Required:      true,
			Description:   "Id of the database whose backups the policy keeps. Changing it forces a new policy.",
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"preset": schema.StringAttribute{
			Required: true,
			Description: fmt.Sprintf("One of %s. A named preset fixes all six tiers (%s); leave the tiers out or set them "+
				"to exactly these values. `custom` takes the six tiers from the configuration, all of them required.",
				presetList(), presetTable()),
			Validators: []validator.String{stringvalidator.OneOf(presetNames...)},
		},
		"max_total_bytes": schema.Int64Attribute{
			CustomType: fwtypes.WholeNumberType{},
			Optional:   true,
			Description: fmt.Sprintf("Size cap: while the kept backups total more than this many bytes, the oldest kept "+
				"scheduled backups are deleted too (never below `min_floor`). 0–%d. Unset means no cap: the platform "+
				"replaces the whole policy on each write, so removing it from the configuration clears the cap.", maxTotalBytesLimit),
			Validators: []validator.Int64{int64validator.Between(0, maxTotalBytesLimit)},
		},
		"max_prune": schema.Int64Attribute{
			CustomType: fwtypes.WholeNumberType{},
			Optional:   true,
			Computed:   true,
			Default:    int64default.StaticInt64(0),
			Description: "How many existing backups one apply of this policy may delete. The platform deletes the backups a " +
				"new policy does not keep as soon as the policy is written; the plan warns how many, and the apply refuses " +
				"(changing nothing) when there are more than this. Later rotations, after new backups, are the policy doing " +
				"its job and are not bounded by it. Defaults to `0`. Terraform-only: never sent to the platform.",
			Validators: []validator.Int64{int64validator.AtLeast(0)},
		},
		"source": schema.StringAttribute{
			Computed: true,
			Description: "Where the database's effective policy comes from: `override` (this resource's policy) or " +
				"`inherited` (the platform's global default, for example after the override was removed outside Terraform; " +
				"the next plan then writes the policy again).",
		},
		"auto_applied": schema.BoolAttribute{
			Computed:    true,
			Description: "Whether the platform applied the policy by itself rather than through a request, as it reports.",
		},
	}
	for _, t := range policyTiers {
		attrs[t.attr] = schema.Int64Attribute{
			CustomType:  fwtypes.WholeNumberType{},
			Optional:    true,
			Computed:    true,
			Description: fmt.Sprintf("%s %d–%d. Set with `preset = \"custom\"`; otherwise the preset's value.", t.description, t.min, t.max),
			Validators:  []validator.Int64{int64validator.Between(t.min, t.max)},
		}
	}
	resp.Schema = schema.Schema{
		Description: "The backup retention policy of a `platform_database`: which of its backups the platform keeps " +
			"(grandfather-father-son tiers, a safety floor and an optional size cap). Without this resource a database " +
			"inherits the platform's global default. Writing a policy deletes, at once, the existing backups it does not " +
			"keep: the plan says how many, and `max_prune` bounds it. Destroying the resource reverts the database to the " +
			"global default. Import with the database id.",
		Attributes: attrs,
	}
}

// ValidateConfig: a named preset's tiers are fixed (the platform stores the
// preset's whatever is sent), and custom needs all six tiers (the platform
// requires all six on every write).
func (r *backupPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg backupPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.Preset.IsUnknown() || cfg.Preset.IsNull() {
		return
	}
	resp.Diagnostics.Append(validatePolicyTiers(cfg)...)
}

func validatePolicyTiers(cfg backupPolicyModel) diag.Diagnostics {
	var diags diag.Diagnostics
	preset := cfg.Preset.ValueString()
	values, named := backupPolicyPresets[preset]
	for i, t := range policyTiers {
		v := *t.model(&cfg)
		switch {
		case v.IsUnknown():
		case !named && v.IsNull() && preset == presetCustom:
			diags.AddAttributeError(path.Root(t.attr), "Missing tier for a custom policy",
				fmt.Sprintf("preset = \"custom\" takes all six tiers from the configuration; set %s (%d–%d).", t.attr, t.min, t.max))
		case named && !v.IsNull() && v.ValueInt64() != values[i]:
			diags.AddAttributeError(path.Root(t.attr), "Tier differs from the preset",
				fmt.Sprintf("%s = %d, but preset %q has %s = %d, and the platform would store the preset's value. "+
					"Remove %s to use the preset, or set preset = \"custom\" to choose the tiers yourself.",
					t.attr, v.ValueInt64(), preset, t.attr, values[i], t.attr))
		}
	}
	return diags
}

// ModifyPlan fills in a named preset's tiers (so they are known and never
// drift), plans source = "override", and, when the policy is written by
// this apply, asks the platform's dry run how many existing backups the
// write deletes and warns about them. One preview per changed policy; an
// unchanged policy costs no request.
func (r *backupPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan backupPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if values, named := backupPolicyPresets[plan.Preset.ValueString()]; named {
		for i, t := range policyTiers {
			*t.model(&plan) = fwtypes.WholeNumberValue(values[i])
		}
	}
	plan.Source = types.StringValue(sourceOverride)
	var state *backupPolicyModel
	if !req.State.Raw.IsNull() {
		state = &backupPolicyModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if state != nil && state.Source.Equal(plan.Source) && samePolicy(*state, plan) {
		plan.AutoApplied = state.AutoApplied
	} else {
		plan.AutoApplied = types.BoolUnknown()
		r.warnPrune(ctx, plan, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// warnPrune previews a policy about to be written. A database created in
// the same apply (unknown id) has no backups to lose.
func (r *backupPolicyResource) warnPrune(ctx context.Context, plan backupPolicyModel, diags *diag.Diagnostics) {
	if !policyKnown(plan) || r.data == nil || r.data.client == nil {
		return
	}
	dbID := plan.DatabaseID.ValueString()
	preview, err := r.data.client.PreviewBackupPolicy(ctx, dbID, backupPolicyToAPI(plan))
	if client.IsNotFound(err) {
		return // the database is gone; the apply will say so
	}
	if f, ok := client.MissingFeature(err); ok {
		addMissingFeature(diags, path.Root("database_id"), f)
		return
	}
	if err != nil {
		diags.AddAttributeWarning(path.Root("preset"), "Could not preview which backups the policy deletes",
			fmt.Sprintf("The platform's dry run failed (%v). The apply previews again and still refuses to delete more "+
				"than max_prune backups.", err))
		return
	}
	if len(preview.Prune) == 0 {
		return
	}
	summary, detail := policyWrite.warning(dbID, summarizePrune(preview.Prune), plan.MaxPrune.ValueInt64())
	diags.AddAttributeWarning(path.Root("max_prune"), summary, detail)
}

// policyKnown: every value the preview needs is known at plan time.
func policyKnown(m backupPolicyModel) bool {
	if m.DatabaseID.IsUnknown() || m.Preset.IsUnknown() || m.MaxTotalBytes.IsUnknown() || m.MaxPrune.IsUnknown() {
		return false
	}
	for _, t := range policyTiers {
		if t.model(&m).IsUnknown() {
			return false
		}
	}
	return true
}

func (r *backupPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan backupPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.write(ctx, plan, &resp.State, resp.Identity, &resp.Diagnostics, "create")
}

// Update writes the policy only when it changed: a change of max_prune
// alone is Terraform's business and costs no request.
func (r *backupPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state backupPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.Source.ValueString() == sourceOverride && samePolicy(state, plan) {
		plan.AutoApplied = state.AutoApplied
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, plan.DatabaseID)...)
		return
	}
	r.write(ctx, plan, &resp.State, resp.Identity, &resp.Diagnostics, "update")
}

// write previews again (backups may have come and gone since the plan),
// refuses when more than max_prune would be deleted, and otherwise writes
// the policy with the platform's confirmation.
func (r *backupPolicyResource) write(ctx context.Context, plan backupPolicyModel, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics, op string) {
	if !r.ready(diags) {
		return
	}
	dbID := plan.DatabaseID.ValueString()
	in := backupPolicyToAPI(plan)
	preview, err := r.data.client.PreviewBackupPolicy(ctx, dbID, in)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Could not preview the backup policy of database %q", dbID), err, notFoundAdvice(err))
		return
	}
	prune := summarizePrune(preview.Prune)
	if maxPrune := plan.MaxPrune.ValueInt64(); int64(prune.count) > maxPrune {
		summary, detail := policyWrite.refuse(dbID, prune, maxPrune)
		diags.AddAttributeError(path.Root("max_prune"), summary, detail)
		return
	}
	in.Confirm = true
	res, err := r.data.client.PutBackupPolicy(ctx, dbID, in)
	if ce, ok := client.IsConfirmationRequired(err); ok {
		// Only possible if the platform changed its rule: confirm was sent.
		summary, detail := policyWrite.refuse(dbID, summarizePrune(ce.Prune), plan.MaxPrune.ValueInt64())
		diags.AddAttributeError(path.Root("max_prune"), summary, detail)
		return
	}
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Could not %s the backup policy of database %q", op, dbID), err, notFoundAdvice(err))
		return
	}
	policyWrite.warnOutcome(dbID, preview.Prune, &res.Rotation, diags)
	tflog.Info(ctx, "backup policy written", map[string]any{"database_id": dbID, "pruned": len(res.Rotation.Prune),
		"bytes_freed": res.Rotation.BytesFreed})
	diags.Append(state.Set(ctx, backupPolicyFromAPI(dbID, backupPolicyOverrideAsPolicy(res.Override), plan.MaxPrune))...)
	diags.Append(r.identity.set(ctx, identity, plan.DatabaseID)...)
}

func notFoundAdvice(err error) string {
	if client.IsNotFound(err) {
		return "The database does not exist (any more); check database_id."
	}
	return ""
}

// Read reports the effective policy. When the override is gone (reverted
// in the platform's UI) the state shows the inherited policy with source
// "inherited", and the next plan writes the configured policy again; a
// database that is gone removes the resource.
func (r *backupPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state backupPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if !r.ready(&resp.Diagnostics) {
		return
	}
	dbID := state.DatabaseID.ValueString()
	got, err := r.data.client.GetBackupPolicy(ctx, dbID)
	if client.IsNotFound(err) {
		// The database is gone, and its policy with it.
		r.removeGone(ctx, resp, state.DatabaseID)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read the backup policy of database %q", dbID), err, "")
		return
	}
	got.Effective.Source = got.Source
	resp.Diagnostics.Append(resp.State.Set(ctx, backupPolicyFromAPI(dbID, got.Effective, state.MaxPrune))...)
	resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, state.DatabaseID)...)
}

// Delete reverts the database to the global default. It deletes no backups
// itself; the global policy applies at the platform's next rotation. A
// database that is already gone took its policy with it.
func (r *backupPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state backupPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if !r.ready(&resp.Diagnostics) {
		return
	}
	dbID := state.DatabaseID.ValueString()
	_, err := r.data.client.DeleteBackupPolicy(ctx, dbID)
	deleteFailed(&resp.Diagnostics, err, fmt.Sprintf("Could not revert the backup policy of database %q to the global default", dbID), noAdvice)
}

// ImportState takes the database id, from the import id or the identity.
func (r *backupPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByDatabaseID(ctx, req, resp, "whose backup policy to import")
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("max_prune"), fwtypes.WholeNumberValue(0))...)
	}
}
