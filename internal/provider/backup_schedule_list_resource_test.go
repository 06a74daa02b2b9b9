package provider

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// A schedule that goes away between the environment's database list and
// its own read (the schedule deleted: the read answers null; the database
// deleted: 404) is left out with a warning, and the next database with a
// schedule takes its place: the block still gets limit results while
// candidates remain, and no schedule past the limit is read.
func TestBackupScheduleListGoneScheduleTakesNextCandidate(t *testing.T) {
	t.Parallel()
	const typeName, routeSchedule = "platform_database_backup_schedule", "GET /api/databases/{id}/schedule"
	h := newListRPC(t)
	ids := map[string]string{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		ids[name] = h.addDatabase(name)
		h.addSchedule(ids[name], "0 2 * * *")
	}
	h.addDatabase("unscheduled")
	// The first read of a's schedule finds it deleted, of b's its database
	// deleted.
	var mu sync.Mutex
	deletes := map[string]func(){
		"/api/databases/" + ids["a"] + "/schedule": func() {
			del := httptest.NewRequest(http.MethodDelete, "/api/databases/"+ids["a"]+"/schedule", nil)
			del.Header.Set("Authorization", "Bearer "+listRPCToken)
			rec := httptest.NewRecorder()
			h.sim.ServeHTTP(rec, del)
			if rec.Code/100 != 2 {
				t.Errorf("deleting a's schedule: %d %s", rec.Code, rec.Body)
			}
		},
		"/api/databases/" + ids["b"] + "/schedule": func() {
			if err := h.sim.DeleteDatabase(ids["b"]); err != nil {
				t.Errorf("deleting database b: %v", err)
			}
		},
	}
	h.setOnRequest(func(r *http.Request) {
		if r.Method != http.MethodGet {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if del := deletes[r.URL.Path]; del != nil {
			delete(deletes, r.URL.Path)
			del()
		}
	})

	cfg := h.listConfig(typeName, map[string]string{"environment_id": h.envID})
	events := h.list(typeName, cfg, 2, true)
	gone := func(name string) string {
		return `warning: Backup schedule of database "` + name + `" is gone`
	}
	want := []string{gone("a"), gone("b"), "acc/c (0 2 * * *)",
		`warning: Results cut off at the list block's limit`, "acc/d (0 2 * * *)"}
	if got := describeEvents(events); !slices.Equal(got, want) {
		t.Fatalf("limit 2:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if cut := events[3].Diagnostics[0].Detail; !strings.HasPrefix(cut,
		`3 backup schedules in environment "acc" match, but the list block's limit is 2`) {
		t.Errorf("cut-off warning %q, want it to count the 3 schedules left", cut)
	}
	for _, ev := range []int{2, 4} {
		if events[ev].Resource == nil {
			t.Errorf("%s has no state", events[ev].DisplayName)
		}
	}
	if n := h.sim.Requests()[routeSchedule]; n != 4 {
		t.Errorf("%d schedule reads, want 4: a, b, c and d, not e past the limit", n)
	}

	// Candidates running out leave fewer results, without a cut-off. (The
	// provider may still hold the list from before the deletions, with
	// a, b and e in it, or read a new one: the results are the same.)
	if err := h.sim.DeleteDatabase(ids["e"]); err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, line := range describeEvents(h.list(typeName, cfg, 3, true)) {
		if !strings.HasPrefix(line, "warning: Backup schedule of database ") || !strings.HasSuffix(line, " is gone") {
			listed = append(listed, line)
		}
	}
	if want := []string{"acc/c (0 2 * * *)", "acc/d (0 2 * * *)"}; !slices.Equal(listed, want) {
		t.Errorf("limit 3, e deleted: %v besides the schedules gone, want %v", listed, want)
	}
}
