package simulator

import (
	"reflect"
	"testing"
	"time"
)

// gfsBackup is a hand-worked test row: a name to assert on, its time and
// how it counts.
type gfsBackup struct {
	name   string
	at     string // RFC 3339
	kind   string // "" scheduled
	status string // "" completed
	pinned bool
	size   int64
}

func gfsRows(t *testing.T, rows []gfsBackup) []*Backup {
	t.Helper()
	var out []*Backup
	for i, r := range rows {
		at, err := time.Parse(time.RFC3339, r.at)
		if err != nil {
			t.Fatal(err)
		}
		size := r.size
		if size == 0 {
			size = 100
		}
		out = append(out, &Backup{ID: r.name, Type: orString(r.kind, BackupScheduled), Status: orString(r.status, BackupCompleted),
			IsPinned: r.pinned, Size: size, CreatedAt: at, seq: len(rows) - i})
	}
	return out // rows are given newest first, as backupsOf lists them
}

func backupNames(bs []*Backup) []string {
	out := []string{}
	for _, b := range bs {
		out = append(out, b.ID)
	}
	return out
}

func custom(keepLast, daily, weekly, monthly, yearly, floor int) RetentionPolicy {
	return RetentionPolicy{Preset: "custom", KeepLast: keepLast, Daily: daily, Weekly: weekly, Monthly: monthly, Yearly: yearly, MinFloor: floor}
}

func TestGFSSelection(t *testing.T) {
	// A week of dailies at 02:00, Monday 2026-03-02 to Sunday 2026-03-08,
	// plus a second backup on Sunday at 14:00.
	week := []gfsBackup{
		{name: "sun14", at: "2026-03-08T14:00:00Z"}, {name: "sun", at: "2026-03-08T02:00:00Z"},
		{name: "sat", at: "2026-03-07T02:00:00Z"}, {name: "fri", at: "2026-03-06T02:00:00Z"},
		{name: "thu", at: "2026-03-05T02:00:00Z"}, {name: "wed", at: "2026-03-04T02:00:00Z"},
		{name: "tue", at: "2026-03-03T02:00:00Z"}, {name: "mon", at: "2026-03-02T02:00:00Z"},
	}
	// Around a month end; 2026-02-01T00:30+01:00 is still January in UTC.
	months := []gfsBackup{
		{name: "mar01", at: "2026-03-01T00:00:00Z"}, {name: "feb15", at: "2026-02-15T02:00:00Z"},
		{name: "feb01", at: "2026-02-01T00:00:00Z"}, {name: "jan31late", at: "2026-02-01T00:30:00+01:00"},
		{name: "jan30", at: "2026-01-30T02:00:00Z"},
	}
	// 2026-01-01 is a Thursday, so ISO week 2026-W01 starts Monday 2025-12-29.
	isoYear := []gfsBackup{
		{name: "fri-jan02", at: "2026-01-02T02:00:00Z"}, {name: "mon-dec29", at: "2025-12-29T02:00:00Z"},
		{name: "sun-dec28", at: "2025-12-28T02:00:00Z"},
	}
	isoWeek := []gfsBackup{
		{name: "sat-mar14", at: "2026-03-14T02:00:00Z"}, {name: "mon-mar09", at: "2026-03-09T02:00:00Z"},
		{name: "sun-mar08", at: "2026-03-08T23:59:59Z"}, {name: "mon-mar02", at: "2026-03-02T00:00:00Z"},
	}
	// Three protected backups (two manual, one pinned scheduled), four
	// candidates, one failed and one running backup.
	mixed := []gfsBackup{
		{name: "running", at: "2026-03-09T03:00:00Z", status: BackupInProgress},
		{name: "s4", at: "2026-03-09T02:00:00Z"}, {name: "manual2", at: "2026-03-08T12:00:00Z", kind: BackupManual},
		{name: "s3", at: "2026-03-08T02:00:00Z"}, {name: "failed", at: "2026-03-07T12:00:00Z", status: BackupFailed},
		{name: "s2", at: "2026-03-07T02:00:00Z"}, {name: "pinned", at: "2026-03-06T12:00:00Z", pinned: true},
		{name: "s1", at: "2026-03-06T02:00:00Z"}, {name: "manual1", at: "2026-03-05T12:00:00Z", kind: BackupManual},
	}
	capped := func(p RetentionPolicy, n int64) RetentionPolicy { p.MaxTotalBytes = &n; return p }
	tests := []struct {
		name        string
		rows        []gfsBackup
		policy      RetentionPolicy
		prune       []string
		unreachable bool
	}{
		{"keepLast keeps the newest n", week, custom(3, 0, 0, 0, 0, 1), []string{"fri", "thu", "wed", "tue", "mon"}, false},
		{"daily keeps the newest of each of n days", week, custom(0, 3, 0, 0, 0, 1), []string{"sun", "thu", "wed", "tue", "mon"}, false},
		{"a week of dailies with daily 7 keeps one a day", week, custom(0, 7, 0, 0, 0, 1), []string{"sun"}, false},
		{"tiers are a union", week, custom(2, 3, 0, 0, 0, 1), []string{"thu", "wed", "tue", "mon"}, false},
		{"weekly 1 keeps the newest of the week", week, custom(0, 0, 1, 0, 0, 1), []string{"sun", "sat", "fri", "thu", "wed", "tue", "mon"}, false},
		{"monthly keeps the newest of each month", months, custom(0, 0, 0, 2, 0, 1), []string{"feb01", "jan31late", "jan30"}, false},
		{"month buckets are UTC", months, custom(0, 0, 0, 3, 0, 1), []string{"feb01", "jan30"}, false},
		{"ISO weeks start on Monday", isoWeek, custom(0, 0, 2, 0, 0, 1), []string{"mon-mar09", "mon-mar02"}, false},
		{"ISO week spanning new year", isoYear, custom(0, 0, 2, 0, 0, 1), []string{"mon-dec29"}, false},
		{"yearly is the calendar year", isoYear, custom(0, 0, 0, 0, 2, 1), []string{"sun-dec28"}, false},
		{"only completed scheduled unpinned are candidates", mixed, custom(0, 0, 0, 0, 0, 1), []string{"s4", "s3", "s2", "s1"}, false},
		{"protected backups count toward the floor", mixed, custom(0, 0, 0, 0, 0, 3), []string{"s4", "s3", "s2", "s1"}, false},
		{"the floor keeps the newest candidates", mixed, custom(0, 0, 0, 0, 0, 5), []string{"s2", "s1"}, false},
		{"a cap drops the oldest kept first", mixed, capped(custom(4, 0, 0, 0, 0, 1), 550), []string{"s2", "s1"}, false},
		{"a cap below the protected size prunes every candidate", mixed, capped(custom(4, 0, 0, 0, 0, 1), 250), []string{"s4", "s3", "s2", "s1"}, true},
		{"the floor wins over the cap", mixed, capped(custom(4, 0, 0, 0, 0, 5), 250), []string{"s2", "s1"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rot := selectRotation(tc.policy, gfsRows(t, tc.rows))
			if got := backupNames(rot.prune); !reflect.DeepEqual(got, tc.prune) {
				t.Errorf("prune = %q, want %q", got, tc.prune)
			}
			if rot.cappedButUnreachable != tc.unreachable {
				t.Errorf("cappedButUnreachable = %t", rot.cappedButUnreachable)
			}
			if rot.bytesFreed != int64(100*len(tc.prune)) {
				t.Errorf("bytesFreed = %d", rot.bytesFreed)
			}
			for _, b := range rot.keep {
				if b.Status != BackupCompleted {
					t.Errorf("keep lists %s (%s)", b.ID, b.Status)
				}
			}
		})
	}
}

