// Shared acceptance-test helpers: the database test fixture (dbTest), plan
// and state checks, configuration snippets and TestMain. Scenario-specific
// helpers stay with their tests.
package provider_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// platformDB is the platform's record of a database, as PlatformState
// returns it: credentials included on the simulator (see
// expectCredentials).
type platformDB = simulator.Database

func expectEq[T comparable](what string, got, want T) error {
	if got != want {
		return fmt.Errorf("platform %s = %v, want %v", what, got, want)
	}
	return nil
}

func expectAll(errs ...error) error { return errors.Join(errs...) }

// expectCredentials checks what the platform stored as credentials. A real
// platform never returns them, so there only hasCredentials is checked.
func expectCredentials(st platformacc.PlatformState, db platformDB, username, password string, has bool) error {
	if !st.CredentialsReadable() {
		return expectEq("hasCredentials", db.HasCredentials, has)
	}
	return expectAll(
		expectEq("username", db.Username, username),
		expectEq("password", db.Password, password),
		expectEq("hasCredentials", db.HasCredentials, has),
	)
}

// expectPassword checks the stored password; a real platform only tells
// that credentials are set.
func expectPassword(st platformacc.PlatformState, db platformDB, want string) error {
	if !st.CredentialsReadable() {
		return expectEq("hasCredentials", db.HasCredentials, true)
	}
	return expectEq("password", db.Password, want)
}

// pgDumpString renders the stored pgDumpOptions, "none" when absent or {}.
func pgDumpString(db platformDB) string {
	o := db.PgDumpOptions
	if o == nil {
		return "none"
	}
	var parts []string
	for _, kv := range []struct {
		k string
		v *bool
	}{{"noOwner", o.NoOwner}, {"clean", o.Clean}, {"ifExists", o.IfExists}, {"schemaOnly", o.SchemaOnly}, {"dataOnly", o.DataOnly}} {
		if kv.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%t", kv.k, *kv.v))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// writeOnlyCheck skips configurations using write-only attributes on CLIs
// that predate them.
func writeOnlyCheck(body string) []tfversion.TerraformVersionCheck {
	if strings.Contains(body, "password_wo") {
		return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}
	}
	return nil
}

// errorText matches diagnostics containing every part, in order, however
// the CLI wrapped the lines: spaces in a part match any white space.
func errorText(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

const dbAddr = "platform_database.test"

// dbTest wires a test to a private platform and checks, after the last
// step, that every database Terraform created is gone from it.
type dbTest struct {
	t     *testing.T
	p     *platformacc.Platform
	envID string
	name  string
	// shared: the environment is not the test's own (a real platform's
	// scoped-token environment), so only databases named after the test
	// count.
	shared bool
}

func newDBTest(t *testing.T) *dbTest {
	t.Helper()
	p := platformacc.NewPlatform(t)
	return &dbTest{t: t, p: p, envID: p.EnvID(t, platformacc.DefaultEnvironment), name: acctest.RandomWithPrefix("tf-acc")}
}

// config renders a platform_database "test" in the default environment with
// the given extra attributes and blocks.
func (d *dbTest) config(body string) string {
	return d.p.Config(fmt.Sprintf(`
resource "platform_database" "test" {
  environment_id = %q
%s
}
`, d.envID, body))
}

func (d *dbTest) checkDestroy(*terraform.State) error {
	if dbs := d.databases(); len(dbs) != 0 {
		return fmt.Errorf("%d database(s) left on the platform after destroy, first %q", len(dbs), dbs[0].Name)
	}
	return nil
}

// databases is what the platform holds in the test's environment (of the
// test's own, in a shared one).
func (d *dbTest) databases() []platformDB {
	all := d.p.State.Databases(d.envID)
	if !d.shared {
		return all
	}
	var own []platformDB
	for _, db := range all {
		if strings.HasPrefix(db.Name, d.name) {
			own = append(own, db)
		}
	}
	return own
}

func (d *dbTest) run(steps ...resource.TestStep) {
	d.t.Helper()
	resource.Test(d.t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.checkDestroy,
		Steps:                    steps,
	})
}

// stored returns the platform's record of the only database in the test's
// environment.
func (d *dbTest) stored() (platformDB, error) {
	dbs := d.databases()
	if len(dbs) != 1 {
		return platformDB{}, fmt.Errorf("platform holds %d databases, want 1", len(dbs))
	}
	return dbs[0], nil
}

// storedCheck asserts something about what the platform stored.
func (d *dbTest) storedCheck(check func(platformDB) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		db, err := d.stored()
		if err != nil {
			return err
		}
		return check(db)
	}
}

