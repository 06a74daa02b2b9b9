package simulator

import (
	"fmt"
	"testing"
)

// TestFaultFailRoute: after FailAfter requests to the route, the next
// FailTimes are answered 500 without running the handler; other routes and
// later requests are untouched.
func TestFaultFailRoute(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "faulty"))
	var ids []string
	for i := 0; i < 4; i++ {
		bid, _ := h.sim.SeedBackup(id, SeedBackup{})
		ids = append(ids, bid)
	}
	h.sim.SetFaults(Faults{FailRoute: "DELETE /api/backups/{id}", FailAfter: 1, FailTimes: 2})
	h.mustCall("DELETE", "/api/backups/"+ids[0], operatorTok, nil).expectOK(t)
	h.mustCall("DELETE", "/api/backups/"+ids[1], operatorTok, nil).expectError(t, 500, "INTERNAL", "Internal Server Error")
	h.mustCall("GET", "/api/databases/"+id+"/backups", operatorTok, nil).expectOK(t)
	h.mustCall("DELETE", "/api/backups/"+ids[1], operatorTok, nil).expectError(t, 500, "INTERNAL", "Internal Server Error")
	h.mustCall("DELETE", "/api/backups/"+ids[1], operatorTok, nil).expectOK(t)
	if n := len(h.sim.Backups(id)); n != 2 {
		t.Fatalf("%d backups left, want 2: the failed deletes must not have run", n)
	}
}
