package provider_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// adoptee is a database registered by hand before the team adopted the
// provider.
type adoptee struct {
	in     client.DatabaseInput
	byName bool // import by <environment_id>/<name> instead of id
}

func adoptees(serverID string) []adoptee {
	s := ptrTo[string]
	i := ptrTo[int64]
	b := ptrTo[bool]
	return []adoptee{
		{in: ordersInput("orders-pg")},
		{in: client.DatabaseInput{Name: s("billing-pg"), Type: s("postgres"), Host: s("pg2.internal"), Port: i(6432),
			DatabaseName: s("billing"), Username: s("billing"), Password: s("b1ll"), ServerID: &serverID}, byName: true},
		{in: client.DatabaseInput{Name: s("shop-mysql"), Type: s("mysql"), Host: s("mysql.internal"), Port: i(3306),
			Username: s("shop"), Password: s("sh0p"), UseSSL: b(true)}},
		{in: client.DatabaseInput{Name: s("events-mongo"), Type: s("mongodb"), Host: s("mongo.internal"), Port: i(27017),
			Username: s("events"), Password: s("ev3nts"), BackupStorageType: s("spaces"), BackupSpacesBucket: s("backups")}, byName: true},
		{in: client.DatabaseInput{Name: s("cache"), Type: s("redis"), Host: s("redis.internal"), Port: i(6379)}},
		{in: client.DatabaseInput{Name: s("app-sqlite"), Type: s("sqlite"), FilePath: s("/data/app.db")}, byName: true},
		{in: client.DatabaseInput{Name: s("analytics"), Type: s("clickhouse"), Host: s("ch.internal")}},
		{in: client.DatabaseInput{Name: s("reports-pg"), Type: s("postgres"), BackupFormat: s("tar"),
			BackupStorageType: s("spaces"), BackupSpacesBucket: s("reports"), BackupSpacesPrefix: s("custom/prefix/"),
			PgDumpOptions: &client.PgDumpOptions{SchemaOnly: b(true)}}, byName: true},
		{in: client.DatabaseInput{Name: s("legacy-pg"), Type: s("postgres"), Host: s(""), PgDumpOptions: &client.PgDumpOptions{}}},
		{in: client.DatabaseInput{Name: s("search"), Type: s("elasticsearch"), Port: i(9200), BackupCompression: s("gzip"),
			BackupCompressionLevel: i(1), PgDumpTimeoutMs: i(30000)}, byName: true},
	}
}

// Adopting an environment registered by hand: import blocks for ten
// databases (by id and by <environment_id>/<name>), plan
// -generate-config-out writes their configuration, apply imports them, and
// the next plan is empty. The credentials the platform never returns are
// then added where the generated file says, and the plan is empty again.
func TestAccDatabaseAdoption_generateConfig(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, inProcess)
	w.skipOlderThan("1.5.0", "1.6.0")
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	serverID := p.State.AddServer(envID, "db-host")

	var imports strings.Builder
	list := adoptees(serverID)
	for i, a := range list {
		db := outOfBand(t, api, envID, a.in)
		id := db.ID
		if a.byName {
			id = envID + "/" + db.Name
		}
		fmt.Fprintf(&imports, "import {\n  to = platform_database.db%d\n  id = %q\n}\n\n", i, id)
	}
	w.writeConfig(fmt.Sprintf(`
provider "platform" {
  endpoint = %q
  token    = %q
}

%s`, p.URL, p.OperatorToken(), imports.String()))

	w.mustRun("init", "-input=false")
	planOut := w.mustRun("plan", "-input=false", "-generate-config-out=generated.tf").output()
	generated := w.read("generated.tf")
	if n := strings.Count(generated, `resource "platform_database"`); n != len(list) {
		t.Fatalf("generated.tf has %d platform_database blocks, want %d:\n%s", n, len(list), generated)
	}
	// The provider cannot write comments into generated.tf, so it warns at
	// import instead, naming each database whose credentials are missing.
	for _, a := range list {
		warned := strings.Contains(planOut, fmt.Sprintf("Database %q has credentials on the platform", *a.in.Name))
		if warned != (a.in.Username != nil) {
			t.Errorf("credentials warning for %s: %t, want %t\n%s", *a.in.Name, warned, a.in.Username != nil, planOut)
		}
	}
	// ... and the documented post-processing step writes the comment.
	annotate := exec.Command("bash", "../../examples/resources/platform_database/annotate-generated.sh", filepath.Join(w.dir, "generated.tf"))
	if out, err := annotate.CombinedOutput(); err != nil {
		t.Fatalf("annotate-generated.sh: %v\n%s", err, out)
	}
	generated = w.read("generated.tf")
	if n := strings.Count(generated, "# TODO(credentials)"); n != len(list) {
		t.Fatalf("annotated generated.tf has %d credential comments, want %d:\n%s", n, len(list), generated)
	}

	if res := w.apply(); !strings.Contains(res.output(), fmt.Sprintf("%d imported", len(list))) {
		t.Fatalf("apply did not import %d databases:\n%s", len(list), res)
	}
	if res := w.plan(); res.code != 0 {
		t.Fatalf("plan after importing with the generated configuration is not empty:\n%s\ngenerated.tf:\n%s", res, generated)
	}

	// Where the comment says: add the credentials the platform would not return.
	withCredentials := 0
	for i, a := range list {
		if a.in.Username == nil {
			continue
		}
		withCredentials++
		generated = setCredentials(t, generated, fmt.Sprintf("db%d", i), "u-"+*a.in.Name, "p-"+*a.in.Name)
	}
	w.write("generated.tf", generated)
	res := w.plan()
	if res.code != 2 || !strings.Contains(res.output(), fmt.Sprintf("0 to add, %d to change, 0 to destroy", withCredentials)) {
		t.Fatalf("adding credentials should update %d databases in place:\n%s", withCredentials, res)
	}
	w.apply()
	w.expectEmptyPlan()
	for _, db := range p.State.Databases(envID) {
		if wantCreds := strings.Contains(generated, fmt.Sprintf("%q", "u-"+db.Name)); wantCreds {
			if err := expectCredentials(p.State, db, "u-"+db.Name, "p-"+db.Name, true); err != nil {
				t.Errorf("%s: %v, want the configured pair", db.Name, err)
			}
		}
	}
}

