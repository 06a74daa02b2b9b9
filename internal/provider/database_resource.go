package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var (
	_ resource.ResourceWithImportState    = (*databaseResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*databaseResource)(nil)
	_ resource.ResourceWithValidateConfig = (*databaseResource)(nil)
)

// Used when the configuration has no timeouts block.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

// NewDatabaseResource manages platform_database.
func NewDatabaseResource() resource.Resource {
	return &databaseResource{resourceBase{name: "database", identity: databaseIdentity}}
}

type databaseResource struct {
	resourceBase
}

func (r *databaseResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan databaseResourceModel
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.Plan.Raw, &plan)...)
	password := r.password(ctx, plan, req.Config, &resp.Diagnostics)
	ctx, op, ok := r.begin(ctx, &resp.Diagnostics, plan.Timeouts.Create, defaultCreateTimeout)
	if !ok {
		return
	}
	defer op.cancel()

	envID, name := plan.EnvironmentID.ValueString(), plan.Name.ValueString()
	db, err := r.data.client.CreateDatabase(ctx, envID, databaseToAPI(plan, password))
	if db != nil && err != nil {
		r.recordSettledCreate(ctx, db, plan, err, op.timeout, resp)
		return
	}
	if err != nil {
		summary := fmt.Sprintf("Could not create database %q in environment %q", name, envID)
		addAPIErrorAt(&resp.Diagnostics, r.createErrorAttribute(ctx, err, plan), summary, err, createAdvice(err, envID, name, op.timeout))
		return
	}
	tflog.Info(ctx, "created platform database", map[string]any{"id": db.ID, "environment_id": envID})
	// Create ignores the monitoring fields: every database starts with the
	// platform's defaults, changed afterwards only when the plan differs.
	if mon := monitoringInput(plan.databaseModel, databaseModelFromAPI(db)); mon != nil {
		db = r.createMonitoring(ctx, db, plan, mon, resp)
	}
	resp.Diagnostics.Append(databaseCodec().Set(ctx, &resp.State, databaseFromAPI(db, plan))...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, db)...)
}

// createMonitoring sets a new database's monitoring and returns it as the
// platform then holds it. On failure the database exists all the same: it
// is recorded (so it is not orphaned) with an error, which makes Terraform
// taint it and replace it on the next apply.
func (r *databaseResource) createMonitoring(ctx context.Context, db *client.Database, plan databaseResourceModel,
	mon *client.MonitoringInput, resp *resource.CreateResponse) *client.Database {
	created := databaseModelFromAPI(db)
	err := r.writeMonitoring(ctx, created, mon)
	if err == nil {
		var read *client.Database
		if read, err = r.readBack(ctx, db.EnvironmentID, db.ID); err == nil {
			return read
		}
	}
	summary := fmt.Sprintf("Could not create database %q in environment %q", plan.Name.ValueString(), plan.EnvironmentID.ValueString())
	addAPIError(&resp.Diagnostics, summary, err, fmt.Sprintf("The database was created (id %s) and is recorded as tainted; "+
		"the next apply replaces it.", db.ID))
	return db
}

func (r *databaseResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state databaseResourceModel
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.State.Raw, &state)...)
	if !r.ready(&resp.Diagnostics) {
		return
	}
	db, err := r.data.databases.Get(ctx, state.EnvironmentID.ValueString(), state.ID.ValueString())
	if client.IsNotFound(err) {
		r.removeGone(ctx, resp, state.ID, state.EnvironmentID)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read database %q", state.ID.ValueString()), err, "")
		return
	}
	if state.CreatedAt.IsNull() {
		// The read that completes an import: say what the state lacks.
		warnUnmanagedCredentials(db, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(databaseCodec().Set(ctx, &resp.State, databaseFromAPI(db, state))...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, db)...)
}

func (r *databaseResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state databaseResourceModel
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.State.Raw, &state)...)
	password := r.password(ctx, plan, req.Config, &resp.Diagnostics)
	ctx, op, ok := r.begin(ctx, &resp.Diagnostics, plan.Timeouts.Update, defaultUpdateTimeout)
	if !ok {
		return
	}
	defer op.cancel()

	id := state.ID.ValueString()
	in := databaseUpdateInput(plan, state, password, credentialsChanged(plan, state))
	if in == (client.DatabaseInput{}) && monitoringInput(plan.databaseModel, state.databaseModel) == nil {
		// Only Terraform-side settings changed (force_destroy, timeouts):
		// the platform holds what state says, so nothing is sent or read.
		next := state
		next.ForceDestroy, next.Timeouts = plan.ForceDestroy, plan.Timeouts
		resp.Diagnostics.Append(databaseCodec().Set(ctx, &resp.State, next)...)
		resp.Diagnostics.Append(r.identity.set(ctx, resp.Identity, next.ID, next.EnvironmentID)...)
		return
	}
	db, err := r.update(ctx, plan, state, in)
	if err != nil {
		summary := fmt.Sprintf("Could not update database %q (%s)", state.Name.ValueString(), id)
		addAPIError(&resp.Diagnostics, summary, err, r.updateAdvice(ctx, err, id, plan, state, op.timeout))
		return
	}
	resp.Diagnostics.Append(databaseCodec().Set(ctx, &resp.State, databaseFromAPI(db, plan))...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, db)...)
}

