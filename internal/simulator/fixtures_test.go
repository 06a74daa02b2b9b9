package simulator

import (
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// The recorded bodies of internal/api/testdata are the same ones the
// client's tests decode, so the simulator is held to the shape the client
// is written against.

// opaqueKeys hold values the platform chooses (ids, times): compared by
// presence only.
var opaqueKeys = map[string]bool{"id": true, "databaseTypeId": true, "environmentId": true, "databaseId": true,
	"createdAt": true, "updatedAt": true, "completedAt": true, "lastRunAt": true, "nextRunAt": true, "requestId": true}

// fixtureBody decodes a recorded body.
func fixtureBody(t *testing.T, name string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(api.Fixture(name), &v); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return v
}

// withoutOpaque replaces every opaque value (at any depth) by a marker,
// keeping null apart from set.
func withoutOpaque(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			if opaqueKeys[k] && val != nil {
				out[k] = "<opaque>"
				continue
			}
			out[k] = withoutOpaque(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = withoutOpaque(val)
		}
		return out
	}
	return v
}

func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestFixtureDatabase: a database created with the recorded database's
// settings reads back as exactly the recorded body, ids and times aside.
func TestFixtureDatabase(t *testing.T) {
	h := newHarness(t)
	want := fixtureBody(t, api.FixtureDatabase)
	rec := want["database"].(map[string]any)
	create := map[string]any{"username": "app", "password": "s3cret"}
	for _, k := range []string{"name", "type", "host", "port", "databaseName", "useSsl", "backupStorageType", "backupLocalPath",
		"backupFormat", "backupCompression", "backupCompressionLevel", "pgDumpOptions", "pgDumpTimeoutMs"} {
		create[k] = rec[k]
	}
	id := h.createDB(mustJSON(t, create))
	got := h.mustCall("GET", "/api/databases/"+id, viewerTok, nil)
	if g, w := withoutOpaque(got.body), withoutOpaque(want); !reflect.DeepEqual(g, w) {
		t.Errorf("GET differs from the recorded database:\n got %s\nwant %s", pretty(g), pretty(w))
	}
}

// TestFixtureDatabaseList: list items carry the recorded item's keys,
// lastBackup and schedule included, with the recorded nested keys.
func TestFixtureDatabaseList(t *testing.T) {
	h := newHarness(t)
	want := fixtureBody(t, api.FixtureDatabaseList)
	items := want["databases"].([]any)
	withBoth, withNone := items[0].(map[string]any), items[1].(map[string]any)

	a := h.createDB(`{"name":"a","type":"postgres"}`)
	h.createDB(`{"name":"b","type":"redis"}`)
	if _, err := h.sim.AddBackup(a); err != nil {
		t.Fatal(err)
	}
	h.mustCall("PUT", "/api/databases/"+a+"/schedule", operatorTok, `{"cronExpression":"0 2 * * *"}`).expectOK(t)
	got := h.mustCall("GET", "/api/environments/"+h.env+"/databases", viewerTok, nil)
	if !reflect.DeepEqual(keysOf(got.body), keysOf(want)) {
		t.Errorf("page keys %q, recorded %q", keysOf(got.body), keysOf(want))
	}
	gotItems, _ := got.at("databases").([]any)
	if len(gotItems) != 2 {
		t.Fatalf("list: %s", got.raw)
	}
	first, second := gotItems[0].(map[string]any), gotItems[1].(map[string]any)
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"item", first, withBoth}, {"item without backups", second, withNone},
		{"lastBackup", first["lastBackup"], withBoth["lastBackup"]}, {"schedule", first["schedule"], withBoth["schedule"]},
	} {
		if g, w := keysOf(c.got), keysOf(c.want); !reflect.DeepEqual(g, w) {
			t.Errorf("%s keys %q, recorded %q", c.what, g, w)
		}
	}
	if second["lastBackup"] != nil || second["schedule"] != nil {
		t.Errorf("without backups or schedule both are null: %v", second)
	}
}

// TestFixtureSchedule: PUT and GET answer the recorded schedule body.
func TestFixtureSchedule(t *testing.T) {
	h := newHarness(t)
	want := withoutOpaque(fixtureBody(t, api.FixtureSchedule))
	rec := fixtureBody(t, api.FixtureSchedule)["schedule"].(map[string]any)
	path := "/api/databases/" + h.createDB(`{"name":"sched-fixture","type":"postgres"}`) + "/schedule"
	body := mustJSON(t, map[string]any{"cronExpression": rec["cronExpression"], "retentionDays": rec["retentionDays"], "enabled": rec["enabled"]})
	for _, res := range []result{h.mustCall("PUT", path, operatorTok, body), h.mustCall("GET", path, viewerTok, nil)} {
		if got := withoutOpaque(res.body); !reflect.DeepEqual(got, want) {
			t.Errorf("schedule differs from the recorded one:\n got %s\nwant %s", pretty(got), pretty(want))
		}
	}
}

// TestFixtureErrors: the recorded validation and rate-limit envelopes are
// what the simulator answers for the same mistakes.
func TestFixtureErrors(t *testing.T) {
	h := newHarness(t)
	// The recorded 400 is a create without a name and with an unknown format.
	res := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, `{"type":"postgres","backupFormat":"zip"}`)
	want := withoutOpaque(fixtureBody(t, api.FixtureErrorValidation))
	if got := withoutOpaque(res.body); res.status != 400 || !reflect.DeepEqual(got, want) {
		t.Errorf("validation error %d:\n got %s\nwant %s", res.status, pretty(got), pretty(want))
	}

	h.sim.SetRateLimit(1, 0)
	h.mustCall("GET", "/api/auth/me", viewerTok, nil)
	res = h.mustCall("GET", "/api/auth/me", viewerTok, nil)
	// The seconds left depend on the clock: compare the wording around them.
	digits := regexp.MustCompile(`\d+`)
	normalise := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			if s, ok := v.(string); ok && k != "code" {
				v = digits.ReplaceAllString(s, "N")
			}
			if k != "requestId" {
				out[k] = v
			}
		}
		return out
	}
	if got, want := normalise(res.body), normalise(fixtureBody(t, api.FixtureErrorRateLimited)); res.status != 429 || !reflect.DeepEqual(got, want) {
		t.Errorf("rate limited %d:\n got %v\nwant %v", res.status, got, want)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
