package simulator

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// The simulator reads its defaults, value sets and ranges from
// api.Platform. These tests check what it answers, not which variable it
// reads, so a rule typed into the simulator by hand (or a table entry it
// stops reading) fails here: every default on a create or PUT without the
// field, every enum value and a value outside it, and every range at its
// bounds and one past them.

// TestSimulatorFollowsThePlatform_databaseDefaults: a create naming only
// name and type stores api.Platform's defaults, and a built-in type name
// resolves to api's type.
func TestSimulatorFollowsThePlatform_databaseDefaults(t *testing.T) {
	h := newHarness(t)
	d := api.Platform.Database
	for _, ty := range d.Types {
		id := h.createDB(fmt.Sprintf(`{"name":"defaults-%s","type":%q}`, ty.Name, ty.Name))
		res := h.mustCall("GET", "/api/databases/"+id, viewerTok, nil)
		want := map[string]any{
			"backupStorageType":             d.Defaults.BackupStorageType,
			"backupFormat":                  d.Defaults.BackupFormat,
			"backupCompression":             d.Defaults.BackupCompression,
			"backupCompressionLevel":        float64(d.Defaults.BackupCompressionLevel),
			"pgDumpTimeoutMs":               float64(d.Defaults.PgDumpTimeoutMs),
			"useSsl":                        d.Defaults.UseSSL,
			"monitoringEnabled":             d.Defaults.MonitoringEnabled,
			"collectionIntervalSec":         float64(d.Defaults.CollectionIntervalSec),
			"databaseType.name":             ty.Name,
			"databaseType.displayName":      ty.DisplayName,
			"databaseType.hasBackupCommand": ty.HasBackupCommand,
		}
		for key, v := range want {
			if got := res.at(append([]string{"database"}, strings.Split(key, ".")...)...); got != v {
				t.Errorf("%s: %s = %v, api.Platform says %v", ty.Name, key, got, v)
			}
		}
	}
	id := h.createDB(`{"name":"defaults-custom","type":"cockroach"}`)
	if res := h.mustCall("GET", "/api/databases/"+id, viewerTok, nil); res.at("database", "databaseType") != nil {
		t.Errorf("a type api does not list must have a null databaseType: %s", res.raw)
	}
}

// TestSimulatorFollowsThePlatform_typeSettings: the settings list holds
// api's built-in types, with api's default ports, and a backup command
// exactly where api says the type has one.
func TestSimulatorFollowsThePlatform_typeSettings(t *testing.T) {
	h := newHarness(t)
	res := h.mustCall("GET", "/api/settings/database-types", adminTok, nil)
	listed, _ := res.at("databaseTypes").([]any)
	if len(listed) != len(api.Platform.Database.Types) {
		t.Fatalf("%d types listed, api.Platform has %d", len(listed), len(api.Platform.Database.Types))
	}
	for _, item := range listed {
		got := item.(map[string]any)
		name, _ := got["name"].(string)
		ty, ok := api.Platform.Database.Type(name)
		if !ok {
			t.Errorf("type %q is not one of api.Platform's", name)
			continue
		}
		var wantPort any
		if ty.DefaultPort != 0 {
			wantPort = float64(ty.DefaultPort)
		}
		if got["defaultPort"] != wantPort || got["displayName"] != ty.DisplayName || (got["backupCommand"] != nil) != ty.HasBackupCommand {
			t.Errorf("%s: defaultPort %v, displayName %v, backupCommand %v; api.Platform says %+v", name, got["defaultPort"],
				got["displayName"], got["backupCommand"], ty)
		}
	}
}

