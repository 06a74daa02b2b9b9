package reader

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// fakeBackupAPI holds backups per database and counts calls.
type fakeBackupAPI struct {
	mu      sync.Mutex
	backups map[string][]client.Backup // database → backups
	lists   map[string]int
	gets    int
}

func newFakeBackupAPI() *fakeBackupAPI {
	return &fakeBackupAPI{backups: map[string][]client.Backup{}, lists: map[string]int{}}
}

func (f *fakeBackupAPI) add(dbID string, ids ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		f.backups[dbID] = append(f.backups[dbID], client.Backup{ID: id, DatabaseID: dbID, Status: client.BackupCompleted})
	}
}

func (f *fakeBackupAPI) remove(dbID, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	kept := f.backups[dbID][:0]
	for _, b := range f.backups[dbID] {
		if b.ID != id {
			kept = append(kept, b)
		}
	}
	f.backups[dbID] = kept
}

func (f *fakeBackupAPI) GetBackup(_ context.Context, id string) (*client.Backup, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	for _, bs := range f.backups {
		for _, b := range bs {
			if b.ID == id {
				return &b, nil
			}
		}
	}
	return nil, &client.APIError{Status: 404, Code: "NOT_FOUND", Message: "Backup not found"}
}

func (f *fakeBackupAPI) ListAllBackups(_ context.Context, dbID string, _ int) ([]client.Backup, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists[dbID]++
	if _, ok := f.backups[dbID]; !ok {
		return nil, &client.APIError{Status: 404, Code: "NOT_FOUND", Message: "Database not found"}
	}
	return append([]client.Backup(nil), f.backups[dbID]...), nil
}

func (f *fakeBackupAPI) counts(dbID string) (lists, gets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists[dbID], f.gets
}

// readBackups reads every id of dbID concurrently, as Terraform's refresh
// does, and returns what each read got.
func readBackups(r *Backups, dbID string, ids []string) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[string]error{}
	for _, id := range ids {
		wg.Go(func() {
			b, err := r.Get(context.Background(), dbID, id)
			if err == nil && b.ID != id {
				err = &client.APIError{Status: 500, Message: "read " + id + ", got " + b.ID}
			}
			mu.Lock()
			out[id] = err
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

func TestBackupReaderReadsADatabasesBackupsWithOneList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeBackupAPI()
		all := []string{"b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9"}
		api.add("db-1", all...)
		r := NewBackups(api, true)
		for id, err := range readBackups(r, "db-1", all) {
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
		}
		if lists, gets := api.counts("db-1"); lists != 1 || gets != 0 {
			t.Fatalf("10 backups of one database cost %d lists and %d gets, want 1 and 0", lists, gets)
		}
	})
}

func TestBackupReaderConfirmsAMissingBackupWithItsOwnGet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeBackupAPI()
		api.add("db-1", "b1", "b2")
		api.add("db-2", "other")
		api.remove("db-1", "b2") // deleted in the platform's UI
		r := NewBackups(api, true)
		got := readBackups(r, "db-1", []string{"b1", "b2", "other"})
		if got["b1"] != nil {
			t.Fatal(got["b1"])
		}
		if !client.IsNotFound(got["b2"]) {
			t.Errorf("a backup gone from the platform must read as a 404, got %v", got["b2"])
		}
		if got["other"] != nil {
			t.Errorf("a backup of another database is found by its GET, for the caller to report: %v", got["other"])
		}
		if lists, gets := api.counts("db-1"); lists != 1 || gets != 2 {
			t.Fatalf("got %d lists and %d gets, want 1 list and a GET per backup missing from it", lists, gets)
		}
	})
}

func TestBackupReaderWithoutDatabaseOrBatchingGetsEachBackup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeBackupAPI()
		api.add("db-1", "b1")
		if _, err := NewBackups(api, true).Get(context.Background(), "", "b1"); err != nil {
			t.Fatal(err)
		}
		if _, err := NewBackups(api, false).Get(context.Background(), "db-1", "b1"); err != nil {
			t.Fatal(err)
		}
		if lists, gets := api.counts("db-1"); lists != 0 || gets != 2 {
			t.Fatalf("got %d lists and %d gets, want 0 and 2", lists, gets)
		}
	})
}

func TestBackupReaderForgetAndAgeStartAFreshList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeBackupAPI()
		api.add("db-1", "b1")
		r := NewBackups(api, true)
		read := func(want int) {
			t.Helper()
			if _, err := r.Get(context.Background(), "db-1", "b1"); err != nil {
				t.Fatal(err)
			}
			if lists, _ := api.counts("db-1"); lists != want {
				t.Fatalf("%d lists, want %d", lists, want)
			}
		}
		read(1)
		read(1) // the snapshot answers
		r.forget("db-1")
		read(2)
		time.Sleep(r.ttl + time.Millisecond)
		read(3)
	})
}

func TestBackupReaderDatabaseGoneIsNotFound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeBackupAPI()
		api.add("db-2", "b2")
		r := NewBackups(api, true)
		if _, err := r.Get(context.Background(), "gone", "b1"); !client.IsNotFound(err) {
			t.Fatalf("backups of a database that is gone must read as a 404, got %v", err)
		}
		if b, err := r.Get(context.Background(), "gone", "b2"); err != nil || b.DatabaseID != "db-2" {
			t.Fatalf("a backup named under a database that does not exist is found by its GET, for the caller "+
				"to report: got %v, %v", b, err)
		}
		// The list's 404 answers the second read too: each read costs its
		// own GET and no list of its own.
		if lists, gets := api.counts("gone"); lists != 1 || gets != 2 {
			t.Errorf("%d lists and %d GETs for two backups of a database that is gone, want 1 and 2", lists, gets)
		}
		// Other reads of the database's backups hear the same 404 until the snapshot ages out.
		if _, err := r.List(context.Background(), "gone"); !client.IsNotFound(err) {
			t.Errorf("listing the backups of a database that is gone: %v, want a 404", err)
		}
		time.Sleep(r.ttl + time.Millisecond)
		api.add("gone", "b3")
		if all, err := r.List(context.Background(), "gone"); err != nil || len(all) != 1 {
			t.Errorf("after the snapshot aged out: %v, %v", all, err)
		}
	})
}
