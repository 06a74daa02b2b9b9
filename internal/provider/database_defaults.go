package provider

import "github.com/platform-iac/terraform-provider-platform/internal/api"

// databaseDefaults are the values the platform fills in when a create leaves
// a field out, read from the one table of platform facts (api.Platform).
// The schema defaults, the attribute descriptions and the update path
// (which sends them back explicitly when an attribute is removed from
// configuration) all read this; TestSchemaFollowsThePlatform proves the
// schema's defaults and validators still say what api.Platform says.
var databaseDefaults = api.Platform.Database.Defaults

// Value sets and ranges the API enforces, shared by validators and docs.
var (
	backupStorageTypes   = api.Platform.Database.Enums.BackupStorageType
	backupFormats        = api.Platform.Database.Enums.BackupFormat
	backupCompressions   = api.Platform.Database.Enums.BackupCompression
	builtinDatabaseTypes = api.Platform.Database.TypeNames()

	minCompressionLevel = api.Platform.Database.Ranges.BackupCompressionLevel.Min
	maxCompressionLevel = api.Platform.Database.Ranges.BackupCompressionLevel.Max
	minPgDumpTimeoutMs  = api.Platform.Database.Ranges.PgDumpTimeoutMs.Min
	maxPgDumpTimeoutMs  = api.Platform.Database.Ranges.PgDumpTimeoutMs.Max
	// The platform checks no port range; a port above 65535 wedges its
	// monitoring collector, so the provider enforces api's Port range.
	minPort = api.Platform.Database.Ranges.Port.Min
	maxPort = api.Platform.Database.Ranges.Port.Max
)

// The platform accepts any integer as the monitoring interval (even zero
// or negative ones), so these bounds are the provider's own and not in
// api.Platform: its collector wakes about once a minute, so a shorter
// interval would only promise what it cannot do, and beyond a day a
// database is in effect unmonitored, which monitoring_enabled = false says
// honestly. TestSchemaFollowsThePlatform checks that the platform's default
// interval lies within them.
const (
	minMonitoringIntervalSec = 60
	maxMonitoringIntervalSec = 86400
)