// TestSimulatorFollowsThePlatform_databaseValidation: create and PATCH
// accept exactly api's enums and ranges. The port has no server-side
// range (api's Port range is the provider's own).
func TestSimulatorFollowsThePlatform_databaseValidation(t *testing.T) {
	h := newHarness(t)
	d := api.Platform.Database
	id := h.createDB(`{"name":"rules","type":"postgres"}`)
	enums := map[string][]string{"backupStorageType": d.Enums.BackupStorageType, "backupFormat": d.Enums.BackupFormat,
		"backupCompression": d.Enums.BackupCompression}
	for field, values := range enums {
		for _, v := range values {
			expectPatch(t, h, id, field, strconv.Quote(v), true)
		}
		expectPatch(t, h, id, field, `"bogus"`, false)
	}
	ranges := map[string]api.Range{"backupCompressionLevel": d.Ranges.BackupCompressionLevel, "pgDumpTimeoutMs": d.Ranges.PgDumpTimeoutMs}
	for field, r := range ranges {
		expectRange(t, r, func(n int64, inside bool) { expectPatch(t, h, id, field, strconv.FormatInt(n, 10), inside) })
		create := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok,
			fmt.Sprintf(`{"name":"rules-%s","type":"postgres",%q:%d}`, field, field, r.Max+1))
		if create.status != 400 {
			t.Errorf("create with %s = %d: %d, want 400", field, r.Max+1, create.status)
		}
	}
	for _, port := range []int64{d.Ranges.Port.Min - 1, d.Ranges.Port.Max + 1} {
		expectPatch(t, h, id, "port", strconv.FormatInt(port, 10), true)
	}
}

// TestSimulatorFollowsThePlatform_lists: a page without ?limit holds
// api's database list limit.
func TestSimulatorFollowsThePlatform_lists(t *testing.T) {
	h := newHarness(t)
	n := int(api.Platform.Database.ListLimit)
	for i := 0; i <= n; i++ {
		h.createDB(fmt.Sprintf(`{"name":"page-%03d","type":"redis"}`, i))
	}
	res := h.mustCall("GET", "/api/environments/"+h.env+"/databases", viewerTok, nil)
	if got, _ := res.at("databases").([]any); len(got) != n || res.at("total") != float64(n+1) {
		t.Errorf("default page holds %d of %v, api.Platform says %d", len(got), res.at("total"), n)
	}
}

// TestSimulatorFollowsThePlatform_schedule: PUT defaults and the
// retention range.
func TestSimulatorFollowsThePlatform_schedule(t *testing.T) {
	h := newHarness(t)
	s := api.Platform.Schedule
	path := "/api/databases/" + h.createDB(`{"name":"sched-rules","type":"postgres"}`) + "/schedule"
	res := h.mustCall("PUT", path, operatorTok, `{"cronExpression":"0 2 * * *"}`)
	if res.at("schedule", "retentionDays") != float64(s.Defaults.RetentionDays) || res.at("schedule", "enabled") != s.Defaults.Enabled {
		t.Errorf("PUT without retentionDays and enabled: %s; api.Platform says %d and %t", res.raw, s.Defaults.RetentionDays, s.Defaults.Enabled)
	}
	expectRange(t, s.Ranges.RetentionDays, func(n int64, inside bool) {
		res := h.mustCall("PUT", path, operatorTok, fmt.Sprintf(`{"cronExpression":"x","retentionDays":%d}`, n))
		if (res.status == 200) != inside {
			t.Errorf("retentionDays %d: %d %s (inside api's range: %t)", n, res.status, res.raw, inside)
		}
	})
}

// TestSimulatorFollowsThePlatform_policy: a fresh database inherits the
// global preset, each named preset stores api's tiers, and custom tiers
// are checked against api's ranges.
func TestSimulatorFollowsThePlatform_policy(t *testing.T) {
	h := newHarness(t)
	p := api.Platform.Policy
	path := "/api/databases/" + h.createDB(`{"name":"policy-rules","type":"postgres"}`) + "/backup-policy"
	res := h.mustCall("GET", path, viewerTok, nil)
	global, _ := p.Preset(p.GlobalDefault)
	expectTiers(t, "inherited", res, "effective", global)
	for _, preset := range p.Presets {
		// Tiers sent with a named preset are ignored: the preset's are stored.
		res := h.mustCall("PUT", path, operatorTok, fmt.Sprintf(
			`{"preset":%q,"keepLast":1,"daily":1,"weekly":1,"monthly":1,"yearly":1,"minFloor":1,"confirm":true}`, preset.Name))
		expectTiers(t, preset.Name, res, "override", preset)
	}
	for _, name := range p.PresetNames {
		if _, named := p.Preset(name); !named && name != "custom" {
			t.Errorf("preset %s has no tiers in api.Platform", name)
		}
	}
	for _, tier := range policyTiers {
		expectRange(t, tier.bounds, func(n int64, inside bool) {
			body := fmt.Sprintf(`{"preset":"custom","keepLast":1,"daily":1,"weekly":1,"monthly":1,"yearly":1,"minFloor":1,%q:%d,"confirm":true}`, tier.key, n)
			if res := h.mustCall("PUT", path, operatorTok, body); (res.status == 200) != inside {
				t.Errorf("%s %d: %d %s (inside api's range: %t)", tier.key, n, res.status, res.raw, inside)
			}
		})
	}
	if res := h.mustCall("PUT", path, operatorTok, `{"preset":"bogus","keepLast":1,"daily":1,"weekly":1,"monthly":1,"yearly":1,"minFloor":1}`); res.status != 400 {
		t.Errorf("unknown preset: %d", res.status)
	}
}

