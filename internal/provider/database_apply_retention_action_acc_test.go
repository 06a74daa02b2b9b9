package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// applyRetentionAction is the action block, run by a terraform_data
// standing for a clean-up whose every new run applies the policy.
func (pt *policyTest) applyRetentionAction(provider string, maxPrune int, run string) string {
	return fmt.Sprintf(`
action "platform_database_apply_retention" "now" {
  %s
  config {
    database_id = %q
    max_prune   = %d
  }
}

resource "terraform_data" "cleanup" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.platform_database_apply_retention.now]
    }
  }
}
`, provider, pt.dbID, maxPrune, run)
}

// previewedPrune is what the platform's dry run of the database's current
// policy deletes, ids sorted.
func (pt *policyTest) previewedPrune() []string {
	pt.t.Helper()
	preview, err := pt.api.PreviewCurrentBackupPolicy(context.Background(), pt.dbID)
	if err != nil {
		pt.t.Fatal(err)
	}
	var ids []string
	for _, b := range preview.Prune {
		ids = append(ids, b.ID)
	}
	return ids
}

func (pt *policyTest) runActions(steps ...resource.TestStep) {
	pt.t.Helper()
	resource.Test(pt.t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   actionsCLI,
		Steps:                    steps,
	})
}

// The database inherits the platform's default policy, which would delete
// some of its 40 daily backups: with max_prune below that the action
// refuses and nothing goes; with max_prune at it exactly the previewed
// backups go.
func TestAccApplyRetentionAction_guardThenPrune(t *testing.T) {
	pt := newPolicyTest(t)
	all := pt.seedDailies(40)
	prune := pt.previewedPrune()
	if len(prune) < 2 {
		t.Fatalf("the default policy prunes %d of 40 dailies; the test needs some", len(prune))
	}
	pt.runActions(
		resource.TestStep{
			Config: pt.p.Config(pt.applyRetentionAction("", len(prune)-1, "r1")),
			ExpectError: errorText("Applying the retention policy would delete more backups than max_prune allows",
				fmt.Sprintf("The retention policy of database %q, applied now, deletes %d existing backup(s)", pt.dbID, len(prune)),
				fmt.Sprintf("max_prune is %d, so nothing was changed", len(prune)-1),
				fmt.Sprintf("Set max_prune = %d (or more)", len(prune))),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := len(pt.backupIDs()); n != len(all) {
					t.Fatalf("the refused action deleted backups: %d of %d left", n, len(all))
				}
			},
			Config: pt.p.Config(pt.applyRetentionAction("", len(prune), "r2")),
			PostApplyFunc: func() {
				left := map[string]bool{}
				for _, id := range pt.backupIDs() {
					left[id] = true
				}
				if len(left) != len(all)-len(prune) {
					t.Errorf("%d backups left, want %d", len(left), len(all)-len(prune))
				}
				for _, id := range prune {
					if left[id] {
						t.Errorf("previewed backup %s is still there", id)
					}
				}
			},
		},
	)
}

// A viewer may preview but not rotate: the platform's refusal, explained,
// and nothing deleted.
func TestAccApplyRetentionAction_viewerRefused(t *testing.T) {
	pt := newPolicyTest(t)
	all := pt.seedDailies(40)
	viewer := strings.Replace(pt.p.ProviderBlock(pt.p.ViewerToken()), `provider "platform" {`,
		"provider \"platform\" {\n  alias = \"viewer\"", 1)
	pt.runActions(
		resource.TestStep{
			Config: pt.p.Config(viewer + pt.applyRetentionAction("provider = platform.viewer", 100, "r1")),
			ExpectError: errorText(fmt.Sprintf("Could not apply the retention policy of database %q", pt.dbID), "403 FORBIDDEN_ROLE",
				"The token has the viewer role", "needs a token with the operator or admin role", "applying retention"),
		},
	)
	if n := len(pt.backupIDs()); n != len(all) {
		t.Errorf("a viewer's action deleted backups: %d of %d left", n, len(all))
	}
}

// With the real CLI: the plan of terraform apply -invoke says how many
// backups go before anything is deleted, and the invocation reports what
// it deleted.
func TestAccApplyRetentionAction_invoke(t *testing.T) {
	t.Parallel()
	pt := newPolicyTest(t)
	all := pt.seedDailies(40)
	prune := pt.previewedPrune()
	w := newCLIWorkspace(t, inProcess)
	w.skipUnlessActions()
	w.writeConfig(pt.p.Config(fmt.Sprintf(`
action "platform_database_apply_retention" "now" {
  config {
    database_id = %q
    max_prune   = %d
  }
}
`, pt.dbID, len(prune))))
	w.mustRun("init", "-input=false")
	invoke := "-invoke=action.platform_database_apply_retention.now"
	plan := w.mustRun("plan", "-input=false", invoke)
	warning := errorText(fmt.Sprintf("Applying the retention policy deletes %d existing backup(s) of database %q", len(prune), pt.dbID),
		"at once and for good", fmt.Sprintf("max_prune is %d, so the action will delete them", len(prune)))
	if !warning.MatchString(plan.output()) {
		t.Errorf("the plan does not say how many backups go:\n%s", plan)
	}
	if n := len(pt.backupIDs()); n != len(all) {
		t.Fatalf("planning deleted backups: %d of %d left", n, len(all))
	}
	res := w.mustRun("apply", "-auto-approve", "-input=false", invoke)
	if want := errorText(fmt.Sprintf("Deleted %d backup(s) of database %s", len(prune), pt.dbID)); !want.MatchString(res.output()) {
		t.Errorf("the invocation does not report what it deleted:\n%s", res)
	}
	if n := len(pt.backupIDs()); n != len(all)-len(prune) {
		t.Errorf("%d backups left, want %d", n, len(all)-len(prune))
	}

	// Run again: the policy keeps everything left, so nothing is rotated.
	pt.p.Sim.ResetRequests()
	res = w.mustRun("apply", "-auto-approve", "-input=false", invoke)
	if want := errorText(fmt.Sprintf("keeps all %d backup(s); nothing to delete", len(all)-len(prune))); !want.MatchString(res.output()) {
		t.Errorf("the second invocation does not say there is nothing to delete:\n%s", res)
	}
	if n := pt.p.Sim.Requests()["POST /api/databases/{id}/rotate"]; n != 0 {
		t.Errorf("%d rotations with nothing to delete", n)
	}
}
