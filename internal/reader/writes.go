package reader

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// changes is which cached lists a kind of write may change.
type changes struct {
	// databases: the environment's database list, whose rows carry the
	// database's fields, its schedule summary and its newest backup
	// (lastBackup: id, status, type, createdAt, completedAt, error).
	databases bool
	// backups: the database's backup list, one row per backup.
	backups bool
	why     string
}

// listsChangedBy is the one place that decides which cached lists a write
// drops. Every kind of client.Write has a row (TestEveryWriteKindIsMapped),
// and a read after each write is shown to see it (TestReadsSeeEveryWrite).
// Dropping a list the write did not change costs one more list request
// later; keeping one it changed shows the run a platform from before its
// own write, so when in doubt a row drops.
var listsChangedBy = map[client.WriteKind]changes{
	client.WriteCreateDatabase: {databases: true,
		why: "a new row in its environment's list"},
	client.WriteUpdateDatabase: {databases: true,
		why: "the row's fields"},
	client.WriteDeleteDatabase: {databases: true, backups: true,
		why: "the row leaves its environment's list; its backups go with it, so their list answers 404"},
	client.WriteUpdateMonitoring: {databases: true,
		why: "monitoringEnabled, collectionIntervalSec and updatedAt of the row"},
	client.WritePutSchedule: {databases: true,
		why: "the row's schedule summary (enabled, cronExpression, nextRunAt)"},
	client.WriteDeleteSchedule: {databases: true,
		why: "the row's schedule becomes null"},
	client.WriteCreateBackup: {databases: true, backups: true,
		why: "a new backup row, which is also the database row's lastBackup (the newest, whatever its status)"},
	client.WriteBackupFinished: {databases: true, backups: true,
		why: "the backup's status, size and completedAt, in its row and in lastBackup"},
	client.WriteDeleteBackup: {databases: true, backups: true,
		why: "the backup row goes, and lastBackup may have been it"},
	client.WritePinBackup: {backups: true,
		why: "isPinned and pinnedAt of the backup row; lastBackup carries neither"},
	client.WritePutBackupPolicy: {databases: true, backups: true,
		why: "the PUT rotates at once: pruned backups leave the list (the rest may get lastRotationError), and lastBackup may have been one"},
	client.WriteRotateBackups: {databases: true, backups: true,
		why: "pruned backups leave the list (the rest may get lastRotationError), and lastBackup may have been one"},
	client.WriteDeleteBackupPolicy: {
		why: "only the policy changes, which no cached list shows; reverting prunes nothing"},
}

// wrote drops the lists w may have changed.
func (r *Readers) wrote(ctx context.Context, w client.Write) {
	ch, ok := listsChangedBy[w.Kind]
	if !ok {
		// A kind without a row (a test fails on it): drop both.
		ch = changes{databases: true, backups: true, why: "unmapped write"}
	}
	dbID := w.DatabaseID
	if dbID == "" && w.BackupID != "" {
		dbID = r.Backups.homeOf(w.BackupID)
	}
	if ch.backups {
		r.forgetBackupsOf(dbID, w.BackupID)
	}
	if ch.databases {
		r.forgetDatabase(w.EnvironmentID, dbID)
	}
	tflog.Debug(ctx, "a write drops the cached lists it changes", map[string]any{
		"write": string(w.Kind), "database_id": dbID, "databases": ch.databases, "backups": ch.backups,
	})
}

// forgetBackupsOf drops database dbID's backup list or, when the write
// named only the backup, the list that holds it.
func (r *Readers) forgetBackupsOf(dbID, backupID string) {
	switch {
	case dbID != "":
		r.Backups.forget(dbID)
	case backupID != "":
		r.Backups.forgetRow(backupID)
	default:
		r.Backups.forgetAll()
	}
}

// forgetDatabase drops the list of environment envID when the write named
// it, otherwise the list that holds database dbID.
func (r *Readers) forgetDatabase(envID, dbID string) {
	switch {
	case envID != "":
		r.Databases.forget(envID)
	case dbID != "":
		r.Databases.forgetRow(dbID)
	default:
		r.Databases.forgetAll()
	}
}
