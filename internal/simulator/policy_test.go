package simulator

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const sixTiers = `"keepLast":1,"daily":0,"weekly":0,"monthly":0,"yearly":0,"minFloor":1`

// seedDailies seeds n completed scheduled backups, one a day at 02:00 UTC
// ending on Monday 2026-08-24, of 1000 bytes each; ids newest first.
func seedDailies(t *testing.T, h *harness, dbID string, n int) []string {
	t.Helper()
	end := time.Date(2026, 8, 24, 2, 0, 0, 0, time.UTC)
	var ids []string
	for i := 0; i < n; i++ {
		id, err := h.sim.SeedBackup(dbID, SeedBackup{CreatedAt: end.AddDate(0, 0, -i), Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestBackupPolicyDefaults(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"pol","type":"postgres"}`)
	res := h.mustCall("GET", "/api/databases/"+id+"/backup-policy", viewerTok, nil)
	res.expectOK(t)
	balanced := map[string]any{"keepLast": 24.0, "daily": 7.0, "weekly": 4.0, "monthly": 6.0, "yearly": 0.0, "minFloor": 2.0,
		"maxTotalBytes": nil, "preset": "balanced", "source": "inherited", "autoApplied": false}
	if !reflect.DeepEqual(res.at("effective"), balanced) || !reflect.DeepEqual(res.at("globalDefault"), balanced) {
		t.Errorf("fresh policy: %s", res.raw)
	}
	res.expectFields(t, map[string]any{"override": nil, "source": "inherited"})
}

func TestBackupPolicyValidation(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"pol","type":"postgres"}`)
	path := "/api/databases/" + id + "/backup-policy"
	tests := []struct {
		name, body string
		paths      []string
		messages   []string
	}{
		{"preset alone is not enough", `{"preset":"lean"}`,
			[]string{"keepLast", "daily", "weekly", "monthly", "yearly", "minFloor"},
			[]string{"Invalid input: expected number, received undefined"}},
		{"no body", ``, []string{""}, []string{"Invalid input: expected object, received undefined"}},
		{"below the minimum", `{"preset":"custom",` + strings.Replace(sixTiers, `"keepLast":1`, `"keepLast":-1`, 1) + `}`,
			[]string{"keepLast"}, []string{"Too small: expected number to be >=0"}},
		{"above the maximum", `{"preset":"custom",` + strings.Replace(sixTiers, `"keepLast":1`, `"keepLast":101`, 1) + `}`,
			[]string{"keepLast"}, []string{"Too big: expected number to be <=100"}},
		{"every bound at once", `{"preset":"custom","keepLast":0,"daily":367,"weekly":521,"monthly":241,"yearly":51,"minFloor":0}`,
			[]string{"daily", "weekly", "monthly", "yearly", "minFloor"},
			[]string{"Too big: expected number to be <=366", "Too big: expected number to be <=520", "Too big: expected number to be <=240",
				"Too big: expected number to be <=50", "Too small: expected number to be >=1"}},
		{"minFloor above 10", `{"preset":"custom",` + strings.Replace(sixTiers, `"minFloor":1`, `"minFloor":11`, 1) + `}`,
			[]string{"minFloor"}, []string{"Too big: expected number to be <=10"}},
		{"fractions", `{"preset":"custom",` + strings.Replace(sixTiers, `"keepLast":1`, `"keepLast":1.5`, 1) + `}`,
			[]string{"keepLast"}, []string{"Invalid input: expected int, received number"}},
		{"strings", `{"preset":"custom",` + strings.Replace(sixTiers, `"keepLast":1`, `"keepLast":"5"`, 1) + `}`,
			[]string{"keepLast"}, []string{"Invalid input: expected number, received string"}},
		{"bad preset", `{"preset":"forever",` + sixTiers + `}`,
			[]string{"preset"}, []string{`Invalid option: expected one of "lean"|"balanced"|"long_term"|"custom"`}},
		{"negative cap", `{"preset":"custom",` + sixTiers + `,"maxTotalBytes":-1}`,
			[]string{"maxTotalBytes"}, []string{"Too small: expected number to be >=0"}},
		{"cap beyond 2^53-1", `{"preset":"custom",` + sixTiers + `,"maxTotalBytes":9007199254740992}`,
			[]string{"maxTotalBytes"}, []string{"Too big: expected int to be <=9007199254740991"}},
		{"confirm must be boolean", `{"preset":"custom",` + sixTiers + `,"confirm":"yes"}`,
			[]string{"confirm"}, []string{"Invalid input: expected boolean, received string"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			res := h.mustCall("PUT", path, operatorTok, body)
			res.expectError(t, 400, "VALIDATION_ERROR", "Invalid input")
			if !reflect.DeepEqual(res.detailPaths(), tc.paths) {
				t.Errorf("paths = %q", res.detailPaths())
			}
			for i, d := range res.at("details").([]any) {
				want := tc.messages[min(i, len(tc.messages)-1)]
				if got := d.(map[string]any)["message"]; got != want {
					t.Errorf("details[%d].message = %q, want %q", i, got, want)
				}
			}
		})
	}
	t.Run("validation runs before the database lookup", func(t *testing.T) {
		h.mustCall("PUT", "/api/databases/nope/backup-policy", operatorTok, `{"preset":"lean"}`).expectError(t, 400, "VALIDATION_ERROR", "")
		h.mustCall("PUT", "/api/databases/nope/backup-policy", operatorTok, `{"preset":"lean",`+sixTiers+`}`).
			expectError(t, 404, "NOT_FOUND", "Database not found")
	})
	t.Run("malformed JSON is a 500", func(t *testing.T) {
		h.mustCall("PUT", path, operatorTok, `{"preset":`).expectError(t, 500, "INTERNAL", "Internal Server Error")
	})
	if h.sim.HasBackupPolicyOverride(id) {
		t.Error("a refused PUT stored a policy")
	}
}

func TestBackupPolicyPresetsAndReplace(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"pol","type":"postgres"}`)
	path := "/api/databases/" + id + "/backup-policy"

	// A named preset wins over the tiers sent; maxTotalBytes is kept.
	res := h.mustCall("PUT", path, operatorTok, `{"preset":"lean","keepLast":5,"daily":1,"weekly":1,"monthly":1,"yearly":1,"minFloor":9,"maxTotalBytes":1000,"bogus":1}`)
	res.expectOK(t)
	res.expectFields(t, map[string]any{"override.preset": "lean", "override.keepLast": 12.0, "override.daily": 7.0, "override.weekly": 4.0,
		"override.monthly": 0.0, "override.yearly": 0.0, "override.minFloor": 2.0, "override.maxTotalBytes": 1000.0,
		"override.inheritGlobal": false, "override.databaseId": id, "rotation.prune": []any{}, "rotation.bytesFreed": 0.0})
	if res.has("override", "bogus") {
		t.Error("unknown field stored")
	}
	get := h.mustCall("GET", path, viewerTok, nil)
	get.expectFields(t, map[string]any{"source": "override", "effective.source": "override", "effective.preset": "lean",
		"effective.maxTotalBytes": 1000.0, "override.keepLast": 12.0, "globalDefault.preset": "balanced"})

	for preset, tiers := range map[string][]float64{"balanced": {24, 7, 4, 6, 0, 2}, "long_term": {24, 7, 4, 12, 3, 2}} {
		res := h.mustCall("PUT", path, operatorTok, `{"preset":"`+preset+`",`+sixTiers+`}`)
		res.expectOK(t)
		for i, key := range []string{"keepLast", "daily", "weekly", "monthly", "yearly", "minFloor"} {
			if got := res.at("override", key); got != tiers[i] {
				t.Errorf("%s.%s = %v, want %v", preset, key, got, tiers[i])
			}
		}
		// The whole row is replaced: the cap sent earlier is gone.
		res.expectFields(t, map[string]any{"override.maxTotalBytes": nil})
	}

	res = h.mustCall("PUT", path, operatorTok, `{"preset":"custom","keepLast":3,"daily":2,"weekly":1,"monthly":0,"yearly":0,"minFloor":1,"maxTotalBytes":null}`)
	res.expectFields(t, map[string]any{"override.preset": "custom", "override.keepLast": 3.0, "override.daily": 2.0, "override.maxTotalBytes": nil})

	p, source, _ := h.sim.BackupPolicy(id)
	if source != "override" || p != (RetentionPolicy{Preset: "custom", KeepLast: 3, Daily: 2, Weekly: 1, MinFloor: 1}) {
		t.Errorf("BackupPolicy = %+v %s", p, source)
	}

	// DELETE reverts to the global default, and again says the same.
	for i := 0; i < 2; i++ {
		del := h.mustCall("DELETE", path, operatorTok, nil)
		del.expectOK(t)
		del.expectFields(t, map[string]any{"source": "inherited", "effective.preset": "balanced", "effective.keepLast": 24.0})
	}
	h.mustCall("GET", path, viewerTok, nil).expectFields(t, map[string]any{"override": nil, "source": "inherited"})
}

func TestBackupPolicyInheritGlobalQuirk(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"pol","type":"postgres"}`)
	path := "/api/databases/" + id + "/backup-policy"
	res := h.mustCall("PUT", path, operatorTok, `{"preset":"custom","keepLast":1,"daily":0,"weekly":0,"monthly":0,"yearly":0,"minFloor":1,"maxTotalBytes":5,"inheritGlobal":true}`)
	res.expectOK(t)
	res.expectFields(t, map[string]any{"override.inheritGlobal": true, "override.preset": "custom", "override.keepLast": 24.0,
		"override.monthly": 6.0, "override.maxTotalBytes": nil})
	get := h.mustCall("GET", path, viewerTok, nil)
	get.expectFields(t, map[string]any{"source": "inherited", "effective.source": "inherited", "override.inheritGlobal": true})
}

