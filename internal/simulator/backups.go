package simulator

import (
	"encoding/json"
	"errors"
)

type backupView struct {
	ID          string  `json:"id"`
	Filename    string  `json:"filename"`
	Size        int64   `json:"size"`
	Type        string  `json:"type"`
	Status      string  `json:"status"`
	Error       *string `json:"error"`
	StorageType string  `json:"storageType"`
	StoragePath string  `json:"storagePath"`
	Progress    int     `json:"progress"`
	Duration    *int64  `json:"duration"`
	CreatedAt   string  `json:"createdAt"`
	CompletedAt *string `json:"completedAt"`
	// The columns 3.0.0 added; nil (no keys at all) on a release without
	// them.
	*retentionColumns
	DatabaseID    string  `json:"databaseId"`
	TriggeredByID *string `json:"triggeredById"`
}

type retentionColumns struct {
	IsPinned          bool    `json:"isPinned"`
	PinnedByID        *string `json:"pinnedById"`
	PinnedAt          *string `json:"pinnedAt"`
	LastRotationError *string `json:"lastRotationError"`
}

// backupListItem is a list entry: the row plus the user who started it
// (null for scheduled backups and service accounts).
type backupListItem struct {
	backupView
	TriggeredBy *userRef `json:"triggeredBy"`
}

// viewBackup renders b as the release's row.
func (s *Simulator) viewBackup(b *Backup) backupView {
	v := backupView{ID: b.ID, Filename: b.Filename, Size: b.Size, Type: b.Type, Status: b.Status,
		Progress: backupProgress(b), Duration: backupDuration(b), Error: b.Error,
		StorageType: b.StorageType, StoragePath: b.StoragePath, DatabaseID: b.DatabaseID,
		TriggeredByID: b.TriggeredByID, CreatedAt: jsTime(b.CreatedAt), CompletedAt: jsTimePtr(b.CompletedAt)}
	if s.release.retention {
		v.retentionColumns = &retentionColumns{IsPinned: b.IsPinned, PinnedByID: b.PinnedByID,
			PinnedAt: jsTimePtr(b.PinnedAt), LastRotationError: b.LastRotationError}
	}
	return v
}

// backupProgress: a failed backup stays where its failed step began: 10
// before connecting, 30 once connected (the dump), 70 once dumped (the
// upload).
func backupProgress(b *Backup) int {
	switch b.Status {
	case BackupCompleted:
		return 100
	case BackupFailed:
		var e struct{ Step string }
		_ = json.Unmarshal([]byte(deref(b.Error)), &e)
		switch e.Step {
		case StepConnect:
			return 10
		case StepUpload:
			return 70
		}
		return 30
	default:
		return 10
	}
}

// backupDuration is in whole seconds (the platform's column is an integer
// of seconds), null until the backup finished.
func backupDuration(b *Backup) *int64 {
	if b.CompletedAt == nil {
		return nil
	}
	return ptr(int64(b.CompletedAt.Sub(b.CreatedAt).Seconds()))
}

// addBackup records a completed backup of kind (BackupManual or
// BackupScheduled) at once (the Go helper AddBackup); the API's backups run
// asynchronously, see startBackup. A manual backup leaves the schedule's
// lastRunAt alone, as on the platform: only the scheduler moves it (see
// RunScheduler). The caller holds the store lock.
func (s *Simulator) addBackup(d *Database, kind string) *Backup {
	now := s.now()
	b := &Backup{ID: s.ids.next(), DatabaseID: d.ID, Type: kind, Status: BackupCompleted,
		StorageType: d.BackupStorageType, CreatedAt: now, CompletedAt: ptr(now), seq: s.store.nextSeq()}
	s.nameBackup(d, b, "")
	s.store.backups[b.ID] = b
	return b
}

func backupExtension(d *Database) string {
	ext := ".sql"
	switch d.BackupFormat {
	case "custom":
		ext = ".dump"
	case "tar":
		ext = ".tar"
	}
	if d.BackupCompression == "gzip" && d.BackupFormat == "plain" {
		ext += ".gz"
	}
	return ext
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (s *Simulator) createBackupHandler(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		b := s.startBackup(d, BackupManual)
		if q.who != nil {
			b.TriggeredByID, b.triggeredBy = q.who.token.actorID(), q.who.token.actor()
		}
		return ok(map[string]string{"backupId": b.ID, "message": "Backup started"})
	})
}

func (s *Simulator) listBackups(q *request) reply {
	limit, offset, e := pagination(q.http.URL.Query(), serverDefaults.BackupListLimit)
	if e != nil {
		return q.fail(e)
	}
	return s.withDatabase(q, func(d *Database) reply {
		all := s.store.backupsOf(d.ID)
		out := []backupListItem{}
		for _, b := range page(all, limit, offset) {
			out = append(out, backupListItem{backupView: s.viewBackup(b), TriggeredBy: clonePtr(b.triggeredBy)})
		}
		return ok(map[string]any{"backups": out, "total": len(all), "allowDownload": false})
	})
}

// deleteDatabaseBackupHandler is a simulator convenience route; the real
// server deletes backups at DELETE /api/backups/{id}, also served.
func (s *Simulator) deleteDatabaseBackupHandler(q *request) reply {
	return q.done(s.removeBackup(q.params["id"], q.params["backupId"]))
}

func (s *Simulator) deleteBackupHandler(q *request) reply {
	return s.withBackup(q, func(b *Backup) reply {
		delete(s.store.backups, b.ID)
		return q.done(nil)
	})
}

// removeBackup deletes a backup of a database.
func (s *Simulator) removeBackup(databaseID, backupID string) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if _, e := s.store.backupOf(databaseID, backupID); e != nil {
		return e
	}
	delete(s.store.backups, backupID)
	return nil
}

// AddBackup records a completed manual backup of a database (as POST
// /api/databases/{id}/backups does) and returns its id.
func (s *Simulator) AddBackup(databaseID string) (id string, err error) {
	err = s.onDatabase(databaseID, func(d *Database) error {
		id = s.addBackup(d, BackupManual).ID
		return nil
	})
	return id, err
}

// DeleteBackup removes one backup record of a database.
func (s *Simulator) DeleteBackup(databaseID, backupID string) error {
	return s.removeBackup(databaseID, backupID)
}

// Backups is a snapshot of a database's backups, newest first.
func (s *Simulator) Backups(databaseID string) []Backup {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return clones(s.store.backupsOf(databaseID), (*Backup).clone)
}

// IsNotFound reports whether err is a simulator 404.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == 404
}
