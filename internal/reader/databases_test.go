package reader

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// The tests run in synctest bubbles: time there is fake and moves only when
// every goroutine of the bubble is blocked, so the coalescing window and
// the snapshot's lifetime pass instantly and in a fixed order, and
// synctest.Wait replaces sleeping and polling for the reader's goroutines.

// fakeDatabaseAPI holds databases per environment and counts calls. When
// gate is set, every list waits for it to close (or its ctx to end).
type fakeDatabaseAPI struct {
	mu      sync.Mutex
	dbs     map[string][]client.Database // env → databases
	hidden  map[string]bool              // ids the next list leaves out (a list/page race)
	lists   map[string]int
	gets    int
	listErr error
	gate    chan struct{}
	listCtx []context.Context
}

func newFakeAPI() *fakeDatabaseAPI {
	return &fakeDatabaseAPI{dbs: map[string][]client.Database{}, hidden: map[string]bool{}, lists: map[string]int{}}
}

func (f *fakeDatabaseAPI) add(envID string, ids ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		f.dbs[envID] = append(f.dbs[envID], client.Database{ID: id, Name: "name-" + id, EnvironmentID: envID})
	}
}

func (f *fakeDatabaseAPI) GetDatabase(_ context.Context, id string) (*client.Database, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	for _, dbs := range f.dbs {
		for _, db := range dbs {
			if db.ID == id {
				return &db, nil
			}
		}
	}
	return nil, &client.APIError{Status: 404, Code: "NOT_FOUND", Message: "Database not found"}
}

func (f *fakeDatabaseAPI) ListAllDatabases(ctx context.Context, envID string, _ int) ([]client.Database, error) {
	f.mu.Lock()
	f.lists[envID]++
	f.listCtx = append(f.listCtx, ctx)
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listErr != nil {
		return nil, f.listErr
	}
	var out []client.Database
	for _, db := range f.dbs[envID] {
		if f.hidden[db.ID] {
			delete(f.hidden, db.ID)
			continue
		}
		out = append(out, db)
	}
	return out, nil
}

func (f *fakeDatabaseAPI) counts(envID string) (lists, gets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists[envID], f.gets
}

func newTestReader(api DatabaseAPI, scoped bool, batch bool) *Databases {
	me := &client.Me{AllEnvironments: true}
	if scoped {
		me = &client.Me{AllEnvironments: false, EnvironmentIDs: []string{"env-a", "env-b"}}
	}
	return NewDatabases(api, me, batch)
}

// readAll reads every id concurrently and returns the first error.
func readAll(t *testing.T, r *Databases, envID string, ids []string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := r.Get(context.Background(), envID, id)
			if err == nil && db.ID != id {
				err = fmt.Errorf("read %s, got %s", id, db.ID)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// expectListsAfterWindow lets the coalescing window pass and every
// goroutine of the bubble run until it blocks, then checks that envID has
// been listed exactly n times: a test then acts while those lists are
// blocked on the gate.
func expectListsAfterWindow(t *testing.T, r *Databases, api *fakeDatabaseAPI, envID string, n int) {
	t.Helper()
	time.Sleep(r.window)
	synctest.Wait()
	if lists, _ := api.counts(envID); lists != n {
		t.Fatalf("%s listed %d times after the window, want %d", envID, lists, n)
	}
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("db-%03d", i)
	}
	return out
}

func TestDatabaseReaderCoalescesConcurrentReadsIntoOneList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		all := ids(200)
		api.add("env-a", all...)
		r := newTestReader(api, false, true)

		readAll(t, r, "env-a", all)
		// Terraform's later reads (parallelism 10) come after the first list
		// finished; the snapshot answers them.
		readAll(t, r, "env-a", all[:10])

		if lists, gets := api.counts("env-a"); lists != 1 || gets != 0 {
			t.Fatalf("lists=%d gets=%d, want 1 list and no GET", lists, gets)
		}
	})
}

func TestDatabaseReaderListsEachEnvironmentOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1", "a2")
		api.add("env-b", "b1", "b2")
		api.gate = make(chan struct{})
		r := newTestReader(api, false, true)

		var wg sync.WaitGroup
		for _, c := range []struct{ env, id string }{{"env-a", "a1"}, {"env-b", "b1"}, {"env-a", "a2"}, {"env-b", "b2"}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := r.Get(context.Background(), c.env, c.id); err != nil {
					t.Error(err)
				}
			}()
		}
		// Reads arriving while the list is in flight join it.
		expectListsAfterWindow(t, r, api, "env-a", 1)
		expectListsAfterWindow(t, r, api, "env-b", 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Get(context.Background(), "env-a", "a1"); err != nil {
				t.Error(err)
			}
		}()
		synctest.Wait() // the late read is waiting for the list in flight
		close(api.gate)
		wg.Wait()
		for _, env := range []string{"env-a", "env-b"} {
			if lists, _ := api.counts(env); lists != 1 {
				t.Errorf("%s listed %d times, want 1", env, lists)
			}
		}
	})
}

func TestDatabaseReaderConfirmsMissingWithGet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1", "raced")
		api.hidden["raced"] = true // created after the page was read, say
		r := newTestReader(api, false, true)

		db, err := r.Get(context.Background(), "env-a", "raced")
		if err != nil || db.ID != "raced" {
			t.Fatalf("Get = %v, %v; want the database the GET confirmed", db, err)
		}
		_, err = r.Get(context.Background(), "env-a", "gone")
		if !client.IsNotFound(err) {
			t.Fatalf("Get(gone) error = %v, want a 404", err)
		}
		if lists, gets := api.counts("env-a"); lists != 1 || gets != 2 {
			t.Fatalf("lists=%d gets=%d, want 1 list and 2 confirming GETs", lists, gets)
		}
	})
}

func TestDatabaseReaderScopedTokenConfirmsMissingWithSecondList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1", "raced")
		api.hidden["raced"] = true
		r := newTestReader(api, true, true)

		db, err := r.Get(context.Background(), "env-a", "raced")
		if err != nil || db.ID != "raced" {
			t.Fatalf("Get = %v, %v; want the database the second list showed", db, err)
		}
		if _, err := r.Get(context.Background(), "env-a", "gone"); !client.IsNotFound(err) {
			t.Fatalf("Get(gone) error = %v, want a 404", err)
		}
		lists, gets := api.counts("env-a")
		if gets != 0 {
			t.Fatalf("a scoped token sent %d GETs; the platform refuses them", gets)
		}
		if lists != 3 {
			t.Fatalf("lists=%d, want 3 (first, confirmation of raced, confirmation of gone)", lists)
		}
	})
}

func TestDatabaseReaderPropagatesErrorToEveryWaiterAndRetriesLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", ids(20)...)
		api.listErr = &client.APIError{Status: 500, Code: "INTERNAL", Message: "Internal Server Error"}
		r := newTestReader(api, false, true)

		var wg sync.WaitGroup
		var failed sync.Map
		for _, id := range ids(20) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := r.Get(context.Background(), "env-a", id); client.IsServerError(err) {
					failed.Store(id, true)
				}
			}()
		}
		wg.Wait()
		n := 0
		failed.Range(func(any, any) bool { n++; return true })
		if n != 20 {
			t.Fatalf("%d of 20 waiters got the list's error", n)
		}
		firstLists, _ := api.counts("env-a")

		api.mu.Lock()
		api.listErr = nil
		api.mu.Unlock()
		if _, err := r.Get(context.Background(), "env-a", "db-001"); err != nil {
			t.Fatalf("a failed list must not be cached: %v", err)
		}
		if lists, _ := api.counts("env-a"); lists != firstLists+1 {
			t.Fatalf("lists=%d, want one more after the failure", lists)
		}
	})
}

func TestDatabaseReaderCancelledWaiterDoesNotCancelOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1", "a2")
		api.gate = make(chan struct{})
		r := newTestReader(api, false, true)

		ctx, cancel := context.WithCancel(context.Background())
		firstErr := make(chan error, 1)
		go func() {
			_, err := r.Get(ctx, "env-a", "a1")
			firstErr <- err
		}()
		expectListsAfterWindow(t, r, api, "env-a", 1) // the first waiter started the list
		second := make(chan error, 1)
		go func() {
			_, err := r.Get(context.Background(), "env-a", "a2")
			second <- err
		}()
		synctest.Wait() // the second waiter has joined the list
		cancel()
		if err := <-firstErr; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled waiter got %v, want context.Canceled", err)
		}
		close(api.gate)
		if err := <-second; err != nil {
			t.Fatalf("the other waiter failed: %v", err)
		}
		api.mu.Lock()
		defer api.mu.Unlock()
		if len(api.listCtx) != 1 || api.listCtx[0].Err() != nil {
			t.Fatalf("lists=%d; the list's context must outlive the waiter that started it", len(api.listCtx))
		}
	})
}

