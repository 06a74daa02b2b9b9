package api

// Platform is the one table of the platform's defaults, accepted values and
// ranges. The provider's schema defaults and validators, the simulator's
// behaviour and CONTRACT.md's "Defaults and ranges" table are all checked
// against it; contract_test.go fails when a value here and a row there
// differ, or when either has an entry the other lacks.
var Platform = Contract{
	Database: DatabaseRules{
		Defaults: DatabaseDefaults{
			BackupStorageType:      "local",
			BackupFormat:           "plain",
			BackupCompression:      "none",
			BackupCompressionLevel: 6,
			PgDumpTimeoutMs:        300000,
			UseSSL:                 false,
			// Create ignores both monitoring fields, so every database
			// starts with these whatever the request said.
			MonitoringEnabled:     true,
			CollectionIntervalSec: 300,
		},
		Enums: DatabaseEnums{
			BackupStorageType: []string{"local", "spaces"},
			BackupFormat:      []string{"plain", "custom", "tar"},
			BackupCompression: []string{"none", "gzip"},
		},
		Ranges: DatabaseRanges{
			BackupCompressionLevel: Range{Min: 1, Max: 9},
			PgDumpTimeoutMs:        Range{Min: 30000, Max: 3600000},
			// The platform checks no port range, but a port above 65535
			// wedges its monitoring collector for every later database,
			// so the provider must refuse one.
			Port: Range{Min: 1, Max: 65535},
		},
		// Types are the built-in database types, resolved by `type` name
		// on create. Any other type string is accepted with a null type.
		Types: []DatabaseType{
			{Name: "postgres", DisplayName: "PostgreSQL", HasBackupCommand: true, DefaultPort: 5432},
			{Name: "mysql", DisplayName: "MySQL", HasBackupCommand: true, DefaultPort: 3306},
			{Name: "mongodb", DisplayName: "MongoDB", HasBackupCommand: true, DefaultPort: 27017},
			{Name: "redis", DisplayName: "Redis", HasBackupCommand: false, DefaultPort: 6379},
			{Name: "sqlite", DisplayName: "SQLite", HasBackupCommand: true, DefaultPort: 0},
		},
		ListLimit: 25,
	},
	Schedule: ScheduleRules{
		Defaults: ScheduleDefaults{RetentionDays: 7, Enabled: true},
		Ranges:   ScheduleRanges{RetentionDays: Range{Min: 1, Max: 365}},
	},
	Backups: BackupRules{ListLimit: 50},
	Monitoring: MonitoringRules{
		Statuses:    []string{"unknown", "error", "connected"},
		FreshStatus: "unknown",
	},
	Policy: PolicyRules{
		PresetNames: []string{"lean", "balanced", "long_term", "custom"},
		Presets: []PolicyPreset{
			{Name: "lean", KeepLast: 12, Daily: 7, Weekly: 4, Monthly: 0, Yearly: 0, MinFloor: 2},
			{Name: "balanced", KeepLast: 24, Daily: 7, Weekly: 4, Monthly: 6, Yearly: 0, MinFloor: 2},
			{Name: "long_term", KeepLast: 24, Daily: 7, Weekly: 4, Monthly: 12, Yearly: 3, MinFloor: 2},
		},
		Ranges: PolicyRanges{
			KeepLast: Range{Min: 0, Max: 100},
			Daily:    Range{Min: 0, Max: 366},
			Weekly:   Range{Min: 0, Max: 520},
			Monthly:  Range{Min: 0, Max: 240},
			Yearly:   Range{Min: 0, Max: 50},
			MinFloor: Range{Min: 1, Max: 10},
			// The largest integer a JavaScript number holds exactly.
			MaxTotalBytes: Range{Min: 0, Max: 1<<53 - 1},
		},
		GlobalDefault: "balanced",
		// A policy PUT that would prune more backups than this answers
		// 409 with a preview unless it says confirm: true.
		ConfirmThreshold: 5,
	},
}

// Contract groups the platform's rules by the object they govern.
type Contract struct {
	Database   DatabaseRules
	Schedule   ScheduleRules
	Backups    BackupRules
	Monitoring MonitoringRules
	Policy     PolicyRules
}

// Range is an inclusive integer range.
type Range struct {
	Min, Max int64
}

// Contains reports whether n lies within the range, bounds included.
func (r Range) Contains(n int64) bool { return n >= r.Min && n <= r.Max }

