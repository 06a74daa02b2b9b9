package acctest

import (
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// PlatformState is what acceptance tests read and change on the platform
// behind Terraform's back: CheckDestroy, stored values, out-of-band edits.
// The simulator backend reads the simulator's memory; the API backend asks
// a real platform through its API with the admin token. Records use the
// simulator's types, so a check reads the same either way.
type PlatformState interface {
	// Databases is the environment's databases, sorted by name.
	Databases(envID string) []simulator.Database
	// Database is one database; false when the platform has none with id.
	Database(id string) (simulator.Database, bool)
	// CredentialsReadable reports whether Databases and Database carry the
	// stored Username and Password. Only the simulator can: a real
	// platform never returns credentials, only hasCredentials.
	CredentialsReadable() bool
	// PatchDatabase changes a database out of band with PATCH's semantics.
	PatchDatabase(id string, fields map[string]any) error
	// DeleteDatabase deletes a database out of band with DELETE's rules
	// (refused while it has backups).
	DeleteDatabase(id string) error
	// Schedule is the database's backup schedule; false when it has none.
	Schedule(databaseID string) (simulator.Schedule, bool)
	// AddBackup starts a manual backup of the database (POST
	// /api/databases/{id}/backups) and returns its id once it has
	// finished: the simulator completes it at once, a real platform runs
	// it (and usually fails it: a test database is not reachable).
	AddBackup(databaseID string) (string, error)
	// Backups is the database's backups, newest first.
	Backups(databaseID string) []simulator.Backup
	// DeleteBackup deletes one backup of the database.
	DeleteBackup(databaseID, backupID string) error
	// AddServer registers a server in the environment and returns its id.
	AddServer(envID, name string) string
	// DatabaseTypeID is the id of the built-in database type, "" if unknown.
	DatabaseTypeID(name string) string
	// SetMonitoring changes a database's monitoring settings out of band,
	// as the monitoring PATCH does.
	SetMonitoring(id string, enabled bool, intervalSec int64) error
	// BackupPolicy is the database's effective retention policy and its
	// source ("override" or "inherited"); false when the database is gone.
	BackupPolicy(databaseID string) (p simulator.RetentionPolicy, source string, ok bool)
	// HasBackupPolicyOverride reports whether the database has its own
	// policy row.
	HasBackupPolicyOverride(databaseID string) bool
	// PutBackupPolicy writes the database's own policy out of band with
	// the PUT's body (API field names).
	PutBackupPolicy(databaseID string, body map[string]any) error
	// DeleteBackupPolicy removes the database's own policy, out of band.
	DeleteBackupPolicy(databaseID string)
}

// simState is the simulator backend: the simulator's own methods.
type simState struct{ *simulator.Simulator }

func (simState) CredentialsReadable() bool { return true }

var _ PlatformState = simState{}