// setCredentials replaces the generated null credentials of one resource
// block with a username and password.
func setCredentials(t *testing.T, hcl, resourceName, username, password string) string {
	t.Helper()
	start := strings.Index(hcl, fmt.Sprintf("resource \"platform_database\" %q {", resourceName))
	if start < 0 {
		t.Fatalf("no block for %s in generated.tf", resourceName)
	}
	end := start + strings.Index(hcl[start:], "\n}\n")
	block := hcl[start:end]
	user := regexp.MustCompile(`(?m)^(\s*username\s*=\s*)null\s*$`)
	pass := regexp.MustCompile(`(?m)^(\s*password\s*=\s*)null # sensitive\s*$`)
	if !user.MatchString(block) || !pass.MatchString(block) {
		t.Fatalf("block %s has no null username/password to fill in:\n%s", resourceName, block)
	}
	block = user.ReplaceAllString(block, fmt.Sprintf("${1}%q", username))
	block = pass.ReplaceAllString(block, fmt.Sprintf("${1}%q", password))
	return hcl[:start] + block + hcl[end:]
}

// The documented bulk import (examples/resources/platform_database/
// import-bulk.tf, used verbatim) adopts a whole environment: the plan only
// imports, and once applied the next plan is empty.
func TestAccDatabaseAdoption_bulkImportExample(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, inProcess)
	w.skipOlderThan("1.7.0", "1.7.0")
	p := platformacc.NewPlatform(t, "production")
	envID := p.EnvID(t, "production")
	api := apiClient(t, p)
	list := adoptees(p.State.AddServer(envID, "db-host"))
	for _, a := range list {
		outOfBand(t, api, envID, a.in)
	}
	// Another environment's databases must not be adopted.
	outOfBand(t, api, p.EnvID(t, platformacc.DefaultEnvironment), client.DatabaseInput{Name: ptrTo("elsewhere"), Type: ptrTo("postgres")})

	example, err := os.ReadFile("../../examples/resources/platform_database/import-bulk.tf")
	if err != nil {
		t.Fatal(err)
	}
	w.writeConfig(fmt.Sprintf(`
provider "platform" {
  endpoint = %q
  token    = %q
}
`, p.URL, p.OperatorToken()))
	w.write("import-bulk.tf", string(example))
	w.write("terraform.tfvars", fmt.Sprintf("environment_name = %q\n", p.EnvName("production")))

	w.mustRun("init", "-input=false")
	res := w.plan()
	if res.code != 2 || !strings.Contains(res.output(), fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy", len(list))) {
		t.Fatalf("the bulk import should only import %d databases:\n%s", len(list), res)
	}
	w.apply()
	w.expectEmptyPlan()
	state := w.mustRun("state", "list").output()
	for _, a := range list {
		if addr := fmt.Sprintf("platform_database.adopted[%q]", *a.in.Name); !strings.Contains(state, addr) {
			t.Errorf("%s missing from state:\n%s", addr, state)
		}
	}
	if strings.Contains(state, "elsewhere") {
		t.Errorf("a database of another environment was adopted:\n%s", state)
	}
}