func TestDatabaseReaderSnapshotExpiresAndIsForgotten(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1")
		r := newTestReader(api, false, true)
		// get reads a1 and checks how many lists have been made by then.
		get := func(wantLists int, why string) {
			t.Helper()
			if _, err := r.Get(context.Background(), "env-a", "a1"); err != nil {
				t.Fatal(err)
			}
			if lists, _ := api.counts("env-a"); lists != wantLists {
				t.Fatalf("%s: lists=%d, want %d", why, lists, wantLists)
			}
		}

		get(1, "first read")
		get(1, "second read, from the snapshot")
		time.Sleep(r.ttl)
		get(1, "at the snapshot's age limit")
		time.Sleep(time.Second)
		get(2, "expired")
		r.forget("env-a")
		get(3, "after this process changed the environment")
		get(3, "from the new snapshot")
	})
}

func TestDatabaseReaderForgetDuringListStartsAFreshOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1")
		api.gate = make(chan struct{})
		r := newTestReader(api, false, true)

		first := make(chan error, 1)
		go func() { _, err := r.Get(context.Background(), "env-a", "a1"); first <- err }()
		expectListsAfterWindow(t, r, api, "env-a", 1)
		r.forget("env-a")
		second := make(chan error, 1)
		go func() { _, err := r.Get(context.Background(), "env-a", "a1"); second <- err }()
		expectListsAfterWindow(t, r, api, "env-a", 2)
		close(api.gate)
		if err := errors.Join(<-first, <-second); err != nil {
			t.Fatal(err)
		}
		if lists, _ := api.counts("env-a"); lists != 2 {
			t.Fatalf("lists=%d, want 2: a read after forget must not join the older list", lists)
		}
		// Neither list is cached: the first may predate the change, and the
		// reader cannot tell the order of the two.
		if _, err := r.Get(context.Background(), "env-a", "a1"); err != nil {
			t.Fatal(err)
		}
		if lists, _ := api.counts("env-a"); lists != 2 {
			t.Fatalf("lists=%d, want 2: the fresh list answers later reads", lists)
		}
	})
}

// A list that forget overtook answers the reads already waiting for
// it, but is never kept: it may predate the change.
func TestDatabaseReaderListForgottenInFlightIsNotKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1")
		api.gate = make(chan struct{})
		r := newTestReader(api, false, true)

		first := make(chan error, 1)
		go func() { _, err := r.Get(context.Background(), "env-a", "a1"); first <- err }()
		expectListsAfterWindow(t, r, api, "env-a", 1)
		r.forget("env-a")
		close(api.gate)
		if err := <-first; err != nil {
			t.Fatalf("the waiting read failed: %v", err)
		}
		if _, err := r.Get(context.Background(), "env-a", "a1"); err != nil {
			t.Fatal(err)
		}
		if lists, _ := api.counts("env-a"); lists != 2 {
			t.Fatalf("lists=%d, want 2: the list from before forget was kept", lists)
		}
	})
}

func TestDatabaseReaderWithoutBatching(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1", "a2")

		r := newTestReader(api, false, false)
		readAll(t, r, "env-a", []string{"a1", "a2", "a1"})
		if lists, gets := api.counts("env-a"); lists != 0 || gets != 3 {
			t.Fatalf("batching off: lists=%d gets=%d, want one GET per read", lists, gets)
		}

		scoped := newTestReader(api, true, false)
		readAll(t, scoped, "env-a", []string{"a1", "a2"})
		if lists, gets := api.counts("env-a"); lists != 2 || gets != 3 {
			t.Fatalf("batching off, scoped: lists=%d gets=%d, want one list per read and no GET", lists, gets)
		}
	})
}

