package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/validators"
)

var (
	_ resource.ResourceWithImportState = (*backupScheduleResource)(nil)
)

// Schedule defaults the platform applies when PUT leaves a field out, and
// the range it checks (api.Platform.Schedule). PUT replaces the whole
// schedule, so the provider always sends all three. retentionDays is still
// stored and range-checked, but since the platform's GFS release it prunes
// nothing: the retention policy decides.
var (
	defaultRetentionDays   = api.Platform.Schedule.Defaults.RetentionDays
	minRetentionDays       = api.Platform.Schedule.Ranges.RetentionDays.Min
	maxRetentionDays       = api.Platform.Schedule.Ranges.RetentionDays.Max
	defaultScheduleEnabled = api.Platform.Schedule.Defaults.Enabled
)

// retentionDaysDeprecation is shown wherever a configuration sets
// retention_days.
const retentionDaysDeprecation = "retention_days no longer keeps or deletes backups: the platform stores it but " +
	"prunes by the database's retention policy. Manage retention with platform_database_backup_policy and remove " +
	"retention_days from this resource."

// NewBackupScheduleResource manages platform_database_backup_schedule.
func NewBackupScheduleResource() resource.Resource {
	return &backupScheduleResource{resourceBase{name: "database_backup_schedule", identity: backupScheduleIdentity}}
}

var backupScheduleIdentity = keyedByDatabase("the schedule belongs to", "the database whose schedule to import")

type backupScheduleResource struct {
	resourceBase
}

type backupScheduleModel struct {
	ID             types.String        `tfsdk:"id"`
	DatabaseID     types.String        `tfsdk:"database_id"`
	CronExpression types.String        `tfsdk:"cron_expression"`
	RetentionDays  fwtypes.WholeNumber `tfsdk:"retention_days"`
	Enabled        types.Bool          `tfsdk:"enabled"`
	LastRunAt      types.String        `tfsdk:"last_run_at"`
	NextRunAt      types.String        `tfsdk:"next_run_at"`
}

func (r *backupScheduleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The backup schedule of a `platform_database` (at most one per database): when backups run. " +
			"Which backups are kept is the database's retention policy (`platform_database_backup_policy`). Creating it replaces " +
			"any schedule the database already has; destroying it removes the schedule and succeeds when the " +
			"database is already gone. Import with the database id (on Terraform/OpenTofu ≥ 1.12 also by identity, " +
			"`identity = { database_id = … }`).\n\n" +
			"The platform's scheduler runs an enabled schedule that has never run at its next tick, whatever " +
			"`cron_expression` says: the first backup is taken within about a minute of apply, not at the cron time. " +
			"Its backups then block destroying the database unless the `platform_database` has `force_destroy = true` " +
			"(which deletes them).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "Same as `database_id`: a database has at most one schedule.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"database_id": schema.StringAttribute{
				Required:      true,
				Description:   "Id of the database to back up. Changing it forces a new schedule.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"cron_expression": schema.StringAttribute{
				Required: true,
				Description: "When backups run: a five-field cron expression (minute hour day-of-month month day-of-week), " +
					"for example `0 2 * * *` for 02:00 every day. Fields take numbers, `*`, ranges (`1-5`), steps (`*/15`), " +
					"lists (`1,15`) and month/weekday names (`jan`, `mon`); macros such as `@daily` are not accepted. " +
					"Checked at plan time, because the platform stores any text and the schedule would then never run.",
				Validators: []validator.String{validators.Cron()},
			},
			"retention_days": schema.Int64Attribute{
				CustomType: fwtypes.WholeNumberType{},
				Optional:   true,
				Computed:   true,
				Description: fmt.Sprintf("Deprecated: the platform stores this number (%d–%d, `%d` for a new schedule "+
					"that does not set it) but no longer deletes any backup by it; which backups are kept is decided by the "+
					"database's retention policy, `platform_database_backup_policy`. Existing configurations keep working "+
					"unchanged; removing it from configuration keeps the stored number and changes nothing.",
					minRetentionDays, maxRetentionDays, defaultRetentionDays),
				DeprecationMessage: retentionDaysDeprecation,
				Validators:         []validator.Int64{int64validator.Between(minRetentionDays, maxRetentionDays)},
				PlanModifiers:      []planmodifier.Int64{keptUnlessConfigured{fallback: defaultRetentionDays}},
			},
			"enabled": schema.BoolAttribute{
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(defaultScheduleEnabled),
				Description: fmt.Sprintf("Whether the schedule runs. Defaults to `%t`.", defaultScheduleEnabled),
			},
			// No UseStateForUnknown on the run times: the platform moves them
			// whenever the schedule changes or a backup runs. They only ever
			// change on refresh, which does not make a plan dirty.
			"last_run_at": schema.StringAttribute{
				Computed:    true,
				Description: "When the schedule last ran a backup (RFC 3339); null until it has.",
			},
			"next_run_at": schema.StringAttribute{
				Computed:    true,
				Description: "When the platform plans the next backup (RFC 3339); null while disabled.",
			},
		},
	}
}