// DatabaseRules are the rules of a database's create and PATCH bodies.
type DatabaseRules struct {
	Defaults DatabaseDefaults
	Enums    DatabaseEnums
	Ranges   DatabaseRanges
	Types    []DatabaseType
	// ListLimit is the page size of a database list without ?limit.
	ListLimit int64
}

// DatabaseDefaults are the values the server fills in when a create
// leaves the field out.
type DatabaseDefaults struct {
	BackupStorageType      string
	BackupFormat           string
	BackupCompression      string
	BackupCompressionLevel int64
	PgDumpTimeoutMs        int64
	UseSSL                 bool `contract:"useSsl"`
	MonitoringEnabled      bool
	CollectionIntervalSec  int64
}

// DatabaseEnums are the only values the server accepts for these fields.
type DatabaseEnums struct {
	BackupStorageType []string
	BackupFormat      []string
	BackupCompression []string
}

// DatabaseRanges bound the numeric fields (Port by the provider only).
type DatabaseRanges struct {
	BackupCompressionLevel Range
	PgDumpTimeoutMs        Range
	Port                   Range
}

// DatabaseType is a built-in database type as a database embeds it.
type DatabaseType struct {
	Name             string
	DisplayName      string
	HasBackupCommand bool
	// DefaultPort is only the UI's hint (0: no port, a file database);
	// the API never fills a port in.
	DefaultPort int64
}

// ScheduleRules are the rules of PUT /api/databases/{id}/schedule.
type ScheduleRules struct {
	Defaults ScheduleDefaults
	Ranges   ScheduleRanges
}

// ScheduleDefaults apply on every PUT that leaves the field out, since a
// PUT replaces the whole schedule.
type ScheduleDefaults struct {
	RetentionDays int64
	Enabled       bool
}

// ScheduleRanges bound the schedule's numeric fields.
type ScheduleRanges struct {
	RetentionDays Range
}

// BackupRules are the rules of the backup list.
type BackupRules struct {
	// ListLimit is the page size of a backup list without ?limit.
	ListLimit int64
}

// MonitoringRules describe the monitoring collector's state.
type MonitoringRules struct {
	// Statuses are the values of monitoringStatus.
	Statuses []string
	// FreshStatus is a database's status before its first collection.
	FreshStatus string
}

// PolicyRules are the rules of a database's backup retention policy.
type PolicyRules struct {
	// PresetNames are the accepted values of `preset`; "custom" is the
	// only one whose tiers are taken from the request.
	PresetNames []string
	Presets     []PolicyPreset
	Ranges      PolicyRanges
	// GlobalDefault is the preset a database without an override inherits.
	GlobalDefault    string
	ConfirmThreshold int64
}

// PolicyPreset is a named preset's tiers, which replace whatever tiers a
// request sends with that preset.
type PolicyPreset struct {
	Name     string
	KeepLast int64
	Daily    int64
	Weekly   int64
	Monthly  int64
	Yearly   int64
	MinFloor int64
}

// PolicyRanges bound the policy's tiers and byte cap.
type PolicyRanges struct {
	KeepLast      Range
	Daily         Range
	Weekly        Range
	Monthly       Range
	Yearly        Range
	MinFloor      Range
	MaxTotalBytes Range
}

// Type is the built-in type called name; ok is false for any other name
// (which the platform still accepts, with a null databaseType).
func (d DatabaseRules) Type(name string) (t DatabaseType, ok bool) {
	for _, t := range d.Types {
		if t.Name == name {
			return t, true
		}
	}
	return DatabaseType{}, false
}

// DefaultPort is the port the platform suggests for the built-in type
// called name; ok is false for a type without one (a file database) and
// for any other name.
func (d DatabaseRules) DefaultPort(name string) (port int64, ok bool) {
	t, ok := d.Type(name)
	return t.DefaultPort, ok && t.DefaultPort != 0
}

// TypeNames are the built-in type names, in the contract's order.
func (d DatabaseRules) TypeNames() []string {
	names := make([]string, len(d.Types))
	for i, t := range d.Types {
		names[i] = t.Name
	}
	return names
}

// Preset is the named preset's tiers; ok is false for "custom" and for
// unknown names.
func (p PolicyRules) Preset(name string) (preset PolicyPreset, ok bool) {
	for _, pr := range p.Presets {
		if pr.Name == name {
			return pr, true
		}
	}
	return PolicyPreset{}, false
}
