package simulator

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// serverDefaults is every value the server fills in when the field is
// absent, read from the one table of platform facts (api.Platform) and
// kept in the simulator's own types; TestSimulatorFollowsThePlatform checks
// the answers against that table.
var serverDefaults = struct {
	BackupStorageType      string
	BackupFormat           string
	BackupCompression      string
	BackupCompressionLevel int
	PgDumpTimeoutMs        int
	UseSSL                 bool
	MonitoringEnabled      bool
	CollectionIntervalSec  int64
	ScheduleRetentionDays  int
	ScheduleEnabled        bool
	BackupListLimit        int
	DatabaseListLimit      int
}{
	BackupStorageType:      platformDB.Defaults.BackupStorageType,
	BackupFormat:           platformDB.Defaults.BackupFormat,
	BackupCompression:      platformDB.Defaults.BackupCompression,
	BackupCompressionLevel: int(platformDB.Defaults.BackupCompressionLevel),
	PgDumpTimeoutMs:        int(platformDB.Defaults.PgDumpTimeoutMs),
	UseSSL:                 platformDB.Defaults.UseSsl,
	MonitoringEnabled:      platformDB.Defaults.MonitoringEnabled,
	CollectionIntervalSec:  platformDB.Defaults.CollectionIntervalSec,
	ScheduleRetentionDays:  int(api.Platform.Schedule.Defaults.RetentionDays),
	ScheduleEnabled:        api.Platform.Schedule.Defaults.Enabled,
	BackupListLimit:        int(api.Platform.Backups.ListLimit),
	DatabaseListLimit:      int(platformDB.ListLimit),
}

// platformDB is api.Platform's database rules, which the create and PATCH
// validation rules, the defaults above and the built-in types read.
var platformDB = api.Platform.Database

// DatabaseType is a built-in database type, resolved by `type` name on create.
type DatabaseType struct {
	ID               string
	Name             string
	DisplayName      string
	HasBackupCommand bool
}

// builtinTypes are seeded on every simulator with stable ids
// ("cdbtypepostgres0000000000"): cuid-shaped, 25 characters.
var builtinTypes = seedTypes(platformDB.Types)

func seedTypes(types []api.DatabaseType) []DatabaseType {
	out := make([]DatabaseType, len(types))
	for i, t := range types {
		id := "cdbtype" + t.Name
		id += strings.Repeat("0", max(0, 25-len(id)))
		out[i] = DatabaseType{ID: id, Name: t.Name, DisplayName: t.DisplayName, HasBackupCommand: t.HasBackupCommand}
	}
	return out
}

// PgDumpOptions is stored exactly as sent: absent keys stay nil.
type PgDumpOptions struct {
	NoOwner    *bool `json:"noOwner,omitempty"`
	Clean      *bool `json:"clean,omitempty"`
	IfExists   *bool `json:"ifExists,omitempty"`
	SchemaOnly *bool `json:"schemaOnly,omitempty"`
	DataOnly   *bool `json:"dataOnly,omitempty"`
}

type pgDumpField struct {
	key string
	ptr **bool
}

// fields lists the options in schema order.
func (o *PgDumpOptions) fields() []pgDumpField {
	return []pgDumpField{
		{"noOwner", &o.NoOwner}, {"clean", &o.Clean}, {"ifExists", &o.IfExists},
		{"schemaOnly", &o.SchemaOnly}, {"dataOnly", &o.DataOnly},
	}
}

