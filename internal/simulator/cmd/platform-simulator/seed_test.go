package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const estateJSON = `{
  "tokens": [{"value": "ci-staging", "role": "operator", "environments": ["staging"], "serviceAccount": "ci"}],
  "environments": [
    {"name": "staging", "servers": ["db-host"],
     "databases": [
       {"name": "orders-pg", "type": "postgres", "host": "pg.internal", "port": 5432, "databaseName": "orders",
        "server": "db-host",
        "schedule": {"cronExpression": "0 2 * * *", "enabled": false},
        "backupPolicy": {"preset": "long_term"},
        "backups": [
          {"createdAt": "2025-01-02T03:04:05Z", "kind": "manual", "pinned": true, "size": 4096},
          {"age": "2h", "status": "failed", "errorStep": "connect", "error": "no route to host"},
          {"age": "26h"}
        ]},
       {"name": "sessions", "type": "mysql", "backupStorageType": "spaces", "backupSpacesBucket": "b"}
     ]},
    {"name": "empty"}
  ]
}`

func writeSeed(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSeedBuildsTheEstate(t *testing.T) {
	f, err := readSeed(writeSeed(t, estateJSON))
	if err != nil {
		t.Fatal(err)
	}
	sim := simulator.New(simulator.Options{})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	got, err := applySeed(sim, f, now)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.envs, ",") != "staging,empty" || len(got.databases) != 2 || len(got.servers) != 1 || len(got.tokens) != 1 {
		t.Fatalf("seeded %+v", got)
	}
	staging := sim.EnvironmentID("staging")
	if staging == "" || sim.EnvironmentID("empty") == "" {
		t.Fatal("environments not created")
	}
	dbs := sim.Databases(staging)
	if len(dbs) != 2 {
		t.Fatalf("%d databases", len(dbs))
	}
	orders, sessions := dbs[0], dbs[1]
	if orders.Name != "orders-pg" || orders.ID != got.databases[0][2] || orders.ServerID == nil || *orders.ServerID != got.servers[0][2] {
		t.Errorf("orders %+v", orders)
	}
	if orders.DatabaseTypeID == nil || *orders.DatabaseTypeID != sim.DatabaseTypeID("postgres") {
		t.Errorf("the type id is not resolved from the type, as the platform does: %v", orders.DatabaseTypeID)
	}
	// Filled in as the platform fills a create without them.
	if sessions.BackupSpacesPrefix == nil || *sessions.BackupSpacesPrefix != "staging/sessions/" || sessions.BackupFormat == "" {
		t.Errorf("sessions defaults %+v", sessions)
	}
	if sc, ok := sim.Schedule(orders.ID); !ok || sc.CronExpression != "0 2 * * *" || sc.Enabled {
		t.Errorf("schedule %+v %v", sc, ok)
	}
	p, source, _ := sim.BackupPolicy(orders.ID)
	if source != "override" || p.Preset != "long_term" || p.Yearly != 3 {
		t.Errorf("policy %+v from %s", p, source)
	}
	backups := sim.Backups(orders.ID) // newest first
	if len(backups) != 3 {
		t.Fatalf("%d backups", len(backups))
	}
	failed, day, pinned := backups[0], backups[1], backups[2]
	if failed.Status != simulator.BackupFailed || failed.Error == nil || !strings.Contains(*failed.Error, "no route to host") ||
		!strings.Contains(*failed.Error, `"step":"connect"`) || !failed.CreatedAt.Equal(now.Add(-2*time.Hour)) {
		t.Errorf("failed backup %+v", failed)
	}
	if day.Status != simulator.BackupCompleted || day.Type != simulator.BackupScheduled || !day.CreatedAt.Equal(now.Add(-26*time.Hour)) {
		t.Errorf("scheduled backup %+v", day)
	}
	if !pinned.IsPinned || pinned.Type != simulator.BackupManual || pinned.Size != 4096 || pinned.CreatedAt.Year() != 2025 {
		t.Errorf("pinned backup %+v", pinned)
	}
	if tok := got.tokens[0]; tok.Role != simulator.RoleOperator || strings.Join(tok.Environments, ",") != "staging" || tok.ServiceAccount != "ci" {
		t.Errorf("token %+v", tok)
	}
}

func TestSeedRefusesWhatThePlatformWouldNotHold(t *testing.T) {
	db := func(fields string) string {
		return `{"environments": [{"name": "e", "servers": ["s"], "databases": [{"name": "d", "type": "postgres"` + fields + `}]}]}`
	}
	for name, c := range map[string]struct{ seed, want string }{
		"unknown top key":      {`{"environment": []}`, `unknown field "environment"`},
		"unknown database key": {db(`, "hostname": "x"`), `unknown database key "hostname"`},
		"trailing data":        {`{} {}`, "trailing data"},
		"invalid body":         {db(`, "port": "5432"`), `"path":["port"]`},
		"bad enum":             {db(`, "backupFormat": "zip"`), `backupFormat`},
		"missing type":         {`{"environments": [{"name": "e", "databases": [{"name": "d"}]}]}`, `"path":["type"]`},
		"duplicate name":       {`{"environments": [{"name": "e", "databases": [{"name": "d", "type": "mysql"}, {"name": "d", "type": "mysql"}]}]}`, "409"},
		"unknown server":       {db(`, "server": "other"`), `server "other"`},
		"bad schedule":         {db(`, "schedule": {"enabled": true}`), `schedule: 400`},
		"bad policy":           {db(`, "backupPolicy": {"preset": "forever"}`), `backupPolicy: 400`},
		"custom policy tiers":  {db(`, "backupPolicy": {"preset": "custom", "keepLast": 3}`), `"path":["daily"]`},
		"running backup":       {db(`, "backups": [{"status": "in_progress"}]`), `status "in_progress"`},
		"both dates":           {db(`, "backups": [{"age": "1h", "createdAt": "2025-01-01T00:00:00Z"}]`), "both set"},
		"bad age":              {db(`, "backups": [{"age": "yesterday"}]`), `age "yesterday"`},
		"bad kind":             {db(`, "backups": [{"kind": "weekly"}]`), `kind "weekly"`},
		"error on completed":   {db(`, "backups": [{"error": "x"}]`), "failed backup"},
		"bad step":             {db(`, "backups": [{"status": "failed", "errorStep": "restore"}]`), `errorStep "restore"`},
		"unknown backup key":   {db(`, "backups": [{"pin": true}]`), `unknown field "pin"`},
		"token role":           {`{"tokens": [{"value": "t", "role": "root"}]}`, `token "t"`},
		"nameless environment": {`{"environments": [{}]}`, "without a name"},
	} {
		t.Run(name, func(t *testing.T) {
			f, err := readSeed(writeSeed(t, c.seed))
			if err == nil {
				_, err = applySeed(simulator.New(simulator.Options{}), f, time.Now())
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %s", err, c.want)
			}
		})
	}
}

// The estate example in the usage text must itself load: it is what a
// reader copies first.
func TestUsageSeedExampleLoads(t *testing.T) {
	start := strings.Index(usage, "  {\"tokens\"")
	end := strings.Index(usage, "A database is the body")
	if start < 0 || end < start {
		t.Fatal("no seed example in the usage text")
	}
	example := usage[start:end]
	if !json.Valid([]byte(example)) {
		t.Fatalf("the usage's seed example is not JSON:\n%s", example)
	}
	f, err := readSeed(writeSeed(t, example))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := applySeed(simulator.New(simulator.Options{}), f, time.Now()); err != nil {
		t.Fatal(err)
	}
}