func TestBackupPolicyRoles(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"pol","type":"postgres"}`)
	path := "/api/databases/" + id + "/backup-policy"
	h.mustCall("PUT", path, viewerTok, `{"preset":"lean",`+sixTiers+`}`).expectError(t, 403, "FORBIDDEN_ROLE", "")
	h.mustCall("DELETE", path, viewerTok, nil).expectError(t, 403, "FORBIDDEN_ROLE", "")
	h.mustCall("POST", path+"/preview", viewerTok, `{"preset":"lean"}`).expectOK(t)
	h.mustCall("POST", "/api/databases/"+id+"/rotate", viewerTok, nil).expectError(t, 403, "FORBIDDEN_ROLE", "")
	h.mustCall("GET", path, scopedTok, nil).expectError(t, 403, "FORBIDDEN_SCOPE", "")
	for _, m := range []string{"GET", "DELETE"} {
		h.mustCall(m, "/api/databases/nope/backup-policy", operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Database not found")
	}
	h.mustCall("POST", "/api/databases/nope/backup-policy/preview", viewerTok, nil).expectError(t, 404, "NOT_FOUND", "Database not found")
}

func TestBackupPolicyPreview(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"pol","type":"postgres"}`)
	ids := seedDailies(t, h, id, 30)
	path := "/api/databases/" + id + "/backup-policy/preview"

	// A fresh database inherits "balanced": 5 of the 30 would go.
	res := h.mustCall("POST", path, viewerTok, nil)
	res.expectOK(t)
	res.expectFields(t, map[string]any{"policy.source": "inherited", "policy.preset": "balanced", "bytesFreed": 5000.0,
		"cappedButUnreachable": false, "prune.0.id": ids[25], "prune.0.size": 1000.0, "prune.0.createdAt": "2026-07-30T02:00:00.000Z"})
	if n := len(res.at("prune").([]any)); n != 5 {
		t.Errorf("prune %d", n)
	}
	if item := res.at("prune", "0").(map[string]any); len(item) != 4 || item["filename"] == "" {
		t.Errorf("prune item %v", item)
	}
	h.mustCall("POST", path, viewerTok, `{}`).expectFields(t, map[string]any{"policy.source": "override", "policy.keepLast": 24.0})
	h.mustCall("POST", path, viewerTok, `{"keepLast":1}`).expectFields(t, map[string]any{"policy.preset": "balanced", "policy.keepLast": 1.0})
	lean := h.mustCall("POST", path, viewerTok, `{"preset":"lean","keepLast":30,"confirm":true}`)
	lean.expectFields(t, map[string]any{"policy.preset": "lean", "policy.keepLast": 12.0, "bytesFreed": 17000.0})
	h.mustCall("POST", path, viewerTok, `{"keepLast":"x"}`).expectError(t, 400, "VALIDATION_ERROR", "Invalid input")
	if n := len(h.sim.Backups(id)); n != 30 {
		t.Errorf("preview deleted backups: %d left", n)
	}
}