// TestSimulatorFollowsThePlatform_monitoring: a new database reports
// api's fresh status, and the monitoring route checks no interval range
// (the provider's 60–86400 is its own).
func TestSimulatorFollowsThePlatform_monitoring(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"mon-rules","type":"postgres"}`)
	res := h.mustCall("GET", "/api/environments/"+h.env+"/databases/monitoring-summary", viewerTok, nil)
	if got := res.str("databases", "0", "monitoringStatus"); got != api.Platform.Monitoring.FreshStatus {
		t.Errorf("fresh status %q, api.Platform says %q", got, api.Platform.Monitoring.FreshStatus)
	}
	for _, n := range []int{0, 59, 86401} {
		res := h.mustCall("PATCH", "/api/environments/"+h.env+"/databases/"+id+"/monitoring", operatorTok, fmt.Sprintf(`{"collectionIntervalSec":%d}`, n))
		if res.status != 200 {
			t.Errorf("interval %d: %d %s, but the platform checks no range", n, res.status, res.raw)
		}
	}
	for _, status := range api.Platform.Monitoring.Statuses {
		if err := h.sim.SetMonitoringStatus(id, status, nil, nil); err != nil {
			t.Errorf("status %s: %v", status, err)
		}
	}
	if err := h.sim.SetMonitoringStatus(id, "ok", nil, nil); err == nil {
		t.Error("SetMonitoringStatus took a status the platform never reports")
	}
}

// expectRange calls check with each bound (inside) and one past each
// (outside).
func expectRange(t *testing.T, r api.Range, check func(n int64, inside bool)) {
	t.Helper()
	for _, c := range []struct {
		n      int64
		inside bool
	}{{r.Min, true}, {r.Max, true}, {r.Min - 1, false}, {r.Max + 1, false}} {
		check(c.n, c.inside)
	}
}

func expectPatch(t *testing.T, h *harness, id, field, value string, accepted bool) {
	t.Helper()
	res := h.mustCall("PATCH", "/api/databases/"+id, operatorTok, fmt.Sprintf(`{%q:%s}`, field, value))
	var sent any
	_ = json.Unmarshal([]byte(value), &sent)
	if accepted && (res.status != 200 || res.at("database", field) != sent) {
		t.Errorf("%s = %s: %d %s, want it accepted and stored", field, value, res.status, res.raw)
	}
	if !accepted && (res.status != 400 || res.str("code") != api.CodeValidation) {
		t.Errorf("%s = %s: %d %s, want a 400 %s", field, value, res.status, res.raw, api.CodeValidation)
	}
}

func expectTiers(t *testing.T, what string, res result, key string, want api.PolicyPreset) {
	t.Helper()
	if got := res.str(key, "preset"); got != want.Name {
		t.Errorf("%s: %s.preset = %q, want %q", what, key, got, want.Name)
	}
	for _, tier := range policyTiers {
		if got := res.at(key, tier.key); got != float64(tier.preset(want)) {
			t.Errorf("%s: %s.%s = %v, api.Platform says %d (%s)", what, key, tier.key, got, tier.preset(want), res.raw)
		}
	}
}