func (r *backupScheduleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan backupScheduleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.put(ctx, plan, &resp.State, resp.Identity, &resp.Diagnostics, "create")
}

func (r *backupScheduleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan backupScheduleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.put(ctx, plan, &resp.State, resp.Identity, &resp.Diagnostics, "update")
}

// put creates or replaces the schedule; PUT is both on the platform.
func (r *backupScheduleResource) put(ctx context.Context, plan backupScheduleModel, state *tfsdk.State, identity *tfsdk.ResourceIdentity,
	diags *diag.Diagnostics, op string) {
	if !r.ready(diags) {
		return
	}
	dbID := plan.DatabaseID.ValueString()
	sc, err := r.data.client.PutSchedule(ctx, dbID, backupScheduleToAPI(plan))
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Could not %s the backup schedule of database %q", op, dbID), err, notFoundAdvice(err))
		return
	}
	diags.Append(state.Set(ctx, backupScheduleFromAPI(dbID, sc))...)
	diags.Append(r.identity.set(ctx, identity, plan.DatabaseID)...)
}

func (r *backupScheduleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state backupScheduleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if !r.ready(&resp.Diagnostics) {
		return
	}
	dbID := state.DatabaseID.ValueString()
	sc, err := r.data.client.GetSchedule(ctx, dbID)
	if client.IsNotFound(err) || (err == nil && sc == nil) {
		// No schedule, or no database any more.
		r.removeGone(ctx, resp, state.DatabaseID)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read the backup schedule of database %q", dbID), err, "")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, backupScheduleFromAPI(dbID, sc))...)
	resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, state.DatabaseID)...)
}

// Delete treats a missing database as success: when the database is
// destroyed first (or out of band) its schedule went with it.
func (r *backupScheduleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state backupScheduleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if !r.ready(&resp.Diagnostics) {
		return
	}
	dbID := state.DatabaseID.ValueString()
	err := r.data.client.DeleteSchedule(ctx, dbID)
	deleteFailed(&resp.Diagnostics, err, fmt.Sprintf("Could not delete the backup schedule of database %q", dbID), noAdvice)
}

// ImportState takes the database id (or, Terraform ≥ 1.12, an identity);
// Read then removes the resource (and the CLI reports it cannot be
// imported) when the database has no schedule.
func (r *backupScheduleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByDatabaseID(ctx, req, resp, "whose schedule to import")
}

// backupScheduleToAPI sends every field: PUT resets omitted ones to the
// platform's defaults.
func backupScheduleToAPI(m backupScheduleModel) client.ScheduleInput {
	return client.ScheduleInput{
		CronExpression: m.CronExpression.ValueString(),
		RetentionDays:  m.RetentionDays.ValueInt64Pointer(),
		Enabled:        m.Enabled.ValueBoolPointer(),
	}
}

// backupScheduleFromAPI keys the schedule by the database id Terraform knows,
// not the platform's own schedule id, so import and id agree.
func backupScheduleFromAPI(dbID string, sc *client.Schedule) backupScheduleModel {
	return backupScheduleModel{
		ID:             types.StringValue(dbID),
		DatabaseID:     types.StringValue(dbID),
		CronExpression: types.StringValue(sc.CronExpression),
		RetentionDays:  fwtypes.WholeNumberValue(sc.RetentionDays),
		Enabled:        types.BoolValue(sc.Enabled),
		LastRunAt:      optionalString(sc.LastRunAt),
		NextRunAt:      optionalString(sc.NextRunAt),
	}
}

// keptUnlessConfigured plans an unset retention_days as what the platform
// holds, and only a new schedule as the platform's default. The number is
// deprecated and prunes nothing, and configuration generated for an import
// (plan or query -generate-config-out) leaves deprecated attributes out:
// planning the default instead would make every adopted schedule whose
// number differs show an update, and so would following the deprecation
// advice to remove the attribute.
type keptUnlessConfigured struct{ fallback int64 }

func (m keptUnlessConfigured) Description(context.Context) string {
	return fmt.Sprintf("when unset, keeps the stored value (%d for a new schedule)", m.fallback)
}

func (m keptUnlessConfigured) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m keptUnlessConfigured) PlanModifyInt64(_ context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if !req.ConfigValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	resp.PlanValue = types.Int64Value(m.fallback)
	if !req.StateValue.IsNull() {
		resp.PlanValue = req.StateValue
	}
}
