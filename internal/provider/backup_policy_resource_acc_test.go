package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const policyAddr = "platform_database_backup_policy.test"

// policyTest is a database made outside Terraform (so its backups never
// block a destroy) whose retention policy the test manages.
type policyTest struct {
	t    *testing.T
	p    *platformacc.Platform
	api  *client.Client
	dbID string
}

func newPolicyTest(t *testing.T) *policyTest {
	t.Helper()
	p := platformacc.NewPlatform(t)
	p.RequireRelease(t, api.FeatureRetentionPolicies)
	c := apiClient(t, p)
	db := outOfBand(t, c, p.EnvID(t, platformacc.DefaultEnvironment),
		client.DatabaseInput{Name: ptrTo(acctest.RandomWithPrefix("tf-acc-policy")), Type: ptrTo("postgres")})
	return &policyTest{t: t, p: p, api: c, dbID: db.ID}
}

func (pt *policyTest) config(body string) string {
	return pt.p.Config(fmt.Sprintf(`
resource "platform_database_backup_policy" "test" {
  database_id = %q
%s
}
`, pt.dbID, body))
}

// checkDestroy: destroying the resource reverted the database to the
// global default.
func (pt *policyTest) checkDestroy(*terraform.State) error {
	if pt.p.State.HasBackupPolicyOverride(pt.dbID) {
		return fmt.Errorf("database %s still has its own backup policy after destroy", pt.dbID)
	}
	_, source, _ := pt.p.State.BackupPolicy(pt.dbID)
	return expectEq("policy source", source, "inherited")
}

func (pt *policyTest) run(steps ...resource.TestStep) {
	pt.t.Helper()
	resource.Test(pt.t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             pt.checkDestroy,
		Steps:                    steps,
	})
}

// stored asserts the platform's effective policy of the database.
func (pt *policyTest) stored(want simulator.RetentionPolicy) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, source, _ := pt.p.State.BackupPolicy(pt.dbID)
		if source != "override" {
			return fmt.Errorf("policy source %q, want override", source)
		}
		if (got.MaxTotalBytes == nil) != (want.MaxTotalBytes == nil) ||
			(got.MaxTotalBytes != nil && *got.MaxTotalBytes != *want.MaxTotalBytes) {
			return fmt.Errorf("maxTotalBytes = %v, want %v", got.MaxTotalBytes, want.MaxTotalBytes)
		}
		got.MaxTotalBytes, want.MaxTotalBytes = nil, nil
		return expectEq("policy", got, want)
	}
}

// seededDailies is why a test seeding backups needs the simulator: the
// prune counts and dates it asserts come from backups of chosen dates and
// sizes, which a real platform cannot be given.
const seededDailies = "completed scheduled backups of chosen dates and sizes (SeedBackup)"

