package provider

// databaseDefaults are the values the platform fills in when a create leaves
// a field out. They are written here only: the schema defaults, the
// attribute descriptions and the update path (which sends them back
// explicitly when an attribute is removed from configuration) all read this
// table, and the minimal-config acceptance test proves it matches the
// simulator, whose own table mirrors the API contract.
var databaseDefaults = struct {
	BackupStorageType      string
	BackupFormat           string
	BackupCompression      string
	BackupCompressionLevel int64
	PgDumpTimeoutMs        int64
	UseSsl                 bool
	MonitoringEnabled      bool
	MonitoringIntervalSec  int64
}{
	BackupStorageType:      "local",
	BackupFormat:           "plain",
	BackupCompression:      "none",
	BackupCompressionLevel: 6,
	PgDumpTimeoutMs:        300000,
	UseSsl:                 false,
	MonitoringEnabled:      true,
	MonitoringIntervalSec:  300,
}

// Value sets and ranges the API enforces, shared by validators and docs.
var (
	backupStorageTypes   = []string{"local", "spaces"}
	backupFormats        = []string{"plain", "custom", "tar"}
	backupCompressions   = []string{"none", "gzip"}
	builtinDatabaseTypes = []string{"postgres", "mysql", "sqlite", "mongodb", "redis"}
)

const (
	minCompressionLevel = 1
	maxCompressionLevel = 9
	minPgDumpTimeoutMs  = 30000
	maxPgDumpTimeoutMs  = 3600000
	minPort             = 1
	maxPort             = 65535
)

// The platform accepts any integer as the monitoring interval (even zero
// or negative ones), so these bounds are ours: its collector wakes about
// once a minute, so a shorter interval would only promise what it cannot
// do, and beyond a day a database is in effect unmonitored, which
// monitoring_enabled = false says honestly.
const (
	minMonitoringIntervalSec = 60
	maxMonitoringIntervalSec = 86400
)
