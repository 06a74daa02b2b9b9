package provider_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// stagingAdoptees complete adoptees with what they lack: monitoring off or
// at another interval (set after create, as the platform only allows),
// credentials with Spaces under a chosen prefix, and a sqlite file backed
// up locally with compression.
func stagingAdoptees() []client.DatabaseInput {
	s, i := ptrTo[string], ptrTo[int64]
	return []client.DatabaseInput{
		{Name: s("metrics-pg"), Type: s("postgres"), Host: s("metrics.internal"), DatabaseName: s("metrics")},
		{Name: s("ledger-mysql"), Type: s("mysql"), Host: s("ledger.internal"), Username: s("ledger"), Password: s("l3dger"),
			BackupStorageType: s("spaces"), BackupSpacesBucket: s("ledger-backups"), BackupSpacesPrefix: s("ledger/")},
		{Name: s("files-sqlite"), Type: s("sqlite"), FilePath: s("/srv/files.db"), BackupLocalPath: s("/var/backups/files"),
			BackupCompression: s("gzip"), BackupCompressionLevel: i(9)},
	}
}

// Adopting an estate with `terraform query` (Terraform ≥ 1.14), through
// the documented examples used verbatim: list blocks with for_each over two
// environments find every database (of every type and storage setting,
// credentials, pg_dump options and monitoring off among them) and their
// schedules, and a database's pinned backup; -generate-config-out writes
// their configuration, the plan only imports, and after apply the next plan
// is empty. What the platform cannot return is said where it is missing.
func TestAccListResources_generateConfigForAnEstate(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, inProcess)
	w.skipWithoutListResources()
	p := platformacc.NewPlatform(t, "staging")
	p.RequireRelease(t, api.FeaturePins) // the estate has a pinned backup
	prodID, stagingID := p.EnvID(t, platformacc.DefaultEnvironment), p.EnvID(t, "staging")
	api := apiClient(t, p)
	ctx := context.Background()

	byName := map[string]*client.Database{}
	for _, a := range adoptees(p.State.AddServer(prodID, "db-host")) {
		db := outOfBand(t, api, prodID, a.in)
		byName[db.Name] = db
	}
	for _, in := range stagingAdoptees() {
		db := outOfBand(t, api, stagingID, in)
		byName[db.Name] = db
	}
	if err := p.State.SetMonitoring(byName["metrics-pg"].ID, false, 300); err != nil {
		t.Fatal(err)
	}
	if err := p.State.SetMonitoring(byName["ledger-mysql"].ID, true, 900); err != nil {
		t.Fatal(err)
	}
	// The deprecated retention_days is left out of generated configuration,
	// so one schedule keeps a number other than the platform's default.
	schedules := map[string]client.ScheduleInput{
		"orders-pg":    {CronExpression: "0 2 * * *", RetentionDays: ptrTo(int64(14))},
		"files-sqlite": {CronExpression: "*/30 * * * *", Enabled: ptrTo(false)},
	}
	for name, in := range schedules {
		if _, err := api.PutSchedule(ctx, byName[name].ID, in); err != nil {
			t.Fatal(err)
		}
	}
	// A database without an enabled schedule, so a real platform's
	// scheduler adds no backup between the query and the plan.
	shop := byName["shop-mysql"]
	var backupIDs []string
	for range 2 {
		id, err := p.State.AddBackup(shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		backupIDs = append(backupIDs, id)
	}
	if _, err := api.PinBackup(ctx, shop.ID, backupIDs[0], true); err != nil {
		t.Fatal(err)
	}

	w.writeConfig(p.ProviderBlock(p.OperatorToken()))
	for file, example := range map[string]string{
		"estate.tf":             "platform_database/estate.tf",
		"databases.tfquery.hcl": "platform_database/list-resource.tfquery.hcl",
		"schedules.tfquery.hcl": "platform_database_backup_schedule/list-resource.tfquery.hcl",
		"backups.tfquery.hcl":   "platform_database_backup/list-resource.tfquery.hcl",
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "list-resources", example))
		if err != nil {
			t.Fatal(err)
		}
		w.write(file, string(b))
	}
	w.write("terraform.tfvars", fmt.Sprintf("environment_names = [%q, %q]\n",
		p.EnvName(platformacc.DefaultEnvironment), p.EnvName("staging")))
	w.mustRun("init", "-input=false")

	query := w.mustRun("query", "-var", "database_id="+shop.ID, "-generate-config-out=generated.tf").output()
	generated := w.read("generated.tf")
	withCredentials := 0
	for _, db := range byName {
		if db.HasCredentials {
			withCredentials++
			// Only the CLI's output carries the warning.
			if !strings.Contains(query, fmt.Sprintf("%q", db.Name)) {
				t.Errorf("the query did not name %s among the databases with credentials:\n%s", db.Name, query)
			}
		}
	}
	if !errorText("Credentials not imported").MatchString(query) || withCredentials == 0 {
		t.Errorf("the query did not warn that credentials were not imported:\n%s", query)
	}
	for kind, want := range map[string]int{
		"platform_database": len(byName), "platform_database_backup_schedule": len(schedules), "platform_database_backup": 1,
	} {
		if n := strings.Count(generated, fmt.Sprintf("resource %q ", kind)); n != want {
			t.Errorf("generated.tf has %d %s blocks, want %d:\n%s", n, kind, want, generated)
		}
	}
	annotate := exec.Command("bash", "../../examples/resources/platform_database/annotate-generated.sh", filepath.Join(w.dir, "generated.tf"))
	if out, err := annotate.CombinedOutput(); err != nil {
		t.Fatalf("annotate-generated.sh: %v\n%s", err, out)
	}
	if n := strings.Count(w.read("generated.tf"), "# TODO(credentials)"); n != len(byName) {
		t.Errorf("annotated generated.tf has %d credential comments, want %d", n, len(byName))
	}

	imports := len(byName) + len(schedules) + 1
	res := w.plan()
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy", imports); res.code != 2 || !strings.Contains(res.output(), want) {
		t.Fatalf("the plan of the generated configuration should only import (%s):\n%s\ngenerated.tf:\n%s", want, res, generated)
	}
	if res := w.apply(); !strings.Contains(res.output(), fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", imports)) {
		t.Fatalf("apply did not only import %d objects:\n%s", imports, res)
	}
	w.expectEmptyPlan()
	if sc, ok := p.State.Schedule(byName["orders-pg"].ID); !ok || sc.RetentionDays != 14 {
		t.Errorf("the adopted schedule of orders-pg is %+v, want retention_days 14 kept", sc)
	}
}