// seedDailies gives the database n completed scheduled backups of 1000
// bytes, one a day at 02:00 UTC up to Monday 2026-08-24; ids newest first.
func (pt *policyTest) seedDailies(n int) []string {
	pt.t.Helper()
	pt.p.RequireSimulator(pt.t, seededDailies)
	end := time.Date(2026, 8, 24, 2, 0, 0, 0, time.UTC)
	var ids []string
	for i := 0; i < n; i++ {
		id, err := pt.p.Sim.SeedBackup(pt.dbID, simulator.SeedBackup{CreatedAt: end.AddDate(0, 0, -i), Size: 1000})
		if err != nil {
			pt.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func (pt *policyTest) backupIDs() []string {
	var ids []string
	for _, b := range pt.p.State.Backups(pt.dbID) {
		ids = append(ids, b.ID)
	}
	sort.Strings(ids)
	return ids
}

func policyIs(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(policyAddr, attr(name), v)
}

// tiersPlanned: a preset's tiers are known in the plan, not "(known after
// apply)".
func tiersPlanned(keepLast, daily, weekly, monthly, yearly, floor int64) []plancheck.PlanCheck {
	checks := []plancheck.PlanCheck{plancheck.ExpectKnownValue(policyAddr, attr("source"), knownvalue.StringExact("override"))}
	for name, v := range map[string]int64{"keep_last": keepLast, "daily": daily, "weekly": weekly, "monthly": monthly, "yearly": yearly, "min_floor": floor} {
		checks = append(checks, plancheck.ExpectKnownValue(policyAddr, attr(name), knownvalue.Int64Exact(v)))
	}
	return checks
}

func policyPlan(action plancheck.ResourceActionType, extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddr, action)}, extra...),
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

// Every preset, then custom with and without a cap, import, destroy.
func TestAccBackupPolicy_presets(t *testing.T) {
	t.Parallel()
	pt := newPolicyTest(t)
	capBytes := int64(5 << 30)
	pt.run(
		resource.TestStep{
			Config:           pt.config(`  preset = "lean"`),
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionCreate, tiersPlanned(12, 7, 4, 0, 0, 2)...),
			ConfigStateChecks: []statecheck.StateCheck{
				policyIs("source", knownvalue.StringExact("override")),
				policyIs("max_prune", knownvalue.Int64Exact(0)),
				policyIs("max_total_bytes", knownvalue.Null()),
				policyIs("id", knownvalue.StringExact(pt.dbID)),
			},
			Check: pt.stored(simulator.RetentionPolicy{Preset: "lean", KeepLast: 12, Daily: 7, Weekly: 4, MinFloor: 2}),
		},
		resource.TestStep{
			Config:           pt.config(`  preset = "balanced"`),
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionUpdate, tiersPlanned(24, 7, 4, 6, 0, 2)...),
			Check:            pt.stored(simulator.RetentionPolicy{Preset: "balanced", KeepLast: 24, Daily: 7, Weekly: 4, Monthly: 6, MinFloor: 2}),
		},
		resource.TestStep{
			// Writing the preset's own values is fine.
			Config: pt.config(`
  preset    = "long_term"
  keep_last = 24
  yearly    = 3`),
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionUpdate, tiersPlanned(24, 7, 4, 12, 3, 2)...),
			Check:            pt.stored(simulator.RetentionPolicy{Preset: "long_term", KeepLast: 24, Daily: 7, Weekly: 4, Monthly: 12, Yearly: 3, MinFloor: 2}),
		},
		resource.TestStep{
			Config: pt.config(fmt.Sprintf(`
  preset          = "custom"
  keep_last       = 3
  daily           = 14
  weekly          = 8
  monthly         = 24
  yearly          = 10
  min_floor       = 5
  max_total_bytes = %d`, capBytes)),
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{
				policyIs("max_total_bytes", knownvalue.Int64Exact(capBytes)),
				policyIs("auto_applied", knownvalue.Bool(false)),
			},
			Check: pt.stored(simulator.RetentionPolicy{Preset: "custom", KeepLast: 3, Daily: 14, Weekly: 8, Monthly: 24, Yearly: 10,
				MinFloor: 5, MaxTotalBytes: &capBytes}),
		},
		resource.TestStep{
			ResourceName:                         policyAddr,
			ImportState:                          true,
			ImportStateId:                        pt.dbID,
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "database_id",
		},
		resource.TestStep{
			// Removing max_total_bytes clears the cap on the platform.
			Config: pt.config(`
  preset    = "custom"
  keep_last = 3
  daily     = 14
  weekly    = 8
  monthly   = 24
  yearly    = 10
  min_floor = 5`),
			ConfigPlanChecks:  policyPlan(plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{policyIs("max_total_bytes", knownvalue.Null())},
			Check: pt.stored(simulator.RetentionPolicy{Preset: "custom", KeepLast: 3, Daily: 14, Weekly: 8, Monthly: 24, Yearly: 10,
				MinFloor: 5}),
		},
	)
}

// Tier mistakes fail at plan time, naming the attribute, before any
// request reaches the platform.
func TestAccBackupPolicy_tierErrors(t *testing.T) {
	t.Parallel()
	pt := newPolicyTest(t)
	step := func(body string, want *regexp.Regexp) resource.TestStep {
		return resource.TestStep{Config: pt.config(body), PlanOnly: true, ExpectError: want}
	}
	pt.run(
		step(`
  preset    = "lean"
  keep_last = 5`, errorText(`Tier differs from the preset`, `keep_last = 5`, `keep_last = 5, but preset "lean" has keep_last = 12`, `preset = "custom"`)),
		step(`
  preset    = "custom"
  keep_last = 3
  daily     = 7`, errorText(`Missing tier for a custom policy`, `set weekly (0–520)`)),
		step(`
  preset    = "custom"
  keep_last = 101
  daily     = 367
  weekly    = 0
  monthly   = 241
  yearly    = 51
  min_floor = 0`, errorText(`keep_last = 101`, `between 0 and 100`)),
		step(`
  preset    = "custom"
  keep_last = 1
  daily     = 1
  weekly    = 1
  monthly   = 1
  yearly    = 1
  min_floor = 11`, errorText(`min_floor = 11`, `between 1 and 10`)),
		step(`
  preset    = "custom"
  keep_last = 1.5
  daily     = 1
  weekly    = 1
  monthly   = 1
  yearly    = 1
  min_floor = 1`, regexp.MustCompile(`keep_last`)),
		step(`  preset = "forever"`, errorText(`preset = "forever"`, `"lean"`, `"custom"`)),
		step(`
  preset          = "lean"
  max_total_bytes = -1`, errorText(`max_total_bytes = -1`, `between 0 and 9007199254740991`)),
		step(`
  preset    = "lean"
  max_prune = -1`, errorText(`max_prune = -1`, `at least 0`)),
	)
	if pt.p.Sim == nil {
		return // request counters: simulator only; the plan-time errors above are the proof there
	}
	if n := pt.p.Sim.TotalRequests(); n > 2 {
		// Configure may ask /api/auth/me; no policy route may be reached.
		for route := range pt.p.Sim.Requests() {
			if regexp.MustCompile(`backup-policy`).MatchString(route) {
				t.Errorf("a plan with invalid tiers called %s", route)
			}
		}
	}
}

