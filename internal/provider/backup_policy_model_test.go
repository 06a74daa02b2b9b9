package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

func TestPruneWarning(t *testing.T) {
	prune := []client.BackupRef{
		{ID: "b2", CreatedAt: "2026-08-12T02:00:00.000Z", Size: 372000 - 1000},
		{ID: "b1", CreatedAt: "2026-07-26T02:00:00.000Z", Size: 1000},
	}
	s := summarizePrune(prune)
	summary, detail := policyWrite.warning("db1", s, 0)
	if summary != `Backup policy deletes 2 existing backup(s) of database "db1"` {
		t.Errorf("summary = %q", summary)
	}
	want := "Applying this policy makes the platform delete 2 existing backup(s), freeing 372000 bytes (363.3 KiB); " +
		"the oldest is from 2026-07-26T02:00:00.000Z, the newest from 2026-08-12T02:00:00.000Z, at once and for good. " +
		"max_prune is 0, so the apply will refuse and change nothing; set max_prune = 2 to allow these deletions."
	if detail != want {
		t.Errorf("detail =\n%s\nwant\n%s", detail, want)
	}
	if _, detail := policyWrite.warning("db1", s, 2); !strings.HasSuffix(detail, "max_prune is 2, so the apply will delete them.") {
		t.Errorf("within max_prune: %s", detail)
	}
	one := summarizePrune(prune[:1])
	if _, detail := policyWrite.warning("db1", one, 5); !strings.Contains(detail, "freeing 371000 bytes (362.3 KiB); the backup is from 2026-08-12T02:00:00.000Z") {
		t.Errorf("single backup: %s", detail)
	}
	summary, detail = policyWrite.refuse("db1", s, 1)
	if summary != "Backup policy would delete more backups than max_prune allows" ||
		!strings.Contains(detail, "max_prune is 1, so nothing was changed. Set max_prune = 2 (or more)") {
		t.Errorf("refusal: %s / %s", summary, detail)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1024 bytes (1.0 KiB)",
		5 << 30: "5368709120 bytes (5.0 GiB)"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func policyModel(preset string, tiers ...int64) backupPolicyModel {
	m := backupPolicyModel{backupPolicyDataModel: backupPolicyDataModel{Preset: types.StringValue(preset), MaxTotalBytes: fwtypes.WholeNumberNull()}}
	for i, t := range policyTiers {
		v := fwtypes.WholeNumberNull()
		if i < len(tiers) {
			v = fwtypes.WholeNumberValue(tiers[i])
		}
		*t.model(&m) = v
	}
	return m
}

func TestValidatePolicyTiers(t *testing.T) {
	tests := []struct {
		name  string
		model backupPolicyModel
		want  []string // summaries
	}{
		{"named preset without tiers", policyModel("lean"), nil},
		{"named preset with its own values", policyModel("long_term", 24, 7, 4, 12, 3, 2), nil},
		{"named preset with another value", policyModel("lean", 12, 7, 4, 1), []string{"Tier differs from the preset"}},
		{"custom with all six", policyModel("custom", 0, 0, 0, 0, 0, 1), nil},
		{"custom missing two", policyModel("custom", 1, 1, 1, 1), []string{"Missing tier for a custom policy", "Missing tier for a custom policy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := validatePolicyTiers(tc.model)
			var got []string
			for _, d := range diags {
				got = append(got, d.Summary())
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	unknown := policyModel("lean")
	unknown.KeepLast = fwtypes.WholeNumber{Int64Value: types.Int64Unknown()}
	if diags := validatePolicyTiers(unknown); diags.HasError() {
		t.Errorf("unknown tier: %v", diags)
	}
}

// The PUT carries the whole policy; a null cap goes out as null.
func TestBackupPolicyToAPI(t *testing.T) {
	in := backupPolicyToAPI(policyModel("custom", 1, 2, 3, 4, 5, 6))
	want := client.BackupPolicyInput{Preset: "custom", KeepLast: 1, Daily: 2, Weekly: 3, Monthly: 4, Yearly: 5, MinFloor: 6}
	if in != want {
		t.Errorf("got %+v", in)
	}
	m := policyModel("lean", 12, 7, 4, 0, 0, 2)
	m.MaxTotalBytes = fwtypes.WholeNumberValue(10)
	if in := backupPolicyToAPI(m); in.MaxTotalBytes == nil || *in.MaxTotalBytes != 10 {
		t.Errorf("cap %v", in.MaxTotalBytes)
	}
	back := backupPolicyFromAPI("d", client.BackupPolicy{Preset: "lean", KeepLast: 12, Daily: 7, Weekly: 4, MinFloor: 2, Source: "override"}, fwtypes.WholeNumberNull())
	if !samePolicy(back, policyModel("lean", 12, 7, 4, 0, 0, 2)) || back.MaxPrune.ValueInt64() != 0 || back.ID.ValueString() != "d" {
		t.Errorf("from API: %+v", back)
	}
}

// A rotation that did what the preview said warns of nothing; one that
// deleted more, kept some or could not meet the size cap says so, in the
// words of whoever ran it.
func TestPrunerWarnOutcome(t *testing.T) {
	previewed := []client.BackupRef{{ID: "b1"}, {ID: "b2"}}
	var diags diag.Diagnostics
	retentionRun.warnOutcome("db1", previewed, &client.BackupRotation{Prune: []string{"b2", "b1"}}, &diags)
	if len(diags) != 0 {
		t.Errorf("a rotation as previewed warned: %v", diags)
	}

	rot := &client.BackupRotation{Prune: []string{"b1", "b3", "b4"}, CappedButUnreachable: true,
		Errors: []client.RotationError{{BackupID: "b2", Error: "ssh: no key"}}}
	for p, did := range map[pruner]string{
		retentionRun: `Applying the retention policy of database "db1"`,
		policyWrite:  `Writing the policy of database "db1"`,
	} {
		diags = nil
		p.warnOutcome("db1", previewed, rot, &diags)
		want := map[string]string{
			"The platform deleted backups the preview did not list": did + " deleted 2 backup(s) more than previewed",
			"The platform kept backups the policy deletes":          did + " left 1 backup(s) it does not keep",
			"The policy's size cap cannot be met":                   `The backups of database "db1" that the policy must keep`,
		}
		if len(diags) != len(want) {
			t.Errorf("%s: %d warnings, want %d: %v", did, len(diags), len(want), diags)
		}
		for _, d := range diags {
			if d.Severity() != diag.SeverityWarning || !strings.HasPrefix(d.Detail(), want[d.Summary()]) || want[d.Summary()] == "" {
				t.Errorf("%s: unexpected %s %q: %q", did, d.Severity(), d.Summary(), d.Detail())
			}
		}
		if !strings.Contains(diags[len(diags)-2].Detail(), "  - backup b2: ssh: no key") {
			t.Errorf("%s: the rotation's errors are not listed: %v", did, diags)
		}
	}
}
