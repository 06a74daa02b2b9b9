package provider

// Destroying a platform_database that has backups: the platform refuses
// while any backup row exists (failed ones included), so force_destroy
// deletes the backups first, and without it the failed ones alone are
// deleted, since they hold no data; what the user is told (the refusal, an
// interrupted force destroy, the failed rows deleted) is in
// database_diagnostics.go.

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// forceDestroyRounds bounds delete-backups-then-database: a backup the
// schedule starts in between makes the platform refuse once more.
const forceDestroyRounds = 3

const forceDestroyDescription = "Whether destroying the database first deletes all of its backups, pinned ones too. " +
	"The platform refuses to delete a database while it has any backup (failed ones included). With `false` " +
	"(the default) a database whose backups all failed is destroyed all the same, its failed backups first (they hold " +
	"no data; the destroy warns how many went), but one with any other backup is not: destroy fails and says so. " +
	"**Backups deleted this way are gone for good**: the platform keeps " +
	"no copy. Set it to `true` and apply before destroying; a destroy that is interrupted can simply be run again. " +
	"Terraform-only: never sent to the platform, and `false` after an import."

// isExistingBackupsRefusal: the platform's 400 for a database that still
// has backup rows.
func isExistingBackupsRefusal(err error) bool {
	apiErr, ok := client.AsAPIError(err)
	return ok && apiErr.Status == http.StatusBadRequest && strings.Contains(apiErr.Message, "existing backups")
}

// destroyDatabase deletes the database and, with force, its backups
// first; without force it deletes them only when every one of them failed
// (a schedule's first run against an unreachable host leaves such a row
// within a minute), and returns how many went. Every round lists the
// backups again, so a run after an interrupted one (or after a scheduled
// backup started meanwhile) picks up where the platform is.
func (r *databaseResource) destroyDatabase(ctx context.Context, id string, force bool) (discarded int, err error) {
	for round := 1; ; round++ {
		err := r.data.client.DeleteDatabase(ctx, id)
		if !isExistingBackupsRefusal(err) || round > forceDestroyRounds {
			return discarded, err
		}
		backups, listErr := r.data.client.ListAllBackups(ctx, id, 0)
		switch {
		case listErr != nil && force:
			return discarded, &forceDestroyError{err: listErr}
		case listErr != nil:
			return discarded, err
		case !force && !allFailed(backups):
			return discarded, err // real backups: the refusal stands
		}
		if force {
			tflog.Warn(ctx, "force_destroy: deleting the database's backups", map[string]any{"id": id, "backups": len(backups)})
		} else {
			tflog.Warn(ctx, "deleting the database's failed backups, which hold no data", map[string]any{"id": id, "backups": len(backups)})
		}
		for i, b := range backups {
			delErr := r.data.client.DeleteBackup(ctx, id, b.ID)
			switch {
			case delErr == nil || client.IsNotFound(delErr):
			case force:
				return discarded, &forceDestroyError{err: delErr, backupID: b.ID, deleted: i, total: len(backups)}
			default:
				return discarded, &failedBackupsError{refusal: err, err: delErr, backupID: b.ID}
			}
			if !force {
				discarded++
			}
		}
	}
}

// allFailed: the database has backups and none of them holds data.
func allFailed(backups []client.Backup) bool {
	for _, b := range backups {
		if b.Status != client.BackupFailed {
			return false
		}
	}
	return len(backups) > 0
}

// failedBackupsError is a destroy without force_destroy whose deletion of
// a failed backup failed: the platform's refusal stands.
type failedBackupsError struct {
	refusal, err error
	backupID     string
}

func (e *failedBackupsError) Error() string {
	return fmt.Sprintf("deleting failed backup %s: %v", e.backupID, e.err)
}

func (e *failedBackupsError) Unwrap() error { return e.err }

// forceDestroyError is a force destroy that stopped part way: listing the
// backups, or deleting one of them, failed.
type forceDestroyError struct {
	err            error
	backupID       string // "": listing failed
	deleted, total int
}

func (e *forceDestroyError) Error() string {
	if e.backupID == "" {
		return "listing the backups to delete (force_destroy): " + e.err.Error()
	}
	return fmt.Sprintf("deleting backup %s (force_destroy): %v", e.backupID, e.err)
}

func (e *forceDestroyError) Unwrap() error { return e.err }

func describeError(err error) string {
	if apiErr, ok := client.AsAPIError(err); ok {
		return describeAPIError(apiErr)
	}
	return err.Error()
}

// warnForceDestroy shows in a destroy plan how many backups force_destroy
// is about to delete.
func (r *databaseResource) warnForceDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var force types.Bool
	var id, name types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("force_destroy"), &force)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() || !force.ValueBool() || r.data == nil || r.data.client == nil {
		return
	}
	page, err := r.data.client.ListBackups(ctx, id.ValueString(), 1, 0)
	switch {
	case client.IsNotFound(err):
	case err != nil:
		resp.Diagnostics.AddAttributeWarning(path.Root("force_destroy"), "Destroying deletes the database's backups",
			fmt.Sprintf("force_destroy is set: destroying database %q deletes all of its backups, pinned ones too, and they "+
				"cannot be recovered. (Counting them failed: %v.)", name.ValueString(), err))
	case page.Total > 0:
		resp.Diagnostics.AddAttributeWarning(path.Root("force_destroy"), "Destroying deletes the database's backups",
			fmt.Sprintf("force_destroy is set: destroying database %q deletes its %d backup(s), pinned ones too, before the "+
				"database. They cannot be recovered.", name.ValueString(), page.Total))
	}
}