// Out-of-band changes show in the plan and the apply puts the configured
// policy back: another preset set in the UI, and the override reverted.
func TestAccBackupPolicy_drift(t *testing.T) {
	t.Parallel()
	pt := newPolicyTest(t)
	lean := simulator.RetentionPolicy{Preset: "lean", KeepLast: 12, Daily: 7, Weekly: 4, MinFloor: 2}
	cfg := pt.config(`  preset = "lean"`)
	pt.run(
		resource.TestStep{Config: cfg, ConfigPlanChecks: policyPlan(plancheck.ResourceActionCreate), Check: pt.stored(lean)},
		resource.TestStep{
			PreConfig: func() {
				if err := pt.p.State.PutBackupPolicy(pt.dbID, map[string]any{"preset": "long_term", "keepLast": 0, "daily": 0,
					"weekly": 0, "monthly": 0, "yearly": 0, "minFloor": 1}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionUpdate,
				plancheck.ExpectKnownValue(policyAddr, attr("preset"), knownvalue.StringExact("lean")),
				plancheck.ExpectKnownValue(policyAddr, attr("monthly"), knownvalue.Int64Exact(0))),
			Check: pt.stored(lean),
		},
		resource.TestStep{
			PreConfig: func() { pt.p.State.DeleteBackupPolicy(pt.dbID) },
			Config:    cfg,
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionUpdate,
				plancheck.ExpectKnownValue(policyAddr, attr("source"), knownvalue.StringExact("override"))),
			ConfigStateChecks: []statecheck.StateCheck{policyIs("source", knownvalue.StringExact("override"))},
			Check:             pt.stored(lean),
		},
		resource.TestStep{
			// Only max_prune changes: Terraform's own setting, no write.
			PreConfig: func() {
				if pt.p.Sim != nil {
					pt.p.Sim.ResetRequests()
				}
			},
			Config: pt.config(`
  preset    = "lean"
  max_prune = 3`),
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionUpdate),
			Check: func(*terraform.State) error {
				if pt.p.Sim == nil {
					return nil // request counters: simulator only
				}
				req := pt.p.Sim.Requests()
				return expectAll(
					expectEq("policy writes", req["PUT /api/databases/{id}/backup-policy"], 0),
					expectEq("previews", req["POST /api/databases/{id}/backup-policy/preview"], 0))
			},
		},
	)
}

