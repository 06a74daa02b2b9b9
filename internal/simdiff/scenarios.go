package simdiff

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// scenario is one scripted exchange, run in the same order on both sides.
// Each works in its own throwaway environment (see side.env), deleted at
// its end.
type scenario struct {
	name string
	run  func(s *side)
}

// scenarios are the scripted exchanges a run makes unless told otherwise,
// in the order they run.
var scenarios = []scenario{
	{"auth", scenarioAuth},
	{"environments", scenarioEnvironments},
	{"databases", scenarioDatabases},
	{"patch", scenarioPatch},
	{"monitoring", scenarioMonitoring},
	{"schedule", scenarioSchedule},
	{"policy", scenarioPolicy},
	{"backups", scenarioBackups},
	{"failedBackups", scenarioFailedBackups},
	{"testConnection", scenarioTestConnection},
	{"databaseTypes", scenarioDatabaseTypes},
	{"scoped", scenarioScoped},
	{"rateLimit", scenarioRateLimit},
}

// onRequest are the scenarios a run makes only when -only names them.
var onRequest = []scenario{
	{stockLimitScenario, scenarioStockLimit},
}

func allScenarios() []scenario { return append(slices.Clone(scenarios), onRequest...) }

func scenarioNames() []string {
	var out []string
	for _, sc := range allScenarios() {
		out = append(out, sc.name)
	}
	return out
}

// env creates the scenario's throwaway environment and returns its id.
func (s *side) env() string {
	a := s.call("create environment", Admin, "POST", "/api/environments", map[string]any{"name": s.envName()})
	id := a.str("environment", "id")
	if id == "" {
		s.note("create environment", "no environment id: %d %v", a.status, a.body)
	}
	return id
}

func (s *side) envName() string { return EnvironmentPrefix + s.run + "-" + s.scenario }

// dropEnv deletes the environment; the answer is compared too.
func (s *side) dropEnv(id string) {
	s.call("delete environment", Admin, "DELETE", "/api/environments/"+id, nil)
}

