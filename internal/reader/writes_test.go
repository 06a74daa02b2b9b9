package reader

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

func TestEveryWriteKindIsMapped(t *testing.T) {
	for _, k := range client.WriteKinds() {
		if ch, ok := listsChangedBy[k]; !ok || ch.why == "" {
			t.Errorf("write %s has no row (with its reason) in listsChangedBy", k)
		}
	}
	if len(listsChangedBy) != len(client.WriteKinds()) {
		t.Errorf("listsChangedBy has %d rows for %d write kinds", len(listsChangedBy), len(client.WriteKinds()))
	}
}

const (
	routeDatabaseList = "GET /api/environments/{envId}/databases"
	routeBackupList   = "GET /api/databases/{id}/backups"
)

// world is a simulator with one environment holding database db, a client
// on it and the readers a provider process would have.
type world struct {
	t          *testing.T
	sim        *simulator.Simulator
	c          *client.Client
	r          *Readers
	env, db    string
	ctx        context.Context
	listsAfter map[string]int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	sim := simulator.New(simulator.Options{
		Tokens:       []simulator.Token{{Value: "bport_pat_readers", Role: simulator.RoleOperator}},
		Environments: []string{"prod"},
	})
	url, stop := sim.Start()
	t.Cleanup(stop)
	c, err := client.New(client.Config{Endpoint: url, Token: "bport_pat_readers"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	me, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env := sim.EnvironmentID("prod")
	db, err := sim.CreateDatabase(env, map[string]any{"name": "orders", "type": "sqlite", "filePath": "/data/orders.db"})
	if err != nil {
		t.Fatal(err)
	}
	sim.SetBackupOutcome(db, simulator.CompletedAfter(50*time.Millisecond))
	return &world{t: t, sim: sim, c: c, r: New(c, me, true), env: env, db: db, ctx: ctx}
}

// seed inserts a completed backup of kind created ago.
func (w *world) seed(kind string, ago time.Duration) string {
	w.t.Helper()
	id, err := w.sim.SeedBackup(w.db, simulator.SeedBackup{Kind: kind, CreatedAt: time.Now().Add(-ago)})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// prime reads both lists through the readers, so they hold snapshots.
func (w *world) prime() {
	w.t.Helper()
	if _, err := w.r.Databases.List(w.ctx, w.env); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.r.Backups.List(w.ctx, w.db); err != nil && !client.IsNotFound(err) {
		w.t.Fatal(err)
	}
	w.listsAfter = w.sim.Requests()
}

// row is the database as the readers now show it (nil: not listed).
func (w *world) row() *client.Database {
	w.t.Helper()
	dbs, err := w.r.Databases.List(w.ctx, w.env)
	if err != nil {
		w.t.Fatal(err)
	}
	for i := range dbs {
		if dbs[i].ID == w.db {
			return &dbs[i]
		}
	}
	return nil
}

// backups is the database's backups as the readers now show them.
func (w *world) backups() []client.Backup {
	w.t.Helper()
	bs, err := w.r.Backups.List(w.ctx, w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	return bs
}

func (w *world) backup(id string) *client.Backup {
	w.t.Helper()
	for _, b := range w.backups() {
		if b.ID == id {
			return &b
		}
	}
	return nil
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func lastBackupID(db *client.Database) string {
	if db == nil || db.LastBackup == nil {
		return ""
	}
	return db.LastBackup.ID
}

// zeroTiers keeps no scheduled backup beyond the floor, which the manual
// backups already fill: every completed scheduled backup is pruned.
var zeroTiers = client.BackupPolicyInput{Preset: "custom", MinFloor: 1, Confirm: true}

// keeps says which cached lists a write leaves as they were.
type keeps struct{ databases, backups bool }

var (
	keepNone      = keeps{}
	keepDatabases = keeps{databases: true}
	keepBackups   = keeps{backups: true}
	keepBoth      = keeps{databases: true, backups: true}
)

// TestReadsSeeEveryWrite makes each kind of write through the client after
// the readers have cached both lists, then reads both through the readers:
// the reads must show the write, and a list the write does not change must
// still answer from the cache (a write drops only what it changes).
func TestReadsSeeEveryWrite(t *testing.T) {
	cases := map[client.WriteKind]struct {
		keeps keeps
		run   func(w *world)
	}{
		client.WriteCreateDatabase: {keeps: keepBackups, run: func(w *world) {
			w.prime()
			db, err := w.c.CreateDatabase(w.ctx, w.env, client.DatabaseInput{Name: ptr("billing"), Type: ptr("sqlite")})
			w.must(err)
			dbs, err := w.r.Databases.List(w.ctx, w.env)
			w.must(err)
			if !slices.ContainsFunc(dbs, func(d client.Database) bool { return d.ID == db.ID }) {
				w.t.Errorf("the environment's list lacks the new database %s", db.ID)
			}
			w.backups()
		}},
		client.WriteUpdateDatabase: {keeps: keepBackups, run: func(w *world) {
			w.prime()
			_, err := w.c.UpdateDatabase(w.ctx, w.db, client.DatabaseInput{Name: ptr("orders-v2")})
			w.must(err)
			if got := w.row().Name; got != "orders-v2" {
				w.t.Errorf("name %q after the rename", got)
			}
			w.backups()
		}},
		client.WriteDeleteDatabase: {keeps: keepNone, run: func(w *world) {
			w.prime()
			w.must(w.c.DeleteDatabase(w.ctx, w.db))
			if w.row() != nil {
				w.t.Error("the deleted database is still listed")
			}
			if _, err := w.r.Backups.List(w.ctx, w.db); !client.IsNotFound(err) {
				w.t.Errorf("its backups list: %v, want a 404", err)
			}
		}},
		client.WriteUpdateMonitoring: {keeps: keepBackups, run: func(w *world) {
			w.prime()
			_, err := w.c.UpdateMonitoring(w.ctx, w.env, w.db, client.MonitoringInput{MonitoringEnabled: ptr(false)})
			w.must(err)
			if w.row().MonitoringEnabled {
				w.t.Error("monitoring still enabled")
			}
			w.backups()
		}},
		client.WritePutSchedule: {keeps: keepBackups, run: func(w *world) {
			w.prime()
			_, err := w.c.PutSchedule(w.ctx, w.db, client.ScheduleInput{CronExpression: "5 4 * * *"})
			w.must(err)
			if s := w.row().Schedule; s == nil || s.CronExpression != "5 4 * * *" {
				w.t.Errorf("schedule %+v, want the new cron", s)
			}
			w.backups()
		}},
		client.WriteDeleteSchedule: {keeps: keepBackups, run: func(w *world) {
			_, err := w.c.PutSchedule(w.ctx, w.db, client.ScheduleInput{CronExpression: "5 4 * * *"})
			w.must(err)
			w.prime()
			w.must(w.c.DeleteSchedule(w.ctx, w.db))
			if s := w.row().Schedule; s != nil {
				w.t.Errorf("schedule %+v after its delete", s)
			}
			w.backups()
		}},
		client.WriteCreateBackup: {keeps: keepNone, run: func(w *world) {
			w.prime()
			id, err := w.c.CreateBackup(w.ctx, w.db)
			w.must(err)
			if w.backup(id) == nil {
				w.t.Errorf("backup %s not in its database's list", id)
			}
			if got := lastBackupID(w.row()); got != id {
				w.t.Errorf("lastBackup %q, want %s", got, id)
			}
		}},
		client.WriteBackupFinished: {keeps: keepNone, run: func(w *world) {
			id, err := w.c.CreateBackup(w.ctx, w.db)
			w.must(err)
			w.prime() // while it runs
			_, err = w.c.WaitForBackup(w.ctx, id, nil)
			w.must(err)
			if b := w.backup(id); b == nil || b.Status != client.BackupCompleted {
				w.t.Errorf("backup %+v, want it completed", b)
			}
			if lb := w.row().LastBackup; lb == nil || lb.Status != client.BackupCompleted {
				w.t.Errorf("lastBackup %+v, want it completed", lb)
			}
		}},
		client.WriteDeleteBackup: {keeps: keepNone, run: func(w *world) {
			id := w.seed(simulator.BackupManual, time.Hour)
			w.prime()
			w.must(w.c.DeleteBackup(w.ctx, w.db, id))
			if w.backup(id) != nil {
				w.t.Errorf("deleted backup %s still listed", id)
			}
			if got := lastBackupID(w.row()); got != "" {
				w.t.Errorf("lastBackup %q after deleting the only backup", got)
			}
		}},
		client.WritePinBackup: {keeps: keepDatabases, run: func(w *world) {
			id := w.seed(simulator.BackupManual, time.Hour)
			w.prime()
			_, err := w.c.PinBackup(w.ctx, w.db, id, true)
			w.must(err)
			if b := w.backup(id); b == nil || !b.IsPinned {
				w.t.Errorf("backup %+v, want it pinned", b)
			}
			w.row()
		}},
		client.WritePutBackupPolicy: {keeps: keepNone, run: func(w *world) {
			manual := w.seed(simulator.BackupManual, 2*time.Hour)
			scheduled := w.seed(simulator.BackupScheduled, time.Hour)
			w.prime()
			_, err := w.c.PutBackupPolicy(w.ctx, w.db, zeroTiers)
			w.must(err)
			if w.backup(scheduled) != nil {
				w.t.Errorf("pruned backup %s still listed", scheduled)
			}
			if got := lastBackupID(w.row()); got != manual {
				w.t.Errorf("lastBackup %q, want %s (the newest left)", got, manual)
			}
		}},
		client.WriteRotateBackups: {keeps: keepNone, run: func(w *world) {
			manual := w.seed(simulator.BackupManual, 2*time.Hour)
			_, err := w.c.PutBackupPolicy(w.ctx, w.db, zeroTiers)
			w.must(err)
			scheduled := w.seed(simulator.BackupScheduled, time.Hour)
			w.prime()
			_, err = w.c.RotateBackups(w.ctx, w.db)
			w.must(err)
			if w.backup(scheduled) != nil {
				w.t.Errorf("rotated backup %s still listed", scheduled)
			}
			if got := lastBackupID(w.row()); got != manual {
				w.t.Errorf("lastBackup %q, want %s (the newest left)", got, manual)
			}
		}},
		client.WriteDeleteBackupPolicy: {keeps: keepBoth, run: func(w *world) {
			w.seed(simulator.BackupScheduled, time.Hour)
			_, err := w.c.PutBackupPolicy(w.ctx, w.db, client.BackupPolicyInput{Preset: "lean", KeepLast: 12, Daily: 7, Weekly: 4, MinFloor: 2})
			w.must(err)
			w.prime()
			_, err = w.c.DeleteBackupPolicy(w.ctx, w.db)
			w.must(err)
			if len(w.backups()) != 1 || w.row() == nil {
				w.t.Error("reverting the policy changed the lists")
			}
		}},
	}
	for _, kind := range client.WriteKinds() {
		t.Run(string(kind), func(t *testing.T) {
			tc, ok := cases[kind]
			if !ok {
				t.Fatalf("no case for write %s: add one that shows a read after it sees it", kind)
			}
			w := newWorld(t)
			tc.run(w)
			// The lists the write leaves as they were still answer reads.
			now := w.sim.Requests()
			if relisted := now[routeDatabaseList] > w.listsAfter[routeDatabaseList]; relisted == tc.keeps.databases {
				t.Errorf("the environment's database list listed again: %v, want %v", relisted, !tc.keeps.databases)
			}
			if relisted := now[routeBackupList] > w.listsAfter[routeBackupList]; relisted == tc.keeps.backups {
				t.Errorf("the database's backup list listed again: %v, want %v", relisted, !tc.keeps.backups)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
