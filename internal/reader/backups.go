package reader

import (
	"context"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// BackupAPI is what the backup reader needs from the client (*client.Client).
type BackupAPI interface {
	GetBackup(ctx context.Context, id string) (*client.Backup, error)
	ListAllBackups(ctx context.Context, dbID string, pageSize int) ([]client.Backup, error)
}

// Backups serves backup reads from one list request per database instead
// of one GET per backup, shared by every platform_database_backup of that
// database and the platform_database_backups data source. A backup missing
// from its database's list is confirmed with its own GET before it is
// reported gone: it may have been taken after the list, or belong to
// another database (which the caller reports), also when dbID names no
// database at all.
type Backups struct {
	api BackupAPI
	*lists[client.Backup]
}

// NewBackups returns the backup reader; batch false makes every read its
// own GET (the provider's batch_reads).
func NewBackups(api BackupAPI, batch bool) *Backups {
	r := &Backups{api: api}
	r.lists = newLists("backups of database", func(ctx context.Context, dbID string) ([]client.Backup, error) {
		return api.ListAllBackups(ctx, dbID, 0)
	}, func(b *client.Backup) string { return b.ID }, batch)
	return r
}

// Get returns backup id, looked up in the list of database dbID ("" when
// the caller does not know it yet, as after an import by backup id). A
// backup that does not exist is a client 404 (client.IsNotFound); so is
// one whose database is gone, since backups go with their database.
func (r *Backups) Get(ctx context.Context, dbID, id string) (*client.Backup, error) {
	if dbID == "" || !r.batch {
		return r.api.GetBackup(ctx, id)
	}
	b, err := r.lookup(ctx, dbID, id)
	if b != nil || (err != nil && !client.IsNotFound(err)) {
		return b, err
	}
	// Not in the list, or no list because the database is gone: the
	// backup's own GET says whether it is gone or another database's.
	return r.api.GetBackup(ctx, id)
}
