package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// The range the action's timeout accepts: a backup the platform cannot
// take fails within a second, and the platform lets a dump run up to an
// hour (the database's pg_dump_timeout_ms).
const (
	minBackupActionTimeout = time.Second
	maxBackupActionTimeout = 2 * time.Hour
)

var backupActionTimeoutRange = durationBetween{min: minBackupActionTimeout, max: maxBackupActionTimeout, summary: "Invalid timeout"}

// backupProgressEvery: while nothing changes, a long dump still reports
// that it runs, so a silent apply is not taken for a hung one.
const backupProgressEvery = time.Minute

// NewDatabaseCreateBackupAction is platform_database_create_backup.
func NewDatabaseCreateBackupAction() action.Action {
	return &databaseCreateBackupAction{actionBase{name: "database_create_backup"}}
}

type databaseCreateBackupAction struct {
	actionBase
}

type databaseCreateBackupModel struct {
	DatabaseID types.String `tfsdk:"database_id"`
	Pinned     types.Bool   `tfsdk:"pinned"`
	Timeout    types.String `tfsdk:"timeout"`
}

func (a *databaseCreateBackupAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Takes a manual backup of a `platform_database` now and waits until the platform reports it " +
			"completed, showing its progress meanwhile; for example before a schema migration. A backup that fails is " +
			"an error carrying the platform's reason and step, and its row is deleted (it holds no data, and any backup " +
			"row blocks the database's destroy). The backup is not managed by Terraform: it stays on the platform until " +
			"the retention policy or someone deletes it (pin it to keep it from rotation). Needs Terraform ≥ 1.14 and a " +
			"token with the operator or admin role.",
		Attributes: map[string]schema.Attribute{
			"database_id": schema.StringAttribute{
				Required:    true,
				Description: "Id of the database to back up.",
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"pinned": schema.BoolAttribute{
				Optional: true,
				Description: "Pin the backup once it completed: the platform's rotation never deletes a pinned backup. " +
					"Defaults to `false`.",
			},
			"timeout": schema.StringAttribute{
				Optional: true,
				Description: fmt.Sprintf("How long the action may take, waiting for the backup included, as a duration "+
					"such as `10m` or `1h30m` (between `%s` and `%s`). Defaults to `%s`. When it runs out the action fails "+
					"and names the backup, which the platform goes on taking.",
					shortDuration(minBackupActionTimeout), shortDuration(maxBackupActionTimeout), shortDuration(defaultBackupCreateTimeout)),
				Validators: []validator.String{backupActionTimeoutRange},
			},
		},
	}
}

// Invoke starts the backup, waits for its outcome and pins it if asked.
func (a *databaseCreateBackupAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg databaseCreateBackupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !a.ready(&resp.Diagnostics) {
		return
	}
	timeout := defaultBackupCreateTimeout
	if !cfg.Timeout.IsNull() {
		// Validated already, unless it was unknown then.
		var msg string
		if timeout, msg = backupActionTimeoutRange.parse(cfg.Timeout.ValueString()); msg != "" {
			resp.Diagnostics.AddAttributeError(path.Root("timeout"), backupActionTimeoutRange.summary, "timeout "+msg)
			return
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	dbID := cfg.DatabaseID.ValueString()
	if cfg.Pinned.ValueBool() && !requireFeature(ctx, a.data.client, api.FeaturePins, path.Root("pinned"), &resp.Diagnostics) {
		return // before the backup: one taken and left unpinned is not what was asked
	}
	summary := fmt.Sprintf("Could not back up database %q", dbID)
	progress(resp, fmt.Sprintf("Starting a backup of database %s", dbID))
	id, err := a.data.client.CreateBackup(ctx, dbID)
	switch {
	case err != nil && id != "":
		resp.Diagnostics.AddError(summary, unfinishedBackupDetail(id, err, timeout))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, summary, err, joinNonEmpty(backupsAdvice(err), actionTimeoutAdvice(err, timeout)))
		return
	}
	tflog.Info(ctx, "backup started; waiting for it to finish", map[string]any{"database_id": dbID, "backup_id": id})
	progress(resp, fmt.Sprintf("Backup %s of database %s started; waiting for the platform to finish it", id, dbID))
	b, err := a.data.client.WaitForBackup(ctx, id, backupReporter(resp, id, time.Now()))
	switch {
	case err != nil && isContextDone(err):
		resp.Diagnostics.AddError(summary, unfinishedBackupDetail(id, err, timeout))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, summary, err,
			fmt.Sprintf("Backup %s was started; whether it completed is unknown (see platform_database_backups).", id))
		return
	case b.Status == client.BackupFailed:
		resp.Diagnostics.AddAttributeError(path.Root("database_id"), summary,
			discardFailedBackup(ctx, a.data.client, b, "Fix the cause and run the action again."))
		return
	}
	if cfg.Pinned.ValueBool() {
		if b, err = a.data.client.PinBackup(ctx, dbID, id, true); err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not pin backup %s of database %q", id, dbID), err,
				fmt.Sprintf("The backup completed and is on the platform, unpinned; pin it in the platform's UI, or import it "+
					"into a platform_database_backup with pinned = true (terraform import <address> %s/%s).", dbID, id))
			return
		}
	}
	progress(resp, completedBackupMessage(b, dbID))
}

// backupReporter turns the polls of a running backup into progress events:
// one for each change of status or progress, and one a minute otherwise.
func backupReporter(resp *action.InvokeResponse, id string, started time.Time) func(*client.Backup) {
	var last string
	var lastSent time.Time
	return func(b *client.Backup) {
		state := b.Status
		if b.Progress > 0 {
			state = fmt.Sprintf("%s, %d%%", b.Status, b.Progress)
		}
		if state == last && time.Since(lastSent) < backupProgressEvery {
			return
		}
		last, lastSent = state, time.Now()
		progress(resp, fmt.Sprintf("Backup %s: %s (%s elapsed)", id, state, shortDuration(time.Since(started).Round(time.Second))))
	}
}

func completedBackupMessage(b *client.Backup, dbID string) string {
	var s strings.Builder
	fmt.Fprintf(&s, "Backup %s of database %s completed", b.ID, dbID)
	if b.Filename != "" {
		fmt.Fprintf(&s, ": %s", b.Filename)
	}
	if b.Size != nil {
		fmt.Fprintf(&s, ", %s", formatBytes(*b.Size))
	}
	if b.IsPinned {
		s.WriteString(", pinned")
	}
	return s.String()
}

// unfinishedBackupDetail: the platform goes on with a backup whose client
// gave up, so the error names it rather than leave it unknown.
func unfinishedBackupDetail(id string, cause error, timeout time.Duration) string {
	return joinNonEmpty(cause.Error(), actionTimeoutAdvice(cause, timeout),
		fmt.Sprintf("The platform started backup %s and goes on taking it; it is not deleted. Look it up with the "+
			"platform_database_backups data source (or in the platform's UI) before running the action again, which "+
			"takes another backup.", id))
}

// actionTimeoutAdvice is contextAdvice for an action, whose time is its
// timeout attribute rather than a timeouts block.
func actionTimeoutAdvice(err error, timeout time.Duration) string {
	if !errors.Is(err, context.DeadlineExceeded) {
		return ""
	}
	return fmt.Sprintf("The action did not finish within its timeout (%s). Raise timeout in the action's configuration "+
		"if the platform is slow, busy or rate limited.", shortDuration(timeout))
}
