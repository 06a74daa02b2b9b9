package simulator

import (
	"strings"
	"time"
)

// SeedBackup describes a backup row a test inserts directly, the way the
// contract's retention runs inserted rows with chosen dates into the
// platform's database. Zero values take the defaults noted.
type SeedBackup struct {
	CreatedAt   time.Time  // zero: now
	CompletedAt *time.Time // nil: CreatedAt plus a second, for a completed backup
	Size        int64      // 0: derived from the filename, like a fresh backup
	Kind        string     // BackupManual or BackupScheduled; "": scheduled
	Status      string     // "": BackupCompleted
	Pinned      bool
	Filename    string  // "": derived from the database name and CreatedAt
	Error       *string // the platform's JSON-encoded error string, for failed rows
}

// SeedBackup inserts a backup row for a database and returns its id. It
// runs no rotation, as a row inserted behind the platform's back would not.
// A release without pins refuses a pinned row.
func (s *Simulator) SeedBackup(databaseID string, in SeedBackup) (id string, err error) {
	if in.Pinned && !s.release.retention {
		return "", s.release.errNoRetention("pinned backups")
	}
	err = s.onDatabase(databaseID, func(d *Database) error {
		id = s.seedBackup(d, in).ID
		return nil
	})
	return id, err
}

func (s *Simulator) seedBackup(d *Database, in SeedBackup) *Backup {
	created := in.CreatedAt.UTC().Truncate(time.Millisecond)
	if in.CreatedAt.IsZero() {
		created = s.now()
	}
	b := &Backup{ID: s.ids.next(), DatabaseID: d.ID, Type: orString(in.Kind, BackupScheduled),
		Status: orString(in.Status, BackupCompleted), Error: clonePtr(in.Error), StorageType: d.BackupStorageType,
		CreatedAt: created, CompletedAt: clonePtr(in.CompletedAt), seq: s.store.nextSeq()}
	if b.CompletedAt == nil && b.Status == BackupCompleted {
		b.CompletedAt = ptr(created.Add(time.Second))
	}
	if b.Status == BackupFailed && b.CompletedAt == nil {
		b.CompletedAt = ptr(created.Add(500 * time.Millisecond))
	}
	if in.Pinned {
		b.IsPinned, b.PinnedAt = true, ptr(s.now())
	}
	s.nameBackup(d, b, in.Filename)
	if in.Size > 0 {
		b.Size = in.Size
	}
	if b.Status == BackupFailed {
		b.Size = 0 // the platform records failed backups with size 0
	}
	s.store.backups[b.ID] = b
	return b
}

// nameBackup sets the filename (derived unless given), storage path and
// default size of a new backup.
func (s *Simulator) nameBackup(d *Database, b *Backup, filename string) {
	b.Filename = filename
	if b.Filename == "" {
		b.Filename = d.Name + "-" + strings.NewReplacer(":", "-", ".", "-").Replace(jsTime(b.CreatedAt)) + backupExtension(d)
	}
	b.Size = backupSize(b.Filename)
	if d.BackupStorageType == "local" {
		dir := "/var/backups"
		if d.BackupLocalPath != nil && *d.BackupLocalPath != "" {
			dir = *d.BackupLocalPath
		}
		b.StoragePath = dir + "/" + b.Filename
	} else {
		b.StoragePath = deref(d.BackupSpacesPrefix) + b.Filename
	}
}

// backupSize is the simulator's stand-in for a dump's size.
func backupSize(filename string) int64 { return int64(1024 + 16*len(filename)) }

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
