package provider_test

import (
	"fmt"
	"strings"
	"testing"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

const previewRoute = "POST /api/databases/{id}/backup-policy/preview"

// Warnings are not visible to resource.Test's plan checks, so the plan's
// prune warning is read from the CLI's own output: it names the count, the
// bytes and the dates, and costs one preview per changed policy and none
// for an unchanged one.
func TestAccBackupPolicy_planWarning(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, seededDailies)
	w := newCLIWorkspace(t, inProcess)
	pt := newPolicyTest(t)
	pt.seedDailies(30)
	provider := fmt.Sprintf("provider \"platform\" {\n  endpoint = %q\n  token    = %q\n}\n", pt.p.URL, platformacc.OperatorToken)
	policy := func(body string) string {
		return provider + fmt.Sprintf("resource \"platform_database_backup_policy\" \"test\" {\n  database_id = %q\n%s\n}\n", pt.dbID, body)
	}
	w.writeConfig(policy("  preset    = \"lean\"\n  max_prune = 20"))
	w.mustRun("init", "-input=false")

	pt.p.Sim.ResetRequests()
	res := w.plan()
	want := errorText(`Warning: Backup policy deletes 17 existing backup(s) of database "`+pt.dbID+`"`,
		`delete 17 existing backup(s), freeing 17000 bytes (16.6 KiB); the oldest is from 2026-07-26T02:00:00.000Z, the newest from 2026-08-12T02:00:00.000Z`,
		`max_prune is 20, so the apply will delete them.`)
	if res.code != 2 || !want.MatchString(res.output()) {
		t.Fatalf("the plan does not warn about the deletions:\n%s", res)
	}
	if n := pt.p.Sim.Requests()[previewRoute]; n != 1 {
		t.Errorf("%d previews for one changed policy", n)
	}
	if n := len(pt.p.Sim.Backups(pt.dbID)); n != 30 {
		t.Fatalf("the plan deleted backups: %d left", n)
	}

	w.apply()
	if n := len(pt.p.Sim.Backups(pt.dbID)); n != 13 {
		t.Errorf("%d backups left after apply, want 13", n)
	}
	pt.p.Sim.ResetRequests()
	res = w.plan()
	if res.code != 0 || strings.Contains(res.output(), "Warning: Backup policy deletes") {
		t.Errorf("unchanged policy plans or warns:\n%s", res)
	}
	if n := pt.p.Sim.Requests()[previewRoute]; n != 0 {
		t.Errorf("%d previews for an unchanged policy", n)
	}

	// Above max_prune the plan already says the apply will refuse.
	w.writeConfig(policy("  preset = \"custom\"\n  keep_last = 1\n  daily = 0\n  weekly = 0\n  monthly = 0\n  yearly = 0\n  min_floor = 1"))
	res = w.plan()
	want = errorText(`Warning: Backup policy deletes 12 existing backup(s)`,
		`max_prune is 0, so the apply will refuse and change nothing; set max_prune = 12 to allow these deletions.`)
	if res.code != 2 || !want.MatchString(res.output()) {
		t.Fatalf("the plan does not say the apply will refuse:\n%s", res)
	}
	w.mustRun("destroy", "-auto-approve", "-input=false")
	if err := pt.checkDestroy(nil); err != nil {
		t.Error(err)
	}
}

// retention_days still works unchanged but says it no longer retains.
func TestAccBackupSchedule_retentionDaysDeprecated(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, inProcess)
	pt := newPolicyTest(t)
	w.writeConfig(fmt.Sprintf(`
provider "platform" {
  endpoint = %q
  token    = %q
}

resource "platform_database_backup_schedule" "test" {
  database_id     = %q
  cron_expression = "0 2 * * *"
  retention_days  = 30
}
`, pt.p.URL, pt.p.OperatorToken(), pt.dbID))
	w.mustRun("init", "-input=false")
	res := w.plan()
	want := errorText(`Attribute Deprecated`, `retention_days no longer keeps or deletes backups`, `platform_database_backup_policy`)
	if res.code != 2 || !want.MatchString(res.output()) {
		t.Fatalf("no deprecation warning:\n%s", res)
	}
	w.apply()
	w.expectEmptyPlan()
	if sc, ok := pt.p.State.Schedule(pt.dbID); !ok || sc.RetentionDays != 30 {
		t.Errorf("schedule %+v", sc)
	}
	w.mustRun("destroy", "-auto-approve", "-input=false")
	if _, ok := pt.p.State.Schedule(pt.dbID); ok {
		t.Error("schedule left after destroy")
	}
}
