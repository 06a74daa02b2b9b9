package simulator

import (
	"fmt"
	"reflect"
	"testing"
)

func names(res result) []string {
	out := []string{}
	for _, d := range res.body["databases"].([]any) {
		out = append(out, d.(map[string]any)["name"].(string))
	}
	return out
}

func seq(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s%02d", prefix, i))
	}
	return out
}

// TestListDatabasesPagination covers every pagination rule of the contract
// on 30 databases created out of order.
func TestListDatabasesPagination(t *testing.T) {
	h := newHarness(t)
	for i := 30; i >= 1; i-- {
		h.createDB(fmt.Sprintf(`{"name":"db%02d","type":"postgres"}`, i))
	}
	cases := []struct {
		name   string
		query  string
		status int
		want   []string
	}{
		{"default limit is 25, sorted by name", "", 200, seq("db", 1, 25)},
		{"no upper cap", "?limit=1000", 200, seq("db", 1, 30)},
		{"limit 0 is an empty page", "?limit=0", 200, []string{}},
		{"negative limit counts from the end", "?limit=-1", 200, []string{"db30"}},
		{"negative limit with offset", "?limit=-2&offset=1", 200, []string{"db28", "db29"}},
		{"offset", "?limit=2&offset=5", 200, []string{"db06", "db07"}},
		{"offset past the end", "?offset=40", 200, []string{}},
		{"parseInt stops at the first non-digit", "?limit=2abc", 200, []string{"db01", "db02"}},
		{"fractional limit truncated", "?limit=1.9", 200, []string{"db01"}},
		{"empty limit means default", "?limit=", 200, seq("db", 1, 25)},
		{"repeated limit is ignored", "?limit=1&limit=2", 200, seq("db", 1, 25)},
		{"huge limit", "?limit=9223372036854775807&offset=29", 200, []string{"db30"}},
		{"huge negative limit", "?limit=-9223372036854775807", 200, seq("db", 1, 30)},
		{"limit beyond 64 bits is 500", "?limit=99999999999999999999", 500, nil},
		{"non-numeric limit is 500", "?limit=abc", 500, nil},
		{"non-numeric offset is 500", "?offset=x", 500, nil},
		{"negative offset is 500", "?offset=-1", 500, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.mustCall("GET", "/api/environments/"+h.env+"/databases"+tc.query, viewerTok, nil)
			if tc.status != 200 {
				res.expectError(t, tc.status, "INTERNAL", "Internal Server Error")
				return
			}
			res.expectOK(t)
			if got := names(res); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("names = %v, want %v", got, tc.want)
			}
			if res.at("total") != 30.0 {
				t.Errorf("total = %v, want 30", res.at("total"))
			}
		})
	}
}

func TestListDatabasesItems(t *testing.T) {
	h := newHarness(t)
	a := h.createDB(`{"name":"a","type":"postgres","username":"u","password":"p"}`)
	h.createDB(`{"name":"b","type":"postgres"}`)
	h.createDB(`{"name":"elsewhere","type":"postgres"}`) // same env; other env below
	h.mustCall("POST", "/api/environments/"+h.other+"/databases", operatorTok, `{"name":"zz","type":"mysql"}`).expectOK(t)
	h.mustCall("PUT", "/api/databases/"+a+"/schedule", operatorTok, `{"cronExpression":"0 2 * * *"}`).expectOK(t)
	if ran := h.sim.RunScheduler(); len(ran) != 1 { // the schedule's run times come from its run
		t.Fatalf("scheduler ran %v", ran)
	}
	first, _ := h.sim.AddBackup(a)
	last := h.mustCall("POST", "/api/databases/"+a+"/backups", operatorTok, nil).str("backupId")

	res := h.mustCall("GET", "/api/environments/"+h.env+"/databases", viewerTok, nil)
	res.expectOK(t)
	if got := names(res); !reflect.DeepEqual(got, []string{"a", "b", "elsewhere"}) {
		t.Fatalf("names = %v", got)
	}
	res.expectFields(t, map[string]any{
		"total":                               3.0,
		"databases.0.lastBackup.id":           last,
		"databases.0.lastBackup.status":       "in_progress", // just started: backups run asynchronously
		"databases.0.lastBackup.type":         "manual",
		"databases.0.lastBackup.error":        nil,
		"databases.0._count.backups":          3.0,
		"databases.0.schedule.enabled":        true,
		"databases.0.schedule.cronExpression": "0 2 * * *",
		"databases.0.hasCredentials":          true,
		"databases.1.lastBackup":              nil,
		"databases.1.schedule":                nil,
	})
	if first == last || res.str("databases", "0", "schedule", "lastRunAt") == "" || res.str("databases", "0", "schedule", "nextRunAt") == "" {
		t.Errorf("schedule summary: %v", res.at("databases", "0", "schedule"))
	}
	if res.has("databases", "0", "username") || res.has("databases", "0", "password") {
		t.Errorf("credentials leaked")
	}
}

func TestListDatabasesUnknownEnvironmentIsEmpty(t *testing.T) {
	h := newHarness(t)
	res := h.mustCall("GET", "/api/environments/cnosuchenv0000000000000000/databases", operatorTok, nil)
	res.expectOK(t)
	if string(res.raw) != `{"databases":[],"total":0}` {
		t.Fatalf("body = %s", res.raw)
	}
}