func TestDatabaseReaderWithoutEnvironment(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-b", "b1")

		if _, err := newTestReader(api, false, true).Get(context.Background(), "", "b1"); err != nil {
			t.Fatal(err)
		}
		if _, gets := api.counts("env-b"); gets != 1 {
			t.Fatalf("gets=%d, want an all-environments token to GET by id", gets)
		}

		scoped := newTestReader(api, true, true)
		db, err := scoped.Get(context.Background(), "", "b1")
		if err != nil || db.EnvironmentID != "env-b" {
			t.Fatalf("scoped Get = %v, %v; want b1 found by searching the token's environments", db, err)
		}
		if _, err := scoped.Get(context.Background(), "", "nowhere"); !client.IsNotFound(err) {
			t.Fatalf("error = %v, want a 404", err)
		}
		if _, gets := api.counts("env-b"); gets != 1 {
			t.Fatalf("the scoped reader sent GETs")
		}
	})
}

// Data sources list through the reader: a list shares the reads' request
// and snapshot, and reads after it need no request of their own.
func TestDatabaseReaderListSharesTheReadsList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1", "a2", "a3")

		r := newTestReader(api, false, true)
		all, err := r.List(context.Background(), "env-a")
		if err != nil || len(all) != 3 || all[0].ID != "a1" || all[2].ID != "a3" {
			t.Fatalf("List = %v, %v; want the three databases in list order", all, err)
		}
		readAll(t, r, "env-a", []string{"a1", "a2", "a3"})
		if again, err := r.List(context.Background(), "env-a"); err != nil || len(again) != 3 {
			t.Fatalf("second List = %v, %v", again, err)
		}
		if lists, gets := api.counts("env-a"); lists != 1 || gets != 0 {
			t.Fatalf("lists=%d gets=%d, want one list serving the list, the reads and the second list", lists, gets)
		}

		r.forget("env-a")
		if _, err := r.List(context.Background(), "env-a"); err != nil {
			t.Fatal(err)
		}
		if lists, _ := api.counts("env-a"); lists != 2 {
			t.Fatalf("after forget lists=%d, want a fresh list", lists)
		}

		off := newTestReader(api, false, false)
		for range 2 {
			if all, err := off.List(context.Background(), "env-a"); err != nil || len(all) != 3 {
				t.Fatalf("batching off: List = %v, %v", all, err)
			}
		}
		if lists, _ := api.counts("env-a"); lists != 4 {
			t.Fatalf("batching off: lists=%d, want one list per call", lists)
		}
	})
}

// A write that names only a database drops the list of the environment it
// was listed in, and no other.
func TestDatabaseReaderForgetRowDropsOnlyItsEnvironment(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1")
		api.add("env-b", "b1")
		r := newTestReader(api, false, true)
		readAll(t, r, "env-a", []string{"a1"})
		readAll(t, r, "env-b", []string{"b1"})

		r.forgetRow("a1")
		readAll(t, r, "env-a", []string{"a1"})
		readAll(t, r, "env-b", []string{"b1"})
		if a, _ := api.counts("env-a"); a != 2 {
			t.Errorf("env-a listed %d times, want 2: its list held the database written", a)
		}
		if b, _ := api.counts("env-b"); b != 1 {
			t.Errorf("env-b listed %d times, want 1: its list was not touched", b)
		}
	})
}

// A database no list has shown is in no snapshot, but may be in a list in
// flight: that list is dropped, the snapshots are kept.
func TestDatabaseReaderForgetUnlistedRowDropsListsInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		api.add("env-a", "a1")
		api.add("env-b", "b1")
		r := newTestReader(api, false, true)
		readAll(t, r, "env-a", []string{"a1"})

		api.gate = make(chan struct{})
		first := make(chan error, 1)
		go func() { _, err := r.Get(context.Background(), "env-b", "b1"); first <- err }()
		expectListsAfterWindow(t, r, api, "env-b", 1)
		r.forgetRow("b1") // not listed yet: its list is in flight
		close(api.gate)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		readAll(t, r, "env-b", []string{"b1"})
		readAll(t, r, "env-a", []string{"a1"})
		if b, _ := api.counts("env-b"); b != 2 {
			t.Errorf("env-b listed %d times, want 2: the list in flight may predate the write", b)
		}
		if a, _ := api.counts("env-a"); a != 1 {
			t.Errorf("env-a listed %d times, want 1: its snapshot cannot hold an unlisted database", a)
		}
	})
}
