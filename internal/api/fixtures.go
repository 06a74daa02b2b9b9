package api

import (
	"embed"
	"path"
)

// fixtures are response bodies written from CONTRACT.md (ids and times as
// the platform renders them), so client and simulator tests decode the
// same recorded shape instead of each typing its own literal.
//
//go:embed testdata/*.json
var fixtures embed.FS

// Fixture names, one per file under testdata/.
const (
	FixtureDatabase                 = "database"                   // GET /api/databases/{id}
	FixtureDatabaseList             = "database_list"              // GET /api/environments/{envId}/databases: lastBackup and schedule set on one item, null on the other
	FixtureSchedule                 = "schedule"                   // GET or PUT /api/databases/{id}/schedule
	FixtureErrorValidation          = "error_validation"           // 400 VALIDATION_ERROR with details
	FixtureErrorRateLimited         = "error_rate_limited"         // 429 RATE_LIMITED with hint
	FixtureBackupPolicy             = "backup_policy"              // GET /api/databases/{id}/backup-policy, no override
	FixtureBackupPolicyConfirmation = "backup_policy_confirmation" // 409 of a policy PUT that needs confirm (no envelope)
	FixtureBackupList               = "backup_list"                // GET /api/databases/{id}/backups: a failed manual and a pinned scheduled backup
	FixtureHealth                   = "health"                     // GET /health
)

// Fixture is the body recorded as name (one of the Fixture constants). It
// panics on an unknown name: a test asking for a body that does not exist
// is broken, and should say so at once.
func Fixture(name string) []byte {
	b, err := fixtures.ReadFile(path.Join("testdata", name+".json"))
	if err != nil {
		panic("api: no fixture " + name)
	}
	return b
}

// FixtureNames lists every recorded fixture.
func FixtureNames() []string {
	entries, err := fixtures.ReadDir("testdata")
	if err != nil {
		panic(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name()[:len(e.Name())-len(".json")])
	}
	return names
}
