package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var (
	_ resource.ResourceWithImportState = (*backupResource)(nil)
)

// A backup can take as long as its dump (the platform lets one run up to
// the database's pg_dump_timeout_ms, at most an hour).
const (
	defaultBackupCreateTimeout = 30 * time.Minute
	defaultBackupUpdateTimeout = 5 * time.Minute
	defaultBackupDeleteTimeout = 5 * time.Minute
	// cleanupTimeout bounds deleting a failed backup's row after the
	// create's own time is up.
	cleanupTimeout = 30 * time.Second
)

// NewBackupResource manages platform_database_backup.
func NewBackupResource() resource.Resource {
	return &backupResource{resourceBase{name: "database_backup", identity: backupIdentity}}
}

type backupResource struct {
	resourceBase
}

var backupIdentity = resourceIdentity{
	attributes: []identityAttribute{{name: "id", description: "Id of the backup."}},
	names:      "a backup",
}

type backupResourceModel struct {
	backupModel
	DatabaseID types.String   `tfsdk:"database_id"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func backupResourceFromAPI(b *client.Backup, prior backupResourceModel) backupResourceModel {
	return backupResourceModel{backupModel: backupFromAPI(b), DatabaseID: types.StringValue(b.DatabaseID), Timeouts: prior.Timeouts}
}

func (r *backupResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, a := range backupAttributes {
		attrs[a.name] = computedBackupAttribute(a)
	}
	attrs["database_id"] = schema.StringAttribute{
		Required:      true,
		Description:   "Id of the database to back up. Changing it takes a new backup of the other database (and deletes this one).",
		Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	attrs["pinned"] = schema.BoolAttribute{
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(false),
		Description: "Pin the backup: the platform's rotation never deletes a pinned backup, whatever the retention policy " +
			"says. A pinned backup still counts toward the policy's `min_floor` and `max_total_bytes`, so pinning large " +
			"backups makes rotation delete more of the scheduled ones. Changes in place. Defaults to `false`.",
	}
	resp.Schema = schema.Schema{
		Description: "A manual backup of a `platform_database`. Creating the resource takes the backup and waits until " +
			"the platform reports it completed. A backup that fails is an error carrying the platform's reason and step; " +
			"the provider deletes the failed backup, so nothing is left behind (a failed backup would still block the " +
			"database's destroy). Destroying the resource deletes the backup file, pinned or not. A backup that disappears " +
			"(rotated, or deleted in the platform's UI) leaves the state at the next refresh. Import by backup id or by " +
			"`<database_id>/<backup_id>`.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true,
				CreateDescription: "How long taking the backup may take, waiting for it included, as a duration such as " +
					"`30s` or `2h45m`. Defaults to `30m`. When it runs out the backup is recorded as tainted, so the next " +
					"apply replaces it.",
				UpdateDescription: timeoutDescription("pin change", defaultBackupUpdateTimeout),
				DeleteDescription: timeoutDescription("delete", defaultBackupDeleteTimeout),
			}),
		},
	}
}

// computedBackupAttribute: every platform value of a backup is fixed once
// it finished, except what a pin change or rotation does, which the apply
// or the next refresh reports.
func computedBackupAttribute(a backupAttribute) schema.Attribute {
	switch a.kind {
	case attrInt:
		return schema.Int64Attribute{Computed: true, Description: a.description,
			PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}}
	case attrBool:
		return schema.BoolAttribute{Computed: true, Description: a.description}
	}
	return schema.StringAttribute{Computed: true, Description: a.description,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
}

// Create takes the backup and waits for it. A failed backup's row is
// deleted before the error is returned: it is worth nothing, and any
// backup row stops the platform from deleting the database.
func (r *backupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan backupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, op, ok := r.begin(ctx, &resp.Diagnostics, plan.Timeouts.Create, defaultBackupCreateTimeout)
	if !ok {
		return
	}
	defer op.cancel()

	dbID := plan.DatabaseID.ValueString()
	if plan.Pinned.ValueBool() && !requireFeature(ctx, r.data.client, api.FeaturePins, path.Root("pinned"), &resp.Diagnostics) {
		return // before the backup: one taken and left unpinned is not what was asked
	}
	summary := fmt.Sprintf("Could not back up database %q", dbID)
	id, err := r.data.client.CreateBackup(ctx, dbID)
	switch {
	case err != nil && id != "":
		// Cut off after the platform started it: the settled id keeps it
		// from being a backup nobody knows of.
		r.recordUnfinished(ctx, id, plan, op.timeout, err, resp)
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, summary, err, joinNonEmpty(backupsAdvice(err), contextAdvice(err, "create", op.timeout)))
		return
	}
	tflog.Info(ctx, "backup started; waiting for it to finish", map[string]any{"database_id": dbID, "backup_id": id})
	b, err := r.data.client.WaitForBackup(ctx, id, nil)
	switch {
	case err != nil && isContextDone(err):
		r.recordUnfinished(ctx, id, plan, op.timeout, err, resp)
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, summary, err, fmt.Sprintf("The backup %s was started; the next refresh finds it if it exists.", id))
		return
	case b.Status == client.BackupFailed:
		resp.Diagnostics.AddAttributeError(path.Root("database_id"), summary,
			discardFailedBackup(ctx, r.data.client, b, "Fix the cause and apply again."))
		return
	}
	if plan.Pinned.ValueBool() {
		if b, err = r.data.client.PinBackup(ctx, dbID, id, true); err != nil {
			r.saveAndFail(ctx, id, plan, resp, fmt.Sprintf("Could not pin backup %s", id), err)
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, backupResourceFromAPI(b, plan))...)
	resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, types.StringValue(id))...)
}

// recordUnfinished keeps a backup still running when the create's time ran
// out (or the run was interrupted): the error taints it, so the next apply
// replaces it, and until then Terraform knows the row exists.
func (r *backupResource) recordUnfinished(ctx context.Context, id string, plan backupResourceModel, timeout time.Duration,
	cause error, resp *resource.CreateResponse) {
	r.saveAndFail(ctx, id, plan, resp, fmt.Sprintf("Backup %s of database %q did not finish", id, plan.DatabaseID.ValueString()),
		fmt.Errorf("%w\n\n%s", cause, contextAdvice(cause, "create", timeout)))
}

// saveAndFail records the backup as it now is, with an error, so the
// resource is tainted rather than lost.
func (r *backupResource) saveAndFail(ctx context.Context, id string, plan backupResourceModel, resp *resource.CreateResponse,
	summary string, cause error) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	b, err := r.data.client.GetBackup(cctx, id)
	if err != nil {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("%v\n\nBackup %s may still be on the platform; reading it failed too (%v). "+
			"Import it (terraform import <address> %s) or delete it in the platform's UI.", cause, id, err, id))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, backupResourceFromAPI(b, plan))...)
	resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, types.StringValue(id))...)
	resp.Diagnostics.AddError(summary, fmt.Sprintf("%v\n\nThe backup is recorded as tainted; the next apply replaces it.", cause))
}

// Read removes a backup that is gone (rotated, deleted in the UI, or gone
// with its database) from the state.
func (r *backupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state backupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if !r.ready(&resp.Diagnostics) {
		return
	}
	id := state.ID.ValueString()
	// Through the database's backup list, shared by its other backups.
	b, err := r.data.backups.Get(ctx, state.DatabaseID.ValueString(), id)
	if client.IsNotFound(err) {
		r.removeGone(ctx, resp, state.ID)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read backup %q", id), err, backupsAdvice(err))
		return
	}
	if want := state.DatabaseID.ValueString(); want != "" && want != b.DatabaseID {
		resp.Diagnostics.AddAttributeError(path.Root("database_id"), "Backup belongs to another database",
			fmt.Sprintf("Backup %s is a backup of database %q, not %q.", id, b.DatabaseID, want))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, backupResourceFromAPI(b, state))...)
	resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, types.StringValue(id))...)
}

// Update changes only pinned; everything else replaces the backup.
func (r *backupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state backupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, op, ok := r.begin(ctx, &resp.Diagnostics, plan.Timeouts.Update, defaultBackupUpdateTimeout)
	if !ok {
		return
	}
	defer op.cancel()

	id := state.ID.ValueString()
	pinned := plan.Pinned.ValueBool()
	b, err := r.data.client.PinBackup(ctx, state.DatabaseID.ValueString(), id, pinned)
	if err != nil {
		verb := map[bool]string{true: "pin", false: "unpin"}[pinned]
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not %s backup %q", verb, id), err,
			joinNonEmpty(backupsAdvice(err), contextAdvice(err, "update", op.timeout)))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, backupResourceFromAPI(b, plan))...)
	resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, types.StringValue(id))...)
}

// Delete deletes the backup, pinned or not; one already gone is fine.
func (r *backupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state backupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, op, ok := r.begin(ctx, &resp.Diagnostics, state.Timeouts.Delete, defaultBackupDeleteTimeout)
	if !ok {
		return
	}
	defer op.cancel()
	id := state.ID.ValueString()
	err := r.data.client.DeleteBackup(ctx, state.DatabaseID.ValueString(), id)
	deleteFailed(&resp.Diagnostics, err, fmt.Sprintf("Could not delete backup %q", id), func() string {
		return joinNonEmpty(backupsAdvice(err), contextAdvice(err, "delete", op.timeout))
	})
}

// ImportState takes a backup id, `<database_id>/<backup_id>`, or the
// identity; Read fills in the rest and checks the database.
func (r *backupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.identity.importByIdentity(ctx, req, resp) {
		return
	}
	dbID, id, withDatabase := strings.Cut(req.ID, "/")
	if !withDatabase {
		id, dbID = dbID, ""
	}
	if id == "" || (withDatabase && (dbID == "" || strings.Contains(id, "/"))) {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Expected a backup id or <database_id>/<backup_id>, got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if dbID != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("database_id"), dbID)...)
	}
}
