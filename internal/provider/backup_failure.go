package provider

// What platform_database_backup and the platform_database_create_backup
// action do with a backup that failed: say why, in the platform's words,
// and delete its row, which holds no data but would block the database's
// destroy.

import (
	"context"
	"fmt"
	"strings"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// discardFailedBackup deletes a failed backup's row and says why the
// backup failed, then that the row is gone and next (what to do now), or,
// when the delete fails too, that the row stays and what it blocks.
func discardFailedBackup(ctx context.Context, c *client.Client, b *client.Backup, next string) string {
	reason := describeBackupFailure(b)
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	err := c.DeleteBackup(cctx, b.DatabaseID, b.ID)
	if err != nil && !client.IsNotFound(err) {
		return reason + fmt.Sprintf("\n\nDeleting the failed backup %s also failed (%v); it stays on the platform and keeps the "+
			"database from being destroyed until it is deleted (in the platform's UI, or with force_destroy on the database).", b.ID, err)
	}
	return reason + "\n\nThe failed backup was deleted from the platform. " + next
}

func describeBackupFailure(b *client.Backup) string {
	f := b.Failure()
	if f == nil {
		return fmt.Sprintf("The platform reports backup %s failed without saying why.", b.ID)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "The platform reports backup %s failed", b.ID)
	if f.Step != "" {
		fmt.Fprintf(&s, " at step %q", f.Step)
	}
	fmt.Fprintf(&s, ": %s", strings.TrimRight(f.Message, "\n"))
	if f.ExitCode != nil {
		fmt.Fprintf(&s, "\nExit code: %d", *f.ExitCode)
	}
	if f.Stderr != "" && f.Stderr != f.Message {
		fmt.Fprintf(&s, "\nStandard error: %s", f.Stderr)
	}
	return s.String()
}
