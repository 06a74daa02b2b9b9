package simulator

import (
	"reflect"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

func TestSchedule(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) { o.Now = clock.Now })
	id := h.createDB(`{"name":"sched","type":"postgres"}`)
	path := "/api/databases/" + id + "/schedule"
	day := jsTime(clock.Now().Add(24 * time.Hour))
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
		paths                    []string
		want                     map[string]any
	}{
		{name: "none yet", method: "GET", path: path, status: 200, want: map[string]any{"schedule": nil}},
		{name: "delete when none is fine", method: "DELETE", path: path, status: 200, want: map[string]any{"success": true}},
		{name: "defaults", method: "PUT", path: path, body: `{"cronExpression":"0 2 * * *"}`, status: 200, want: map[string]any{
			"schedule.databaseId": id, "schedule.cronExpression": "0 2 * * *", "schedule.retentionDays": float64(api.Platform.Schedule.Defaults.RetentionDays),
			"schedule.enabled": true, "schedule.lastRunAt": nil, "schedule.nextRunAt": day}},
		{name: "read back", method: "GET", path: path, status: 200, want: map[string]any{"schedule.cronExpression": "0 2 * * *"}},
		{name: "cron not checked", method: "PUT", path: path, body: `{"cronExpression":"not a cron","retentionDays":30}`, status: 200, want: map[string]any{
			"schedule.cronExpression": "not a cron", "schedule.retentionDays": 30.0}},
		{name: "replace resets omitted fields to defaults", method: "PUT", path: path, body: `{"cronExpression":"0 * * * *"}`, status: 200, want: map[string]any{
			"schedule.retentionDays": float64(api.Platform.Schedule.Defaults.RetentionDays), "schedule.nextRunAt": jsTime(clock.Now().Add(time.Hour))}},
		{name: "disabled has no next run", method: "PUT", path: path, body: `{"cronExpression":"0 2 * * *","enabled":false}`, status: 200, want: map[string]any{
			"schedule.enabled": false, "schedule.nextRunAt": nil}},
		{name: "cron required", method: "PUT", path: path, body: `{"retentionDays":7}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"cronExpression"}},
		{name: "cron not empty", method: "PUT", path: path, body: `{"cronExpression":""}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"cronExpression"}},
		{name: "retention 0", method: "PUT", path: path, body: `{"cronExpression":"x","retentionDays":0}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"retentionDays"}},
		{name: "retention 366", method: "PUT", path: path, body: `{"cronExpression":"x","retentionDays":366}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"retentionDays"}},
		{name: "retention bounds", method: "PUT", path: path, body: `{"cronExpression":"x","retentionDays":365}`, status: 200, want: map[string]any{"schedule.retentionDays": 365.0}},
		{name: "enabled must be boolean", method: "PUT", path: path, body: `{"cronExpression":"x","enabled":"yes"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"enabled"}},
		{name: "unknown database PUT", method: "PUT", path: "/api/databases/nope/schedule", body: `{"cronExpression":"x"}`, status: 404, code: "NOT_FOUND"},
		{name: "validation before the database lookup", method: "PUT", path: "/api/databases/nope/schedule", body: `{}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"cronExpression"}},
		{name: "unknown database GET", method: "GET", path: "/api/databases/nope/schedule", status: 404, code: "NOT_FOUND"},
		{name: "unknown database DELETE", method: "DELETE", path: "/api/databases/nope/schedule", status: 404, code: "NOT_FOUND"},
		{name: "delete", method: "DELETE", path: path, status: 200, want: map[string]any{"success": true}},
		{name: "gone", method: "GET", path: path, status: 200, want: map[string]any{"schedule": nil}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			res := h.mustCall(tc.method, tc.path, operatorTok, body)
			if tc.status != 200 {
				res.expectError(t, tc.status, tc.code, "")
				if tc.paths != nil && !reflect.DeepEqual(res.detailPaths(), tc.paths) {
					t.Errorf("paths = %q", res.detailPaths())
				}
				return
			}
			res.expectOK(t)
			res.expectFields(t, tc.want)
			if sc, isMap := res.at("schedule").(map[string]any); isMap {
				// The platform's schedule body has exactly the recorded keys.
				if keys, want := keysOf(sc), keysOf(fixtureBody(t, api.FixtureSchedule)["schedule"]); !reflect.DeepEqual(keys, want) {
					t.Errorf("schedule keys = %q, want %q", keys, want)
				}
			}
		})
	}
}