func dbPath(id string, rest ...string) string {
	p := "/api/databases/" + id
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

func envDBs(env string) string { return "/api/environments/" + env + "/databases" }

// create makes a database and returns its id ("" if it failed).
func (s *side) create(step, env string, body map[string]any) string {
	return s.call(step, Operator, "POST", envDBs(env), body).str("database", "id")
}

func pg(name, host string, port int) map[string]any {
	return map[string]any{"name": name, "type": "postgres", "host": host, "port": port,
		"databaseName": "app", "username": "app", "password": "secret"}
}

func scenarioAuth(s *side) {
	for _, role := range []string{Admin, Operator, Viewer, Scoped} {
		s.call("me "+role, role, "GET", "/api/auth/me", nil)
	}
	s.call("no token", "", "GET", "/api/auth/me", nil)
	s.call("basic scheme", "", "GET", "/api/auth/me", nil, header("Authorization", "Basic YTpi"))
	s.call("unknown token", "", "GET", "/api/auth/me", nil, header("Authorization", "Bearer bport_pat_no_such_token"))
	s.call("lower-case bearer", "", "GET", "/api/auth/me", nil, header("Authorization", "bearer "+s.t.Tokens[Admin]))
	s.call("unknown route without token", "", "GET", "/api/no-such-route", nil)
	s.call("unknown method", Admin, "PUT", "/api/auth/me", nil)
	s.call("health", "", "GET", "/health", nil, recordPresence("x-ratelimit-limit"))
	s.call("scoped lists environments", Scoped, "GET", "/api/environments", nil)
}

func scenarioEnvironments(s *side) {
	env := s.env()
	s.call("duplicate", Admin, "POST", "/api/environments", map[string]any{"name": s.envName()})
	s.call("name too long", Admin, "POST", "/api/environments", map[string]any{"name": strings.Repeat("x", 51)})
	s.call("no name", Admin, "POST", "/api/environments", map[string]any{})
	s.call("operator creates", Operator, "POST", "/api/environments", map[string]any{"name": s.envName() + "-op"})
	s.call("get", Viewer, "GET", "/api/environments/"+env, nil)
	s.call("get unknown", Viewer, "GET", "/api/environments/cnosuchenvironment0000000", nil)
	s.call("operator deletes", Operator, "DELETE", "/api/environments/"+env, nil)
	// Deleting takes databases, backups, schedules and policies with it.
	db := s.create("database", env, map[string]any{"name": "lite", "type": "sqlite", "filePath": "/nonexistent.db"})
	s.call("schedule", Operator, "PUT", dbPath(db, "schedule"), map[string]any{"cronExpression": "0 3 * * *", "enabled": false})
	s.call("policy", Operator, "PUT", dbPath(db, "backup-policy"), lean())
	s.dropEnv(env)
	s.call("database gone", Admin, "GET", dbPath(db), nil)
	s.call("delete again", Admin, "DELETE", "/api/environments/"+env, nil)
}

func scenarioDatabases(s *side) {
	env := s.env()
	full := pg("orders", "127.0.0.1", 1)
	for k, v := range map[string]any{"useSsl": true, "backupStorageType": "local", "backupLocalPath": "/tmp/simdiff-none",
		"backupFormat": "custom", "backupCompression": "gzip", "backupCompressionLevel": 9, "pgDumpTimeoutMs": 600000,
		"pgDumpOptions": map[string]any{"noOwner": true, "clean": true}, "monitoringEnabled": false, "bogus": 1} {
		full[k] = v
	}
	id := s.create("create full", env, full)
	s.create("create minimal", env, map[string]any{"name": "a-min", "type": "mysql"})
	s.create("create unknown type", env, map[string]any{"name": "z-odd", "type": "cockroach", "port": 5432.5})
	s.create("create spaces", env, map[string]any{"name": "spaces", "type": "postgres", "backupStorageType": "spaces"})
	s.call("duplicate name", Operator, "POST", envDBs(env), map[string]any{"name": "orders", "type": "postgres"})
	s.call("invalid body", Operator, "POST", envDBs(env), map[string]any{"type": 5, "backupFormat": "zip",
		"backupCompressionLevel": 10, "pgDumpTimeoutMs": 1, "pgDumpOptions": map[string]any{"clean": "yes"}, "port": "5432"})
	s.call("null pgDumpOptions", Operator, "POST", envDBs(env), map[string]any{"name": "n", "type": "postgres", "pgDumpOptions": nil})
	s.call("no body", Operator, "POST", envDBs(env), nil)
	s.call("malformed JSON", Operator, "POST", envDBs(env), nil, raw(`{"name":`))
	s.call("unknown environment", Operator, "POST", envDBs("cnosuchenvironment0000000"), map[string]any{"name": "x", "type": "postgres"})
	s.call("unknown type id", Operator, "POST", envDBs(env), map[string]any{"name": "x", "type": "postgres", "databaseTypeId": "nope"})
	s.call("viewer creates", Viewer, "POST", envDBs(env), map[string]any{"name": "v", "type": "postgres"})
	s.call("get", Viewer, "GET", dbPath(id), nil)
	s.call("get unknown", Viewer, "GET", dbPath("cnosuchdatabase0000000000"), nil)
	s.call("list", Viewer, "GET", envDBs(env), nil)
	for _, q := range []string{"limit=1", "limit=1&offset=1", "limit=-1", "limit=0", "limit=2.5", "limit=x", "offset=-1"} {
		s.call("list "+q, Viewer, "GET", envDBs(env)+"?"+q, nil)
	}
	s.call("list unknown environment", Viewer, "GET", envDBs("cnosuchenvironment0000000"), nil)
	s.call("idempotent create", Operator, "POST", envDBs(env), map[string]any{"name": "idem", "type": "redis"},
		header("Idempotency-Key", "simdiff-"+s.run+"-idem"), recordHeaders("idempotent-replayed"))
	s.call("idempotent replay", Operator, "POST", envDBs(env), map[string]any{"name": "idem", "type": "redis"},
		header("Idempotency-Key", "simdiff-"+s.run+"-idem"), recordHeaders("idempotent-replayed"))
	s.call("idempotency key reused", Operator, "POST", envDBs(env), map[string]any{"name": "idem2", "type": "redis"},
		header("Idempotency-Key", "simdiff-"+s.run+"-idem"))
	s.call("delete", Operator, "DELETE", dbPath(id), nil)
	s.call("delete again", Operator, "DELETE", dbPath(id), nil)
	s.dropEnv(env)
}

func scenarioPatch(s *side) {
	env := s.env()
	id := s.create("create", env, pg("orders", "127.0.0.1", 1))
	s.create("create other", env, map[string]any{"name": "taken", "type": "postgres"})
	p := func(step string, body any, opts ...option) {
		s.call(step, Operator, "PATCH", dbPath(id), body, opts...)
	}
	p("one field", map[string]any{"host": "127.0.0.2"})
	p("read-only field", map[string]any{"id": "x", "host": "h"})
	p("read-only fields", map[string]any{"monitoringStatus": "connected", "lastMonitoringError": "x"})
	p("null", map[string]any{"host": nil})
	p("empty string", map[string]any{"databaseName": ""})
	p("pgDumpOptions replaced", map[string]any{"pgDumpOptions": map[string]any{"noOwner": false}})
	p("username alone", map[string]any{"username": "other"})
	p("credentials cleared", map[string]any{"username": "", "password": ""})
	p("monitoring fields dropped", map[string]any{"monitoringEnabled": false, "collectionIntervalSec": 60})
	p("type changed", map[string]any{"type": "mysql", "databaseTypeId": "nope"})
	p("rename onto taken", map[string]any{"name": "taken"})
	p("bad enum", map[string]any{"backupFormat": "zip"})
	p("malformed", nil, raw(`{`))
	s.call("unknown id", Operator, "PATCH", dbPath("cnosuchdatabase0000000000"), map[string]any{"host": "h"})
	s.call("viewer", Viewer, "PATCH", dbPath(id), map[string]any{"host": "h"})
	s.call("get after", Viewer, "GET", dbPath(id), nil)
	s.dropEnv(env)
}

func monitoringPath(env, id string) string { return envDBs(env) + "/" + id + "/monitoring" }

func scenarioMonitoring(s *side) {
	env := s.env()
	id := s.create("create", env, map[string]any{"name": "mongo", "type": "mongodb", "host": "127.0.0.1", "port": 1})
	m := func(step string, body any, opts ...option) {
		s.call(step, Operator, "PATCH", monitoringPath(env, id), body, opts...)
	}
	m("set", map[string]any{"monitoringEnabled": false, "collectionIntervalSec": 60})
	m("negative and fraction", map[string]any{"collectionIntervalSec": -1.7})
	m("huge", map[string]any{"collectionIntervalSec": 1e12})
	m("string", map[string]any{"collectionIntervalSec": "60"})
	m("empty object", map[string]any{})
	m("array", []any{})
	m("no body", nil)
	s.call("viewer", Viewer, "PATCH", monitoringPath(env, id), map[string]any{"monitoringEnabled": true})
	s.call("unknown id", Operator, "PATCH", monitoringPath(env, "cnosuchdatabase0000000000"), map[string]any{})
	s.call("GET is no route", Operator, "GET", monitoringPath(env, id), nil)
	// A type with monitoring queries, so that the summary's parsed
	// monitoringConfig is compared too (mongodb has none); off, so that the
	// platform's collector leaves it alone.
	pg := s.create("create postgres", env, map[string]any{"name": "pg", "type": "postgres", "host": "127.0.0.1", "port": 1, "databaseName": "app"})
	s.call("postgres monitoring off", Operator, "PATCH", monitoringPath(env, pg), map[string]any{"monitoringEnabled": false})
	s.call("summary", Viewer, "GET", envDBs(env)+"/monitoring-summary", nil)
	s.call("scoped, foreign envId", Scoped, "PATCH", monitoringPath(env, id), map[string]any{"collectionIntervalSec": 90})
	s.call("scoped, own envId, foreign database", Scoped, "PATCH", monitoringPath(s.t.ScopedEnvID, id), map[string]any{"collectionIntervalSec": 91})
	s.call("get after", Viewer, "GET", dbPath(id), nil)
	s.dropEnv(env)
}

func scenarioSchedule(s *side) {
	env := s.env()
	id := s.create("create", env, map[string]any{"name": "lite", "type": "sqlite", "filePath": "/nonexistent.db"})
	path := dbPath(id, "schedule")
	s.call("get none", Viewer, "GET", path, nil)
	s.call("put disabled", Operator, "PUT", path, map[string]any{"cronExpression": "not a cron", "retentionDays": 30, "enabled": false})
	s.call("put defaults", Operator, "PUT", path, map[string]any{"cronExpression": "0 * * * *", "enabled": false})
	s.call("get", Viewer, "GET", path, nil)
	s.call("invalid", Operator, "PUT", path, map[string]any{"cronExpression": "", "retentionDays": 0, "enabled": "yes"})
	s.call("no body", Operator, "PUT", path, nil)
	s.call("unknown database", Operator, "PUT", dbPath("cnosuchdatabase0000000000", "schedule"), map[string]any{"cronExpression": "x"})
	s.call("viewer", Viewer, "PUT", path, map[string]any{"cronExpression": "x", "enabled": false})
	s.call("list shows it", Viewer, "GET", envDBs(env), nil)
	s.call("delete", Operator, "DELETE", path, nil)
	s.call("delete again", Operator, "DELETE", path, nil)
	s.call("get deleted", Viewer, "GET", path, nil)
	s.dropEnv(env)
}

func lean() map[string]any {
	return map[string]any{"preset": "lean", "keepLast": 12, "daily": 7, "weekly": 4, "monthly": 0, "yearly": 0, "minFloor": 2}
}

func scenarioPolicy(s *side) {
	env := s.env()
	id := s.create("create", env, map[string]any{"name": "lite", "type": "sqlite", "filePath": "/nonexistent.db"})
	path := dbPath(id, "backup-policy")
	s.call("get inherited", Viewer, "GET", path, nil)
	s.call("put empty", Operator, "PUT", path, map[string]any{})
	s.call("put preset only", Operator, "PUT", path, map[string]any{"preset": "lean"})
	s.call("put out of range", Operator, "PUT", path, map[string]any{"preset": "weird", "keepLast": 101, "daily": 1.5,
		"weekly": "4", "monthly": -1, "yearly": 51, "minFloor": 0, "maxTotalBytes": -1})
	s.call("put no body", Operator, "PUT", path, nil)
	withTiers := lean()
	withTiers["keepLast"], withTiers["maxTotalBytes"] = 5, 1000000
	s.call("put lean beats tiers", Operator, "PUT", path, withTiers)
	s.call("get override", Viewer, "GET", path, nil)
	s.call("preview without body", Viewer, "POST", path+"/preview", nil)
	s.call("preview empty", Viewer, "POST", path+"/preview", map[string]any{})
	s.call("preview keepLast", Viewer, "POST", path+"/preview", map[string]any{"keepLast": 1, "confirm": true})
	s.call("preview invalid", Viewer, "POST", path+"/preview", map[string]any{"keepLast": -1})
	inherit := lean()
	inherit["inheritGlobal"] = true
	s.call("put inheritGlobal", Operator, "PUT", path, inherit)
	s.call("get after inheritGlobal", Viewer, "GET", path, nil)
	s.call("viewer put", Viewer, "PUT", path, lean())
	s.call("delete", Operator, "DELETE", path, nil)
	s.call("delete again", Operator, "DELETE", path, nil)
	s.call("unknown database", Viewer, "GET", dbPath("cnosuchdatabase0000000000", "backup-policy"), nil)
	s.dropEnv(env)
}

// waitBackup polls a database's backups until backupID has ended (not
// recorded: the two sides take different numbers of polls).
func (s *side) waitBackup(dbID, backupID string) {
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		a := s.call("poll", Admin, "GET", dbPath(dbID, "backups"), nil, quiet())
		list, _ := a.at("backups").([]any)
		done := false
		for _, b := range list {
			m, _ := b.(map[string]any)
			if m["id"] == backupID {
				done = m["status"] != "in_progress"
			}
		}
		if done {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.note("wait", "backup %s did not end within 90s", backupID)
}

// awaitCollector waits on the platform until its monitoring collector has
// visited the backup's database (not recorded), so that the rows that
// accept the collector's work occur in every run rather than by chance:
// the collector runs once a minute, first a minute after the server
// starts, and a sqlite database without a server is always marked
// "error". Whether a run outlasted that first minute would otherwise
// depend on how busy the machine is. The simulator has no collector, so
// its side does not wait.
func (s *side) awaitCollector(backupID string) {
	if s.t.NoCollector {
		return
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		a := s.call("collector", Viewer, "GET", "/api/backups/"+backupID, nil, quiet())
		if st := a.str("backup", "database", "monitoringStatus"); st != "" && st != "unknown" {
			return
		}
		time.Sleep(5 * time.Second)
	}
	s.note("collector", "the platform's collector did not visit the database within 90s")
}

// sqliteFile makes a real SQLite file and backup directory for the
// platform to back up (it runs sqlite3 on its own host: this one).
func sqliteFile(dir string) (file, backups string) {
	file, backups = filepath.Join(dir, "simdiff.db"), filepath.Join(dir, "backups")
	_ = os.MkdirAll(backups, 0o750)
	// An empty file is a valid, empty SQLite database.
	_ = os.WriteFile(file, nil, 0o600)
	return file, backups
}

func scenarioBackups(s *side) {
	env := s.env()
	file, dir := sqliteFile(s.workDir)
	id := s.create("create sqlite", env, map[string]any{"name": "lite", "type": "sqlite", "filePath": file, "backupLocalPath": dir})
	other := s.create("create other", env, map[string]any{"name": "other", "type": "sqlite", "filePath": file, "backupLocalPath": dir})
	s.call("list empty", Viewer, "GET", dbPath(id, "backups"), nil)
	b1 := s.call("start", Operator, "POST", dbPath(id, "backups"), nil).str("backupId")
	s.waitBackup(id, b1)
	b2 := s.call("start again", Admin, "POST", dbPath(id, "backups"), nil).str("backupId")
	s.waitBackup(id, b2)
	ob := s.call("start other", Operator, "POST", dbPath(other, "backups"), nil).str("backupId")
	s.waitBackup(other, ob)
	s.call("list", Viewer, "GET", dbPath(id, "backups"), nil)
	s.call("list limit=1", Viewer, "GET", dbPath(id, "backups")+"?limit=1&offset=1", nil)
	s.awaitCollector(b2)
	s.call("get one", Viewer, "GET", "/api/backups/"+b2, nil)
	s.call("get unknown", Viewer, "GET", "/api/backups/cnosuchbackup000000000000", nil)
	pin := dbPath(id, "backups", b1, "pin")
	s.call("pin", Operator, "PUT", pin, map[string]any{"pinned": true})
	s.call("pin again", Operator, "PUT", pin, map[string]any{"pinned": true})
	s.call("pin invalid", Operator, "PUT", pin, map[string]any{"pinned": "yes"})
	s.call("pin no body", Operator, "PUT", pin, nil)
	s.call("pin other's backup", Operator, "PUT", dbPath(id, "backups", ob, "pin"), map[string]any{"pinned": true})
	s.call("pin unknown database", Operator, "PUT", dbPath("cnosuchdatabase0000000000", "backups", b1, "pin"), map[string]any{"pinned": true})
	s.call("POST pin is no route", Operator, "POST", pin, nil)
	s.call("viewer pins", Viewer, "PUT", pin, map[string]any{"pinned": false})
	s.call("list pinned", Viewer, "GET", dbPath(id, "backups"), nil)
	s.call("unpin", Operator, "PUT", pin, map[string]any{"pinned": false})
	s.call("preview", Viewer, "POST", dbPath(id, "backup-policy", "preview"), map[string]any{"keepLast": 0, "daily": 0,
		"weekly": 0, "monthly": 0, "yearly": 0, "minFloor": 1})
	s.call("rotate", Operator, "POST", dbPath(id, "rotate")+"?dryRun=true", map[string]any{"dryRun": true})
	s.call("viewer rotates", Viewer, "POST", dbPath(id, "rotate"), nil)
	s.call("delete database with backups", Operator, "DELETE", dbPath(id), nil)
	s.call("delete backup", Operator, "DELETE", "/api/backups/"+b2, nil)
	s.call("delete backup again", Operator, "DELETE", "/api/backups/"+b2, nil)
	s.call("list after delete", Viewer, "GET", dbPath(id, "backups"), nil)
	s.dropEnv(env)
}

func scenarioFailedBackups(s *side) {
	env := s.env()
	refused := s.create("create postgres on a closed port", env, pg("pg-down", "127.0.0.1", 1))
	noUser := s.create("create postgres without user", env, map[string]any{"name": "pg-nouser", "type": "postgres", "host": "127.0.0.1", "port": 1})
	nx := s.create("create postgres on an unknown host", env, pg("pg-nx", "db.invalid", 5432))
	noDB := pg("pg-nodb", "127.0.0.1", 1)
	delete(noDB, "databaseName")
	noDBID := s.create("create postgres without database name", env, noDB)
	noPort := pg("pg-noport", "127.0.0.1", 1)
	delete(noPort, "port")
	noPortID := s.create("create postgres without port", env, noPort)
	my := s.create("create mysql", env, map[string]any{"name": "my", "type": "mysql", "host": "127.0.0.1", "port": 1,
		"databaseName": "app", "username": "app", "password": "secret"})
	mongo := s.create("create mongodb", env, map[string]any{"name": "mongo", "type": "mongodb", "host": "127.0.0.1", "port": 1, "databaseName": "app"})
	redis := s.create("create redis", env, map[string]any{"name": "redis", "type": "redis", "host": "127.0.0.1", "port": 1})
	for _, db := range []struct{ name, id string }{{"postgres refused", refused}, {"postgres without user", noUser},
		{"postgres unknown host", nx}, {"postgres without database name", noDBID}, {"postgres without port", noPortID}, {"mysql", my}, {"mongodb", mongo}, {"redis", redis}} {
		b := s.call("start "+db.name, Operator, "POST", dbPath(db.id, "backups"), nil).str("backupId")
		s.waitBackup(db.id, b)
		s.call("list "+db.name, Viewer, "GET", dbPath(db.id, "backups"), nil)
	}
	b := s.call("list again", Viewer, "GET", dbPath(refused, "backups"), nil).str("backups", 0, "id")
	s.call("pin failed", Operator, "PUT", dbPath(refused, "backups", b, "pin"), map[string]any{"pinned": true})
	s.call("preview", Viewer, "POST", dbPath(refused, "backup-policy", "preview"), nil)
	s.call("rotate", Operator, "POST", dbPath(refused, "rotate"), nil)
	s.call("environment list", Viewer, "GET", envDBs(env), nil)
	s.call("delete database with a failed backup", Operator, "DELETE", dbPath(refused), nil)
	s.dropEnv(env)
}

func testConnPath(env, id string) string { return envDBs(env) + "/" + id + "/test-connection" }

func scenarioTestConnection(s *side) {
	env := s.env()
	for _, tc := range []struct {
		name string
		body map[string]any
	}{
		{"postgres refused", pg("pg", "127.0.0.1", 1)},
		{"postgres unknown host", pg("pg-nx", "db.invalid", 5432)},
		{"mysql refused", map[string]any{"name": "my", "type": "mysql", "host": "127.0.0.1", "port": 1}},
		{"redis refused", map[string]any{"name": "redis", "type": "redis", "host": "127.0.0.1", "port": 1}},
		{"mongodb", map[string]any{"name": "mongo", "type": "mongodb", "host": "127.0.0.1", "port": 1}},
		{"unknown type", map[string]any{"name": "odd", "type": "cockroach"}},
		{"sqlite without server", map[string]any{"name": "lite", "type": "sqlite", "filePath": "/nonexistent.db"}},
	} {
		id := s.create("create "+tc.name, env, tc.body)
		s.call(tc.name, Operator, "POST", testConnPath(env, id), nil)
		if tc.name == "mongodb" {
			s.call("viewer", Viewer, "POST", testConnPath(env, id), nil)
			s.call("GET is no route", Operator, "GET", testConnPath(env, id), nil)
			s.call("scoped, foreign envId", Scoped, "POST", testConnPath(env, id), nil)
			s.call("scoped, own envId, foreign database", Scoped, "POST", testConnPath(s.t.ScopedEnvID, id), nil)
		}
	}
	s.call("unknown database", Operator, "POST", testConnPath(env, "cnosuchdatabase0000000000"), nil)
	s.dropEnv(env)
}

func scenarioDatabaseTypes(s *side) {
	list := s.call("list", Viewer, "GET", "/api/settings/database-types", nil)
	types, _ := list.at("databaseTypes").([]any)
	for i := range types {
		id := list.str("databaseTypes", i, "id")
		s.call("get "+list.str("databaseTypes", i, "name"), Viewer, "GET", "/api/settings/database-types/"+id, nil)
	}
	s.call("get by name", Viewer, "GET", "/api/settings/database-types/postgres", nil)
	s.call("scoped", Scoped, "GET", "/api/settings/database-types", nil)
}

func scenarioScoped(s *side) {
	env := s.env()
	mine := envDBs(s.t.ScopedEnvID)
	id := s.call("create in own environment", Scoped, "POST", mine, map[string]any{"name": s.envName(), "type": "redis"}).str("database", "id")
	s.call("list own environment", Scoped, "GET", mine+"?limit=0", nil)
	s.call("list other environment", Scoped, "GET", envDBs(env), nil)
	s.call("create in other environment", Scoped, "POST", envDBs(env), map[string]any{"name": "x", "type": "redis"})
	s.call("global route", Scoped, "GET", dbPath(id), nil)
	s.call("backups route", Scoped, "GET", dbPath(id, "backups"), nil)
	s.call("other environment", Scoped, "GET", "/api/environments/"+env, nil)
	s.call("own environment", Scoped, "GET", "/api/environments/"+s.t.ScopedEnvID, nil)
	s.call("delete database", Admin, "DELETE", dbPath(id), nil)
	s.dropEnv(env)
}

func scenarioRateLimit(s *side) {
	s.call("headers", Viewer, "GET", dbPath("cnosuchdatabase0000000000"), nil, recordHeaders("x-ratelimit-limit"),
		recordPresence("x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"))
	s.call("headers without token", "", "GET", dbPath("cnosuchdatabase0000000000"), nil, recordHeaders("x-ratelimit-limit"),
		recordPresence("x-ratelimit-remaining", "x-ratelimit-reset"))
	s.call("health has none", "", "GET", "/health", nil,
		recordPresence("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"))
}