// update writes monitoring first, when it changed, then the rest with
// PATCH, whose answer also carries the updatedAt the monitoring write
// moved; a change to monitoring alone reads the database back instead.
func (r *databaseResource) update(ctx context.Context, plan, state databaseResourceModel, in client.DatabaseInput) (*client.Database, error) {
	id := state.ID.ValueString()
	mon := monitoringInput(plan.databaseModel, state.databaseModel)
	if mon == nil {
		return r.data.client.UpdateDatabase(ctx, id, in)
	}
	if err := r.writeMonitoring(ctx, state.databaseModel, mon); err != nil {
		return nil, err
	}
	if in == (client.DatabaseInput{}) {
		return r.readBack(ctx, state.EnvironmentID.ValueString(), id)
	}
	return r.data.client.UpdateDatabase(ctx, id, in)
}

func (r *databaseResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state databaseResourceModel
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.State.Raw, &state)...)
	ctx, op, ok := r.begin(ctx, &resp.Diagnostics, state.Timeouts.Delete, defaultDeleteTimeout)
	if !ok {
		return
	}
	defer op.cancel()

	id := state.ID.ValueString()
	discarded, err := r.destroyDatabase(ctx, id, state.ForceDestroy.ValueBool())
	if discarded > 0 {
		warnFailedBackupsDeleted(state, discarded, &resp.Diagnostics)
	}
	if isExistingBackupsRefusal(err) && !state.ForceDestroy.ValueBool() {
		r.addBackupsRefusal(ctx, state, err, resp)
		return
	}
	deleteFailed(&resp.Diagnostics, err, fmt.Sprintf("Could not delete database %q (%s)", state.Name.ValueString(), id), func() string {
		return joinNonEmpty(forceDestroyAdvice(err), deleteAdvice(err, op.timeout))
	})
}

// recordSettledCreate keeps a create that ended with the context (an
// interrupt or the create timeout) but did land on the platform: recording
// it is what keeps the database from being orphaned. After a timeout the
// error stays, so Terraform taints the database and replaces it on the next
// apply; after an interrupt the create simply completed.
func (r *databaseResource) recordSettledCreate(ctx context.Context, db *client.Database, plan databaseResourceModel,
	err error, timeout time.Duration, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(databaseCodec().Set(ctx, &resp.State, databaseFromAPI(db, plan))...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, db)...)
	summary := fmt.Sprintf("Could not create database %q in environment %q", plan.Name.ValueString(), plan.EnvironmentID.ValueString())
	if errors.Is(err, context.DeadlineExceeded) {
		resp.Diagnostics.AddError(summary, joinNonEmpty(err.Error(), timeoutAdvice("create", timeout),
			fmt.Sprintf("The database was created late (id %s) and is recorded as tainted; the next apply replaces it.", db.ID)))
		return
	}
	tflog.Warn(ctx, "create was interrupted after it reached the platform; recorded the database", map[string]any{"id": db.ID})
}

// ImportState accepts a database id, or "<environment_id>/<name>" for
// adopting databases registered by hand, whose ids nobody has at hand, or
// (Terraform ≥ 1.12) an identity, which arrives with no id.
func (r *databaseResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.identity.importByIdentity(ctx, req, resp) {
		return
	}
	envID, name, byName := strings.Cut(req.ID, "/")
	if !byName {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
		return
	}
	if envID == "" || name == "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected a database id or <environment_id>/<name>, got %q.", req.ID))
		return
	}
	if !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	dbs, err := r.data.client.ListAllDatabases(ctx, envID, 0)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not list databases of environment %q", envID), err, "")
		return
	}
	for _, db := range dbs {
		if db.Name == name {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), db.ID)...)
			// Lets the Read that follows find it through the list.
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("environment_id"), envID)...)
			return
		}
	}
	resp.Diagnostics.AddError("Database not found",
		fmt.Sprintf("Environment %q has no database named %q (or the token cannot see that environment).", envID, name))
}

// password returns the secret to send: the sensitive password from the plan
// or the write-only one, which only the configuration carries.
func (r *databaseResource) password(ctx context.Context, plan databaseResourceModel, cfg interface {
	GetAttribute(context.Context, path.Path, any) diag.Diagnostics
}, diags *diag.Diagnostics) types.String {
	if !plan.Password.IsNull() {
		return plan.Password
	}
	var wo types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root("password_wo"), &wo)...)
	return wo
}

// credentialsChanged: the pair is sent when either half or the write-only
// version changed, or to restore credentials cleared outside Terraform.
func credentialsChanged(plan, state databaseResourceModel) bool {
	return !plan.Username.Equal(state.Username) ||
		!plan.Password.Equal(state.Password) ||
		!plan.PasswordWOVersion.Equal(state.PasswordWOVersion) ||
		!plan.HasCredentials.Equal(state.HasCredentials)
}