// A manual backup, through the API or the Go helper, is no run of the
// schedule: the platform moves lastRunAt only when its scheduler runs it.
func TestManualBackupLeavesTheScheduleAlone(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) { o.Now = clock.Now })
	id := h.createDB(`{"name":"sched","type":"postgres"}`)
	path := "/api/databases/" + id + "/schedule"
	h.mustCall("PUT", path, operatorTok, `{"cronExpression":"0 2 * * *"}`).expectOK(t)
	next := jsTime(clock.Now().Add(24 * time.Hour))
	clock.Advance(time.Hour)
	h.mustCall("POST", "/api/databases/"+id+"/backups", operatorTok, nil).expectOK(t)
	if _, err := h.sim.AddBackup(id); err != nil {
		t.Fatal(err)
	}
	h.mustCall("GET", path, operatorTok, nil).expectFields(t, map[string]any{
		"schedule.lastRunAt": nil, "schedule.nextRunAt": next})
}

// RunScheduler is one tick of the platform's scheduler: a schedule that
// never ran is due whatever its cron says, a run moves lastRunAt and
// nextRunAt, and the scheduled backup blocks deleting the database.
func TestRunScheduler(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) { o.Now = clock.Now })
	id := h.createDB(`{"name":"sched","type":"postgres","username":"u","password":"p","databaseName":"d"}`)
	idle := h.createDB(`{"name":"idle","type":"postgres"}`)
	path := "/api/databases/" + id + "/schedule"
	h.mustCall("PUT", path, operatorTok, `{"cronExpression":"0 2 * * *"}`).expectOK(t)
	h.mustCall("PUT", "/api/databases/"+idle+"/schedule", operatorTok, `{"cronExpression":"0 2 * * *","enabled":false}`).expectOK(t)

	clock.Advance(time.Minute)
	ran := h.sim.RunScheduler()
	if len(ran) != 1 {
		t.Fatalf("first tick ran %v, want the new enabled schedule only", ran)
	}
	h.mustCall("GET", path, operatorTok, nil).expectFields(t, map[string]any{
		"schedule.lastRunAt": jsTime(clock.Now()), "schedule.nextRunAt": jsTime(clock.Now().Add(24 * time.Hour))})
	list := h.mustCall("GET", "/api/databases/"+id+"/backups", operatorTok, nil)
	list.expectFields(t, map[string]any{"total": 1.0, "backups.0.id": ran[0], "backups.0.type": "scheduled",
		"backups.0.status": "in_progress", "backups.0.triggeredById": nil})
	h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).
		expectError(t, 400, "VALIDATION_ERROR", "Cannot delete database with existing backups. Delete backups first.")

	clock.Advance(time.Hour)
	if ran := h.sim.RunScheduler(); len(ran) != 0 {
		t.Fatalf("a tick before nextRunAt ran %v", ran)
	}
	clock.Advance(23 * time.Hour)
	if ran := h.sim.RunScheduler(); len(ran) != 1 {
		t.Fatalf("a tick at nextRunAt ran %v", ran)
	}
	if n := len(h.sim.Backups(idle)); n != 0 {
		t.Errorf("the disabled schedule ran %d times", n)
	}
	if _, ok := h.sim.Schedule(idle); !ok {
		t.Fatal("disabled schedule gone")
	}
}
