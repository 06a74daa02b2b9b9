package simulator

import (
	"encoding/json"
	"time"
)

// Backup steps at which the platform reports a failed backup.
const (
	StepConnect = "connect"
	StepDump    = "dump"
	StepUpload  = "upload"
)

// How long a backup started through the API stays in_progress unless a
// test chooses otherwise. The platform was seen in_progress at 30 ms and
// failed within 0.5 s for a database it could not reach; a completed dump
// takes longer.
const (
	defaultBackupRunTime  = time.Second
	defaultBackupFailTime = 300 * time.Millisecond
)

// BackupOutcome is how the backups a test starts on a database end: after
// After (0: the default run time) they are completed, or failed at
// FailStep with the platform's error fields.
type BackupOutcome struct {
	After    time.Duration
	FailStep string // "": the backup completes; else StepConnect, StepDump or StepUpload
	Message  string
	Stderr   string // "": not reported
	ExitCode *int   // nil: not reported
}

// CompletedAfter is an outcome that completes after d.
func CompletedAfter(d time.Duration) BackupOutcome { return BackupOutcome{After: d} }

// FailedAt is an outcome that fails at step with message.
func FailedAt(step, message string) BackupOutcome {
	return BackupOutcome{FailStep: step, Message: message}
}

// SetBackupOutcome chooses how the database's backups started from now on
// end, instead of the default the platform would show for it (see
// defaultOutcome). Backups already running keep their outcome.
func (s *Simulator) SetBackupOutcome(databaseID string, o BackupOutcome) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.outcomes[databaseID] = o
}

// runningBackup is a started backup's end, decided when it starts.
type runningBackup struct {
	finishAt time.Time
	outcome  BackupOutcome
}

// outcomeFor is the test's choice for d, or what the platform does with
// such a database.
func (st *store) outcomeFor(d *Database) BackupOutcome {
	if o, ok := st.outcomes[d.ID]; ok {
		return o
	}
	return defaultOutcome(d)
}

// defaultOutcome follows the failures the platform was seen to report: a
// type without a backup command (or unknown) fails to connect, mongodump
// is missing from the platform's image, and pg_dump's command line breaks
// when the username or database name is missing. Everything else
// completes (the simulator reaches no real database).
func defaultOutcome(d *Database) BackupOutcome {
	t, known := DatabaseType{}, false
	if d.DatabaseTypeID != nil {
		t, known = typeByID(*d.DatabaseTypeID)
	}
	switch {
	case !known || !t.HasBackupCommand:
		return FailedAt(StepConnect, "Unsupported database type or missing configuration: "+d.Type)
	case t.Name == "mongodb":
		const notFound = "/bin/sh: 1: mongodump: not found"
		return BackupOutcome{FailStep: StepDump, Message: notFound, Stderr: notFound, ExitCode: ptr(127)}
	case t.Name == "postgres" && (!d.HasCredentials || d.DatabaseName == nil || *d.DatabaseName == ""):
		const tooMany = `pg_dump: error: too many command-line arguments (first is "-f")`
		return BackupOutcome{FailStep: StepDump, Message: tooMany, Stderr: tooMany, ExitCode: ptr(1)}
	}
	return BackupOutcome{}
}

// startBackup records an in_progress backup of kind that ends as the
// database's outcome says. The caller holds the store lock.
func (s *Simulator) startBackup(d *Database, kind string) *Backup {
	b := s.addBackup(d, kind)
	o := s.store.outcomeFor(d)
	after := o.After
	if after <= 0 {
		after = defaultBackupRunTime
		if o.FailStep != "" {
			after = defaultBackupFailTime
		}
	}
	b.Status, b.Size, b.CompletedAt = BackupInProgress, 0, nil
	b.running = &runningBackup{finishAt: b.CreatedAt.Add(after), outcome: o}
	return b
}

// settle finishes b if its time has come. The caller holds the store lock.
func (st *store) settle(b *Backup) {
	r := b.running
	if r == nil || st.clock().Before(r.finishAt) {
		return
	}
	b.running = nil
	b.CompletedAt = ptr(r.finishAt.UTC().Truncate(time.Millisecond))
	if r.outcome.FailStep == "" {
		b.Status = BackupCompleted
		b.Size = backupSize(b.Filename)
		return
	}
	b.Status, b.Size = BackupFailed, 0
	b.Error = ptr(backupErrorString(r.outcome))
}

// backupErrorString is the platform's `error` of a failed backup: not an
// object but a JSON-encoded string.
func backupErrorString(o BackupOutcome) string {
	e := struct {
		Message  string `json:"message"`
		Step     string `json:"step"`
		Stderr   string `json:"stderr,omitempty"`
		ExitCode *int   `json:"exitCode,omitempty"`
	}{o.Message, o.FailStep, o.Stderr, o.ExitCode}
	raw, _ := json.Marshal(e)
	return string(raw)
}

// BackupErrorString renders a failure the way the platform stores it, for
// tests that seed failed rows.
func BackupErrorString(step, message string) string {
	return backupErrorString(FailedAt(step, message))
}