func TestBackupPolicyConfirmation(t *testing.T) {
	h := newHarness(t)
	path := func(id string) string { return "/api/databases/" + id + "/backup-policy" }
	keepOne := `{"preset":"custom","keepLast":1,"daily":0,"weekly":0,"monthly":0,"yearly":0,"minFloor":1`

	t.Run("exactly 5 to prune needs no confirmation", func(t *testing.T) {
		id := h.createDB(`{"name":"five","type":"postgres"}`)
		ids := seedDailies(t, h, id, 6)
		res := h.mustCall("PUT", path(id), operatorTok, keepOne+`}`)
		res.expectOK(t)
		res.expectFields(t, map[string]any{"rotation.keep": []any{ids[0]}, "rotation.bytesFreed": 5000.0,
			"rotation.prune": []any{ids[1], ids[2], ids[3], ids[4], ids[5]}})
		if got := h.sim.Backups(id); len(got) != 1 || got[0].ID != ids[0] {
			t.Errorf("left %d backups", len(got))
		}
	})
	t.Run("more than 5 is a 409 without envelope and nothing is saved", func(t *testing.T) {
		id := h.createDB(`{"name":"six","type":"postgres"}`)
		seedDailies(t, h, id, 7)
		for _, body := range []string{keepOne + `}`, keepOne + `,"confirm":false}`} {
			res := h.mustCall("PUT", path(id), operatorTok, body)
			if res.status != 409 || res.has("code") || res.has("message") || res.has("requestId") {
				t.Fatalf("got %d %s", res.status, res.raw)
			}
			res.expectFields(t, map[string]any{"confirmationRequired": true, "preview.bytesFreed": 6000.0})
			if len(res.at("preview", "prune").([]any)) != 6 || len(res.at("preview", "keep").([]any)) != 1 {
				t.Errorf("preview %s", res.raw)
			}
		}
		if len(h.sim.Backups(id)) != 7 || h.sim.HasBackupPolicyOverride(id) {
			t.Error("a refused PUT changed something")
		}
		h.mustCall("PUT", path(id), operatorTok, keepOne+`,"confirm":true}`).expectOK(t)
		if len(h.sim.Backups(id)) != 1 {
			t.Error("confirmed PUT did not prune")
		}
	})
	t.Run("manual, pinned and failed rows are untouched", func(t *testing.T) {
		id := h.createDB(`{"name":"mixed","type":"postgres"}`)
		seedDailies(t, h, id, 30)
		at := time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC)
		for _, b := range []SeedBackup{{Kind: BackupManual}, {Kind: BackupManual}, {Pinned: true}, {Status: BackupFailed}, {Status: BackupFailed, Kind: BackupManual}} {
			b.CreatedAt = at
			if _, err := h.sim.SeedBackup(id, b); err != nil {
				t.Fatal(err)
			}
		}
		preview := h.mustCall("POST", path(id)+"/preview", operatorTok, `{"preset":"lean"}`)
		res := h.mustCall("PUT", path(id), operatorTok, `{"preset":"lean",`+sixTiers+`,"confirm":true}`)
		res.expectOK(t)
		var previewed []any
		for _, p := range preview.at("prune").([]any) {
			previewed = append(previewed, p.(map[string]any)["id"])
		}
		if !reflect.DeepEqual(res.at("rotation", "prune"), previewed) || len(previewed) != 17 {
			t.Errorf("pruned %v, previewed %v", res.at("rotation", "prune"), previewed)
		}
		list := h.mustCall("GET", "/api/databases/"+id+"/backups?limit=100", operatorTok, nil)
		list.expectFields(t, map[string]any{"total": 18.0})
	})
	t.Run("a remote server keeps the rows and records the rotation error", func(t *testing.T) {
		srv := h.sim.AddServer(h.env, "db-host")
		id := h.createDB(`{"name":"remote","type":"postgres","serverId":"` + srv + `"}`)
		seedDailies(t, h, id, 7)
		res := h.mustCall("PUT", path(id), operatorTok, keepOne+`,"confirm":true}`)
		res.expectOK(t)
		res.expectFields(t, map[string]any{"rotation.prune": []any{}, "rotation.bytesFreed": 0.0, "override.keepLast": 1.0})
		list := h.mustCall("GET", "/api/databases/"+id+"/backups", operatorTok, nil)
		list.expectFields(t, map[string]any{"total": 7.0, "backups.0.lastRotationError": nil,
			"backups.6.lastRotationError": "SSH key not configured for this environment"})
	})
}