// DatabaseSettings are a database's stored fields that the API returns as
// they are, named as in its JSON. Create and PATCH copy the sent ones in by
// that name (applyFields), and the view embeds them, so a new field is
// declared here and in databaseRules only.
type DatabaseSettings struct {
	Host                   *string        `json:"host"`
	Port                   *int           `json:"port"`
	DatabaseName           *string        `json:"databaseName"`
	FilePath               *string        `json:"filePath"`
	UseSSL                 bool           `json:"useSsl"`
	ServerID               *string        `json:"serverId"`
	BackupStorageType      string         `json:"backupStorageType"`
	BackupLocalPath        *string        `json:"backupLocalPath"`
	BackupSpacesBucket     *string        `json:"backupSpacesBucket"`
	BackupSpacesPrefix     *string        `json:"backupSpacesPrefix"`
	BackupFormat           string         `json:"backupFormat"`
	BackupCompression      string         `json:"backupCompression"`
	BackupCompressionLevel int            `json:"backupCompressionLevel"`
	PgDumpOptions          *PgDumpOptions `json:"pgDumpOptions"`
	PgDumpTimeoutMs        int            `json:"pgDumpTimeoutMs"`
	// Not in databaseRules: only the monitoring route sets these two.
	MonitoringEnabled     bool  `json:"monitoringEnabled"`
	CollectionIntervalSec int64 `json:"collectionIntervalSec"` // any integer is stored (10^12 included)
}

// clone is a deep copy, through the same JSON the fields are named by.
func (f DatabaseSettings) clone() DatabaseSettings {
	var c DatabaseSettings
	if err := json.Unmarshal(marshal(f), &c); err != nil {
		panic(err) // our own type always round-trips
	}
	return c
}