func emptyPlanAfterApply() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

func planChecks(action plancheck.ResourceActionType, extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(dbAddr, action)}, extra...),
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

func attr(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

func stateIs(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(dbAddr, attr(name), v)
}

func planIs(name string, v knownvalue.Check) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(dbAddr, attr(name), v)
}

func importStep(ignore ...string) resource.TestStep {
	return resource.TestStep{
		ResourceName:            dbAddr,
		ImportState:             true,
		ImportStateVerify:       true,
		ImportStateVerifyIgnore: verifyIgnore(append([]string{"username", "password", "password_wo_version", "timeouts"}, ignore...)...),
	}
}

// verifyIgnore is the attributes an import may not reproduce. On a real
// platform updated_at is one of them: its monitoring collector writes each
// database's row about once a minute, moving updatedAt although nothing
// Terraform manages changed.
func verifyIgnore(attrs ...string) []string {
	if platformacc.RealMode() {
		return append(attrs, "updated_at")
	}
	return attrs
}

var createdAtFormat = knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`))

func minimalBody(name string) string {
	return fmt.Sprintf("name = %q\n  type = \"postgres\"", name)
}

// backupableBody is minimalBody for a test whose database's backups must
// block its destroy on a real platform too. Without a server the platform
// runs the dump on its own host, where no postgres answers: those backups
// fail, and a destroy deletes failed backups by itself. A sqlite database
// on /dev/null backs up there (as an empty database).
func (d *dbTest) backupableBody() string {
	if d.p.Real() {
		return fmt.Sprintf("name = %q\n  type = \"sqlite\"\n  file_path = \"/dev/null\"", d.name)
	}
	return minimalBody(d.name)
}

func planChecksFor(addr string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestMain(m *testing.M) {
	code := m.Run()
	if builtProvider.dir != "" {
		_ = os.RemoveAll(builtProvider.dir)
	}
	os.Exit(code)
}

// expectImportOnly: the plan imports the resource and changes nothing.
func expectImportOnly(addr string) plancheck.PlanCheck { return importOnly(addr) }

type importOnly string

func (a importOnly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != string(a) {
			continue
		}
		if rc.Change.Importing == nil {
			resp.Error = fmt.Errorf("%s: plan does not import it", a)
		} else if !rc.Change.Actions.NoOp() {
			resp.Error = fmt.Errorf("%s: import plans %v, want no changes", a, rc.Change.Actions)
		}
		return
	}
	resp.Error = errors.New(string(a) + ": not in the plan")
}

// terraform114Only skips a test of what only Terraform ≥ 1.14 has (list
// resources, actions). OpenTofu has neither, whatever its version (and it
// reports its own numbering), so it is told apart by name.
func terraform114Only(feature string) []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{skipOpenTofu{feature: feature}, tfversion.SkipBelow(tfversion.Version1_14_0)}
}

var actionsCLI = terraform114Only("actions")

type skipOpenTofu struct{ feature string }

func (s skipOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		return // plugin-testing finds or installs Terraform itself
	}
	v, err := cliVersionOf(cli)
	switch {
	case err != nil:
		resp.Error = err
	case v.tofu:
		resp.Skip = fmt.Sprintf("OpenTofu %s has no %s (Terraform ≥ 1.14 only)", v.version, s.feature)
	}
}

// skipUnlessActions is actionsCLI for a test that drives the CLI itself.
func (w *cliWorkspace) skipUnlessActions() {
	w.t.Helper()
	if v := w.version(); v.tofu {
		w.t.Skipf("OpenTofu %s has no actions (Terraform ≥ 1.14 only)", v.version)
	}
	w.skipOlderThan("1.14.0", "1.14.0")
}
