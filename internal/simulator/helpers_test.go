package simulator

import (
	"errors"
	"net/http"
	"regexp"
	"sync"
	"testing"
)

// TestGoHelpers covers the out-of-band helpers tests use to change the
// platform behind a client's back.
func TestGoHelpers(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"oob","type":"postgres","username":"u","password":"p","pgDumpOptions":{"clean":true}}`)

	if err := h.sim.PatchDatabase(id, map[string]any{"host": "elsewhere", "pgDumpOptions": map[string]any{"dataOnly": true}}); err != nil {
		t.Fatal(err)
	}
	db, _ := h.sim.Database(id)
	if *db.Host != "elsewhere" || db.PgDumpOptions.Clean != nil || !*db.PgDumpOptions.DataOnly {
		t.Fatalf("after PatchDatabase: %+v", db)
	}
	if err := h.sim.PatchDatabase(id, map[string]any{"username": "", "password": ""}); err != nil || mustDB(t, h, id).HasCredentials {
		t.Fatalf("clearing credentials: %v", err)
	}
	var apiErr *APIError
	if err := h.sim.PatchDatabase(id, map[string]any{"id": "x"}); !errors.As(err, &apiErr) || apiErr.Status != 422 || apiErr.Field != "id" {
		t.Fatalf("readonly via helper: %v", err)
	}
	if err := h.sim.PatchDatabase(id, map[string]any{"port": "5432"}); !errors.As(err, &apiErr) || apiErr.Status != 400 {
		t.Fatalf("validation via helper: %v", err)
	}
	if err := h.sim.PatchDatabase("nope", nil); !errors.As(err, &apiErr) || apiErr.Status != 500 {
		t.Fatalf("unknown id via helper: %v", err)
	}

	backupID, err := h.sim.AddBackup(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.sim.DeleteDatabase(id); !errors.As(err, &apiErr) || apiErr.Status != 400 {
		t.Fatalf("delete with backups: %v", err)
	}
	if err := h.sim.DeleteBackup(id, backupID); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.DeleteBackup(id, backupID); !IsNotFound(err) {
		t.Fatalf("second DeleteBackup: %v", err)
	}
	if err := h.sim.DeleteDatabase(id); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.DeleteDatabase(id); !IsNotFound(err) {
		t.Fatalf("second DeleteDatabase: %v", err)
	}
	if _, err := h.sim.AddBackup(id); !IsNotFound(err) {
		t.Fatalf("AddBackup on deleted database: %v", err)
	}
}

func mustDB(t *testing.T, h *harness, id string) Database {
	t.Helper()
	db, ok := h.sim.Database(id)
	if !ok {
		t.Fatalf("database %s missing", id)
	}
	return db
}

func TestSnapshotsAreCopies(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"snap","type":"postgres","host":"h","pgDumpOptions":{"clean":true}}`)
	db := mustDB(t, h, id)
	*db.Host = "mutated"
	*db.PgDumpOptions.Clean = false
	again := mustDB(t, h, id)
	if *again.Host != "h" || !*again.PgDumpOptions.Clean {
		t.Fatal("snapshot shares memory with the store")
	}
	if got := h.sim.Databases(h.env); len(got) != 1 || got[0].ID != id {
		t.Fatalf("Databases() = %+v", got)
	}
}

func TestIDsAndEnvironments(t *testing.T) {
	sim := New(Options{Environments: []string{"a", "b", "a"}})
	cuid := regexp.MustCompile(`^c[0-9a-z]{24}$`)
	for _, typ := range builtinTypes {
		if !cuid.MatchString(typ.ID) {
			t.Errorf("type id %q", typ.ID)
		}
	}
	a := sim.EnvironmentID("a")
	if !cuid.MatchString(a) || sim.CreateEnvironment("a") != a || sim.EnvironmentID("zz") != "" {
		t.Fatalf("environment ids: %q", a)
	}
	if sim.AddServer("nope", "s") != "" || !cuid.MatchString(sim.AddServer(a, "s")) {
		t.Fatal("AddServer")
	}
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		id := sim.ids.next()
		if seen[id] || !cuid.MatchString(id) {
			t.Fatalf("id %q repeated or malformed", id)
		}
		seen[id] = true
	}
}

// TestConcurrentUse hammers one simulator from many goroutines (run with
// -race): creates in parallel never produce duplicate names.
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t)
	var wg sync.WaitGroup
	statuses := make(chan int, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, `{"name":"same","type":"postgres"}`)
			statuses <- res.status
			h.mustCall("GET", "/api/environments/"+h.env+"/databases", viewerTok, nil)
		}(i)
	}
	wg.Wait()
	close(statuses)
	created := 0
	for s := range statuses {
		if s == 200 {
			created++
		} else if s != 409 {
			t.Errorf("status %d", s)
		}
	}
	if created != 1 || len(h.sim.Databases(h.env)) != 1 {
		t.Fatalf("created %d", created)
	}
}

func BenchmarkGetDatabase(b *testing.B) {
	sim := New(Options{Tokens: []Token{{Value: "t", Role: RoleOperator}}, Environments: []string{"e"}})
	url, stop := sim.Start()
	defer stop()
	h := &harness{t: b, sim: sim, url: url, client: &http.Client{}, env: sim.EnvironmentID("e")}
	id := h.mustCall("POST", "/api/environments/"+h.env+"/databases", "t", `{"name":"b","type":"postgres"}`).str("database", "id")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.call("GET", "/api/databases/"+id, "t", nil)
	}
}