// The prune guard: an apply that would delete more existing backups than
// max_prune fails before writing anything; within max_prune exactly the
// previewed backups go.
func TestAccBackupPolicy_pruneGuard(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, seededDailies)
	pt := newPolicyTest(t)
	all := pt.seedDailies(30)
	var previewed []string
	pt.run(
		resource.TestStep{
			Config: pt.config(`  preset = "lean"`),
			ExpectError: errorText(`Backup policy would delete more backups than max_prune allows`,
				`deletes 17 existing backup(s), freeing 17000 bytes (16.6 KiB)`,
				`the oldest is from 2026-07-26T02:00:00.000Z, the newest from 2026-08-12T02:00:00.000Z`,
				`max_prune is 0, so nothing was changed`, `Set max_prune = 17`),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := len(pt.p.Sim.Backups(pt.dbID)); n != 30 || pt.p.Sim.HasBackupPolicyOverride(pt.dbID) {
					t.Fatalf("the refused apply changed the platform: %d backups, override %t", n, pt.p.Sim.HasBackupPolicyOverride(pt.dbID))
				}
				if n := pt.p.Sim.Requests()["PUT /api/databases/{id}/backup-policy"]; n != 0 {
					t.Fatalf("the refused apply sent %d policy writes", n)
				}
				preview, err := pt.api.PreviewBackupPolicy(context.Background(), pt.dbID, client.BackupPolicyInput{
					Preset: "lean", KeepLast: 12, Daily: 7, Weekly: 4, MinFloor: 2})
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range preview.Prune {
					previewed = append(previewed, b.ID)
				}
			},
			Config: pt.config(`
  preset    = "lean"
  max_prune = 17`),
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionCreate),
			Check: func(*terraform.State) error {
				gone := map[string]bool{}
				for _, id := range previewed {
					gone[id] = true
				}
				var want []string
				for _, id := range all {
					if !gone[id] {
						want = append(want, id)
					}
				}
				sort.Strings(want)
				return expectAll(expectEq("previewed", len(previewed), 17),
					expectEq("backups left", fmt.Sprint(pt.backupIDs()), fmt.Sprint(want)))
			},
		},
		resource.TestStep{
			// long_term keeps all 13 left: nothing to delete, max_prune 0 is enough.
			Config:           pt.config(`  preset = "long_term"`),
			ConfigPlanChecks: policyPlan(plancheck.ResourceActionUpdate),
			Check: func(*terraform.State) error {
				return expectEq("backups left", len(pt.p.Sim.Backups(pt.dbID)), 13)
			},
		},
	)
}

// The data source shows the effective policy, inherited or the override.
func TestAccBackupPolicyDataSource(t *testing.T) {
	t.Parallel()
	pt := newPolicyTest(t)
	ds := fmt.Sprintf(`
data "platform_database_backup_policy" "test" {
  database_id = %q
}
`, pt.dbID)
	dsIs := func(name string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.platform_database_backup_policy.test", attr(name), v)
	}
	pt.run(
		resource.TestStep{
			Config: pt.p.Config(ds),
			ConfigStateChecks: []statecheck.StateCheck{
				dsIs("source", knownvalue.StringExact("inherited")), dsIs("preset", knownvalue.StringExact("balanced")),
				dsIs("keep_last", knownvalue.Int64Exact(24)), dsIs("monthly", knownvalue.Int64Exact(6)),
				dsIs("max_total_bytes", knownvalue.Null()),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		},
		resource.TestStep{
			PreConfig: func() {
				if err := pt.p.State.PutBackupPolicy(pt.dbID, map[string]any{"preset": "custom", "keepLast": 2, "daily": 3,
					"weekly": 0, "monthly": 0, "yearly": 1, "minFloor": 2, "maxTotalBytes": 4096}); err != nil {
					t.Fatal(err)
				}
			},
			Config: pt.p.Config(ds),
			ConfigStateChecks: []statecheck.StateCheck{
				dsIs("source", knownvalue.StringExact("override")), dsIs("preset", knownvalue.StringExact("custom")),
				dsIs("keep_last", knownvalue.Int64Exact(2)), dsIs("yearly", knownvalue.Int64Exact(1)),
				dsIs("max_total_bytes", knownvalue.Int64Exact(4096)),
			},
		},
		resource.TestStep{
			PreConfig: func() { pt.p.State.DeleteBackupPolicy(pt.dbID) },
			Config:    pt.p.Config(ds),
		},
	)
}

// A policy whose database was deleted outside Terraform leaves the state on
// refresh (the plan then creates it again), on every CLI: the read that
// removes it still names it by identity, which the framework requires even
// of a state written before identity.
func TestAccBackupPolicy_databaseGone(t *testing.T) {
	t.Parallel()
	pt := newPolicyTest(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, ok := pt.p.State.BackupPolicy(pt.dbID); ok {
				return fmt.Errorf("database %s is back on the platform", pt.dbID)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:           pt.config(`preset = "lean"`),
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				PreConfig: func() {
					if err := pt.p.State.DeleteDatabase(pt.dbID); err != nil {
						t.Fatalf("deleting the database out of band: %v", err)
					}
				},
				Config:             pt.config(`preset = "lean"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// A policy gets its identity (the database id) on create, and importing it
// by identity or by id in an import block plans no change.
func TestAccBackupPolicy_identity(t *testing.T) {
	t.Parallel()
	pt := newPolicyTest(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   identityCLIs,
		CheckDestroy:             pt.checkDestroy,
		Steps: []resource.TestStep{
			{
				Config: pt.config(`preset = "long_term"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(policyAddr, map[string]knownvalue.Check{"database_id": knownvalue.StringExact(pt.dbID)}),
					statecheck.ExpectIdentityValueMatchesState(policyAddr, attr("database_id")),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{ResourceName: policyAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: policyAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}