// Database is the simulator's record of a database, credentials included,
// so tests can prove what reached the platform. Username and Password are
// set only while HasCredentials is true.
type Database struct {
	ID             string
	EnvironmentID  string
	Name           string
	Type           string
	DatabaseTypeID *string
	Username       string
	Password       string
	HasCredentials bool
	DatabaseSettings
	// Set by the platform's collector, never by a request: "unknown" until
	// it has tried, "error" (with LastMonitoringError) or "connected".
	MonitoringStatus    string
	LastCollectedAt     *time.Time
	LastMonitoringError *string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (d *Database) clone() Database {
	c := *d
	c.DatabaseTypeID = clonePtr(d.DatabaseTypeID)
	c.DatabaseSettings = d.DatabaseSettings.clone()
	c.LastCollectedAt = clonePtr(d.LastCollectedAt)
	c.LastMonitoringError = clonePtr(d.LastMonitoringError)
	return c
}

func (d *Database) setCredentials(username, password string) {
	d.Username, d.Password = username, password
	d.HasCredentials = username != "" && password != ""
}

// Backup kinds (the API's `type`) and statuses.
const (
	BackupManual    = "manual"
	BackupScheduled = "scheduled"

	BackupCompleted  = "completed"
	BackupFailed     = "failed"
	BackupInProgress = "in_progress"
)

// Backup is one backup record of a database. Only completed, scheduled,
// unpinned backups are ever pruned by the retention policy.
type Backup struct {
	ID          string
	DatabaseID  string
	Filename    string
	Size        int64
	Type        string // BackupManual or BackupScheduled
	Status      string // BackupCompleted, BackupFailed or BackupInProgress
	Error       *string
	StorageType string
	StoragePath string
	IsPinned    bool
	PinnedAt    *time.Time
	PinnedByID  *string
	// TriggeredByID is the user who started it; nil for scheduled and
	// seeded backups (and, on the platform, for service-account tokens).
	TriggeredByID *string
	// LastRotationError is set when the policy chose the backup for pruning
	// but its file could not be deleted (the row then stays).
	LastRotationError *string
	CreatedAt         time.Time
	CompletedAt       *time.Time
	seq               int
	// running is how a backup started through the API ends; nil once it
	// has (or for rows that never ran, like seeded ones).
	running *runningBackup
	// triggeredBy is the user behind TriggeredByID, as the list shows it.
	triggeredBy *userRef
}

func (b *Backup) clone() Backup {
	c := *b
	c.Error = clonePtr(b.Error)
	c.PinnedAt = clonePtr(b.PinnedAt)
	c.PinnedByID = clonePtr(b.PinnedByID)
	c.LastRotationError = clonePtr(b.LastRotationError)
	c.CompletedAt = clonePtr(b.CompletedAt)
	c.TriggeredByID = clonePtr(b.TriggeredByID)
	c.triggeredBy = clonePtr(b.triggeredBy)
	c.running = nil
	return c
}

// Schedule is a database's backup schedule (at most one per database).
type Schedule struct {
	ID             string
	DatabaseID     string
	CronExpression string
	RetentionDays  int
	Enabled        bool
	LastRunAt      *time.Time
	NextRunAt      *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

type environment struct {
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	seq       int
}

type server struct {
	ID            string
	Name          string
	EnvironmentID string
	CreatedAt     time.Time
}

// store is the simulator's whole state, guarded by one mutex: every handler
// holds it for a few map operations only.
type store struct {
	mu        sync.Mutex
	envs      map[string]*environment
	envByName map[string]string
	servers   map[string]*server
	dbs       map[string]*Database
	backups   map[string]*Backup
	schedules map[string]*Schedule // by database id
	// policies are the retention-policy overrides, by database id.
	policies map[string]*policyOverride
	// outcomes are the tests' choices of how a database's next backups end.
	outcomes map[string]BackupOutcome
	// clock is the simulator's clock; backups finish by it.
	clock func() time.Time
	seq   int
}

func newStore() *store {
	return &store{
		envs:      map[string]*environment{},
		envByName: map[string]string{},
		servers:   map[string]*server{},
		dbs:       map[string]*Database{},
		backups:   map[string]*Backup{},
		schedules: map[string]*Schedule{},
		policies:  map[string]*policyOverride{},
		outcomes:  map[string]BackupOutcome{},
		clock:     time.Now,
	}
}

func (st *store) nextSeq() int {
	st.seq++
	return st.seq
}

// envsSorted lists environments by name, as GET /api/environments does.
func (st *store) envsSorted() []*environment {
	out := make([]*environment, 0, len(st.envs))
	for _, e := range st.envs {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// envsInCreationOrder is the order /api/auth/me lists environment ids in.
func (st *store) envsInCreationOrder() []*environment {
	out := st.envsSorted()
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// databasesIn lists an environment's databases sorted by name (byte order,
// like SQLite's default collation).
func (st *store) databasesIn(envID string) []*Database {
	return byName(st.dbs, func(d *Database) bool { return d.EnvironmentID == envID }, func(d *Database) string { return d.Name })
}

// byName is the rows of a table that keep says, sorted by name.
func byName[T any](table map[string]*T, keep func(*T) bool, name func(*T) string) []*T {
	var out []*T
	for _, v := range table {
		if keep(v) {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return name(out[i]) < name(out[j]) })
	return out
}

func (st *store) nameTaken(envID, name, exceptID string) bool {
	for _, d := range st.dbs {
		if d.EnvironmentID == envID && d.Name == name && d.ID != exceptID {
			return true
		}
	}
	return false
}

// backupsOf lists a database's backups newest first, those that finished
// in the meantime settled.
func (st *store) backupsOf(dbID string) []*Backup {
	var out []*Backup
	for _, b := range st.backups {
		if b.DatabaseID == dbID {
			st.settle(b)
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].seq > out[j].seq
	})
	return out
}

func (st *store) serversIn(envID string) []*server {
	return byName(st.servers, func(s *server) bool { return s.EnvironmentID == envID }, func(s *server) string { return s.Name })
}

func typeByID(id string) (DatabaseType, bool) {
	for _, t := range builtinTypes {
		if t.ID == id {
			return t, true
		}
	}
	return DatabaseType{}, false
}

func typeByName(name string) (DatabaseType, bool) {
	for _, t := range builtinTypes {
		if t.Name == name {
			return t, true
		}
	}
	return DatabaseType{}, false
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func ptr[T any](v T) *T { return &v }

// clones is the snapshot the Go helpers hand out: copies a test may keep
// and change without touching the store (nil when there is nothing).
func clones[T any](list []*T, clone func(*T) T) []T {
	var out []T
	for _, v := range list {
		out = append(out, clone(v))
	}
	return out
}