// The contract's presets on 30 daily scheduled backups ending on Monday
// 2026-08-24: lean keeps keepLast 12 plus the newest of a fourth ISO week
// (2026-08-09), so 17 go; balanced keeps keepLast 24 plus July's newest
// (2026-07-31), so 5 go.
func TestGFSPresetsOnThirtyDailies(t *testing.T) {
	end := time.Date(2026, 8, 24, 2, 0, 0, 0, time.UTC)
	var rows []*Backup
	for i := 0; i < 30; i++ {
		rows = append(rows, &Backup{ID: end.AddDate(0, 0, -i).Format("01-02"), Type: BackupScheduled,
			Status: BackupCompleted, Size: 1000, CreatedAt: end.AddDate(0, 0, -i)})
	}
	lean := selectRotation(presets["lean"], rows)
	if len(lean.prune) != 17 || lean.prune[0].ID != "08-12" || lean.bytesFreed != 17000 {
		t.Errorf("lean prunes %q", backupNames(lean.prune))
	}
	for _, b := range lean.prune {
		if b.ID == "08-09" {
			t.Error("lean pruned the newest backup of ISO week 32")
		}
	}
	balanced := selectRotation(presets["balanced"], rows)
	if got := backupNames(balanced.prune); !reflect.DeepEqual(got, []string{"07-30", "07-29", "07-28", "07-27", "07-26"}) {
		t.Errorf("balanced prunes %q", got)
	}
}