func TestRotateHasNoDryRun(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"rot","type":"postgres"}`)
	ids := seedDailies(t, h, id, 30)
	res := h.mustCall("POST", "/api/databases/"+id+"/rotate?dryRun=true", operatorTok, `{"dryRun":true}`)
	res.expectOK(t)
	res.expectFields(t, map[string]any{"bytesFreed": 5000.0, "cappedButUnreachable": false})
	if len(h.sim.Backups(id)) != 25 || res.at("prune", "4") != ids[29] {
		t.Errorf("rotate: %s", res.raw)
	}
}

func TestSeedBackup(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"seed","type":"postgres"}`)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	errText := `{"message":"boom","step":"connect"}`
	if _, err := h.sim.SeedBackup(id, SeedBackup{CreatedAt: at, Size: 4242, Kind: BackupManual, Pinned: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.SeedBackup(id, SeedBackup{CreatedAt: at.Add(-time.Hour), Status: BackupFailed, Error: &errText}); err != nil {
		t.Fatal(err)
	}
	list := h.mustCall("GET", "/api/databases/"+id+"/backups", viewerTok, nil)
	list.expectFields(t, map[string]any{"total": 2.0,
		"backups.0.createdAt": "2026-01-02T03:04:05.000Z", "backups.0.completedAt": "2026-01-02T03:04:06.000Z",
		"backups.0.size": 4242.0, "backups.0.type": "manual", "backups.0.isPinned": true, "backups.0.status": "completed",
		"backups.0.progress": 100.0, "backups.0.duration": 1.0, "backups.0.lastRotationError": nil,
		"backups.1.type": "scheduled", "backups.1.status": "failed", "backups.1.size": 0.0, "backups.1.progress": 10.0,
		"backups.1.error": errText, "backups.1.isPinned": false, "backups.1.pinnedAt": nil})
	if list.str("backups", "0", "pinnedAt") == "" {
		t.Error("pinnedAt not set")
	}
	if _, err := h.sim.SeedBackup("nope", SeedBackup{}); !IsNotFound(err) {
		t.Errorf("unknown database: %v", err)
	}
}

func TestBackupPolicyGoHelpers(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"oob","type":"postgres"}`)
	seedDailies(t, h, id, 7)
	body := map[string]any{"preset": "custom", "keepLast": 1, "daily": 0, "weekly": 0, "monthly": 0, "yearly": 0, "minFloor": 1}
	if err := h.sim.PutBackupPolicy(id, body); err == nil || !strings.Contains(err.Error(), "409") {
		t.Fatalf("unconfirmed: %v", err)
	}
	body["confirm"] = true
	if err := h.sim.PutBackupPolicy(id, body); err != nil || len(h.sim.Backups(id)) != 1 {
		t.Fatalf("confirmed: %v", err)
	}
	if err := h.sim.PutBackupPolicy(id, map[string]any{"preset": "lean"}); err == nil {
		t.Fatal("invalid body accepted")
	}
	h.sim.DeleteBackupPolicy(id)
	if _, source, _ := h.sim.BackupPolicy(id); source != "inherited" {
		t.Errorf("source %s", source)
	}
}
