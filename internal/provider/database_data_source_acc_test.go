package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// outOfBand creates a database directly on the platform, as teams did by
// hand before adopting the provider.
func outOfBand(t *testing.T, api *client.Client, envID string, in client.DatabaseInput) *client.Database {
	t.Helper()
	db, err := api.CreateDatabase(context.Background(), envID, in)
	if err != nil {
		t.Fatalf("creating %s out of band: %v", *in.Name, err)
	}
	return db
}

// ordersInput is a database with every kind of field set, credentials included.
func ordersInput(name string) client.DatabaseInput {
	return client.DatabaseInput{
		Name: &name, Type: ptrTo("postgres"), Host: ptrTo("pg.example.test"), Port: ptrTo(int64(5432)),
		DatabaseName: ptrTo("orders"), Username: ptrTo("app"), Password: ptrTo("s3cret"), UseSSL: ptrTo(true),
		BackupLocalPath: ptrTo("/var/backups/orders"), BackupFormat: ptrTo("custom"), BackupCompression: ptrTo("gzip"),
		BackupCompressionLevel: ptrTo(int64(9)), PgDumpTimeoutMs: ptrTo(int64(600000)),
		PgDumpOptions: &client.PgDumpOptions{NoOwner: ptrTo(true), Clean: ptrTo(true), IfExists: ptrTo(true), SchemaOnly: ptrTo(false), DataOnly: ptrTo(false)},
	}
}

func dsIs(addr, name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, attr(name), v)
}

// A database registered by hand, with credentials, a backup and a schedule,
// looked up by id and by environment and name: both show the same
// attributes, the latest backup and the schedule, never the credentials.
func TestAccDatabaseDataSource_lookups(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	// The scheduler would replace the backup below as the latest one.
	p.RequireSimulator(t, schedulerRuns)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	orders := outOfBand(t, api, envID, ordersInput("orders-pg"))
	plain := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("cache"), Type: ptrTo("redis")})
	backupID, err := p.State.AddBackup(orders.ID)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := api.PutSchedule(context.Background(), orders.ID, client.ScheduleInput{CronExpression: "0 2 * * *"}); err != nil {
		t.Fatal(err)
	}

	const byID, byName, bare = "data.platform_database.by_id", "data.platform_database.by_name", "data.platform_database.bare"
	const list = "data.platform_databases.orders"
	checks := []statecheck.StateCheck{
		dsIs(byID, "name", knownvalue.StringExact("orders-pg")),
		dsIs(byID, "environment_id", knownvalue.StringExact(envID)),
		dsIs(byID, "type", knownvalue.StringExact("postgres")),
		dsIs(byID, "database_type_id", knownvalue.StringExact(p.State.DatabaseTypeID("postgres"))),
		dsIs(byID, "host", knownvalue.StringExact("pg.example.test")),
		dsIs(byID, "port", knownvalue.Int64Exact(5432)),
		dsIs(byID, "database_name", knownvalue.StringExact("orders")),
		dsIs(byID, "use_ssl", knownvalue.Bool(true)),
		dsIs(byID, "has_credentials", knownvalue.Bool(true)),
		dsIs(byID, "backup_storage_type", knownvalue.StringExact("local")),
		dsIs(byID, "backup_local_path", knownvalue.StringExact("/var/backups/orders")),
		dsIs(byID, "backup_format", knownvalue.StringExact("custom")),
		dsIs(byID, "backup_compression", knownvalue.StringExact("gzip")),
		dsIs(byID, "backup_compression_level", knownvalue.Int64Exact(9)),
		dsIs(byID, "pg_dump_timeout_ms", knownvalue.Int64Exact(600000)),
		dsIs(byID, "pg_dump_options", knownvalue.ObjectExact(map[string]knownvalue.Check{
			"no_owner": knownvalue.Bool(true), "clean": knownvalue.Bool(true), "if_exists": knownvalue.Bool(true),
			"schema_only": knownvalue.Bool(false), "data_only": knownvalue.Bool(false),
		})),
		dsIs(byID, "created_at", createdAtFormat),
		dsIs(byID, "last_backup", knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(backupID), "status": knownvalue.StringExact("completed"),
			"kind": knownvalue.StringExact("manual"), "type": knownvalue.StringExact("manual"),
			"created_at": createdAtFormat, "completed_at": createdAtFormat,
		})),
		// The list data source shows the latest backup the same way, and
		// a configuration still reading the deprecated type gets the kind.
		statecheck.ExpectKnownValue(list, attr("databases").AtSliceIndex(0).AtMapKey("last_backup").AtMapKey("kind"),
			knownvalue.StringExact("manual")),
		statecheck.CompareValuePairs(byID, attr("last_backup"), list, attr("databases").AtSliceIndex(0).AtMapKey("last_backup"),
			compare.ValuesSame()),
		statecheck.ExpectKnownOutputValue("last_backup_type", knownvalue.StringExact("manual")),
		dsIs(byID, "schedule", knownvalue.ObjectExact(map[string]knownvalue.Check{
			"cron_expression": knownvalue.StringExact("0 2 * * *"), "enabled": knownvalue.Bool(true),
			"last_run_at": knownvalue.Null(), "next_run_at": createdAtFormat,
		})),
		dsIs(byName, "id", knownvalue.StringExact(orders.ID)),
		dsIs(bare, "has_credentials", knownvalue.Bool(false)),
		dsIs(bare, "host", knownvalue.Null()),
		dsIs(bare, "port", knownvalue.Null()),
		dsIs(bare, "pg_dump_options", knownvalue.Null()),
		dsIs(bare, "last_backup", knownvalue.Null()),
		dsIs(bare, "schedule", knownvalue.Null()),
	}
	for _, a := range []string{"updated_at", "pg_dump_options", "last_backup", "schedule", "backup_local_path", "has_credentials"} {
		checks = append(checks, statecheck.CompareValuePairs(byID, attr(a), byName, attr(a), compare.ValuesSame()))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: p.Config(fmt.Sprintf(`
data "platform_database" "by_id" {
  id = %q
}

data "platform_database" "by_name" {
  environment_id = %q
  name           = "orders-pg"
}

data "platform_database" "bare" {
  id = %q
}

data "platform_databases" "orders" {
  environment_id = %[2]q
  name_regex     = "^orders-pg$"
}

output "last_backup_type" {
  value = data.platform_database.by_id.last_backup.type
}
`, orders.ID, envID, plain.ID)),
			ConfigStateChecks: checks,
			ConfigPlanChecks:  emptyPlanAfterApply(),
		}},
	})
	if p.Sim == nil {
		return // request counters: simulator only
	}
	if n := p.Sim.Requests()["GET /api/databases/{id}/schedule"]; n != 0 {
		t.Errorf("the data source read the schedule with %d extra requests; the list carries it", n)
	}
}

// The data source agrees with the resource on every shared attribute, so a
// module can read what another configuration manages.
func TestAccDatabaseDataSource_matchesResource(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	shared := []string{"id", "environment_id", "name", "type", "database_type_id", "host", "port", "database_name",
		"file_path", "use_ssl", "server_id", "backup_storage_type", "backup_local_path", "backup_spaces_bucket",
		"backup_spaces_prefix", "backup_format", "backup_compression", "backup_compression_level", "pg_dump_options",
		"pg_dump_timeout_ms", "has_credentials", "created_at", "updated_at"}
	if d.p.Real() {
		// The platform's monitoring collector moves updatedAt between the
		// resource's read and the data source's (see verifyIgnore).
		shared = shared[:len(shared)-1]
	}
	var checks []statecheck.StateCheck
	for _, a := range shared {
		checks = append(checks, statecheck.CompareValuePairs(dbAddr, attr(a), "data.platform_database.test", attr(a), compare.ValuesSame()))
	}
	d.run(resource.TestStep{
		Config: d.config(fmt.Sprintf(`
  name                 = %q
  type                 = "postgres"
  host                 = "pg.example.test"
  port                 = 5432
  username             = "app"
  password             = "s3cret"
  backup_storage_type  = "spaces"
  backup_spaces_bucket = "backups"
  pg_dump_options {
    no_owner = true
  }
`, d.name)) + `
data "platform_database" "test" {
  environment_id = platform_database.test.environment_id
  name           = platform_database.test.name
}
`,
		ConfigStateChecks: checks,
		ConfigPlanChecks:  emptyPlanAfterApply(),
	})
}

// An environment-scoped token is refused on /api/databases/{id}, so the
// lookup by id searches its environments' lists instead.
func TestAccDatabaseDataSource_scopedToken(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, "staging")
	stagingID, scoped, name := "", "bport_pat_acc_scoped", "scoped"
	if p.Real() {
		// The scoped token's environment is shared: a unique name, removed afterwards.
		scoped, stagingID = p.ScopedToken(t)
		name = acctest.RandomWithPrefix("tf-acc-scoped")
		p.CleanupDatabases(t, stagingID, name)
	} else {
		stagingID = p.EnvID(t, "staging")
		p.Sim.AddToken(simulator.Token{Value: scoped, Role: simulator.RoleViewer, Environments: []string{"staging"}})
	}
	db := outOfBand(t, apiClient(t, p), stagingID, client.DatabaseInput{Name: ptrTo(name), Type: ptrTo("mysql")})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: p.ProviderBlock(scoped) + fmt.Sprintf(`
data "platform_database" "test" {
  id = %q
}
`, db.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				dsIs("data.platform_database.test", "name", knownvalue.StringExact(name)),
				dsIs("data.platform_database.test", "environment_id", knownvalue.StringExact(stagingID)),
			},
		}},
	})
	if p.Sim == nil {
		return // status counters: simulator only; the read above succeeding is the proof there
	}
	if n := p.Sim.StatusCounts()[403]; n != 0 {
		t.Errorf("the platform refused %d requests; a scoped lookup must not touch /api/databases/{id}", n)
	}
}

func TestAccDatabaseDataSource_invalid(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	outOfBand(t, apiClient(t, p), envID, client.DatabaseInput{Name: ptrTo("exists"), Type: ptrTo("postgres")})
	cases := map[string]struct {
		body string
		want []string
	}{
		"unknown id":          {`id = "cnope"`, []string{"No such database", `with data.platform_database.test`, `The platform has no database with id "cnope"`}},
		"unknown name":        {fmt.Sprintf("environment_id = %q\n  name = \"nope\"", envID), []string{"No such database", `has no database named "nope"`}},
		"unknown environment": {"environment_id = \"cnope\"\n  name = \"exists\"", []string{"No such environment", `No environment with id "cnope"`}},
		"id and name":         {"id = \"x\"\n  name = \"exists\"", []string{"Invalid Attribute Combination"}},
		"name alone":          {`name = "exists"`, []string{"Invalid Attribute Combination", "environment_id"}},
		"id and environment":  {fmt.Sprintf("id = \"x\"\n  environment_id = %q", envID), []string{"Invalid Attribute Combination"}},
		"nothing":             {``, []string{"Exactly one of these attributes must be configured: [id,name]"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      p.Config("data \"platform_database\" \"test\" {\n  " + tc.body + "\n}\n"),
					ExpectError: errorText(tc.want...),
				}},
			})
		})
	}
}
