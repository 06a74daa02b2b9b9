package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// The platform's defaults appear in the plan as values, not "(known after
// apply)", and come back unchanged.
func TestAccDatabase_minimal(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	defaults := map[string]knownvalue.Check{
		"backup_storage_type":      knownvalue.StringExact("local"),
		"backup_format":            knownvalue.StringExact("plain"),
		"backup_compression":       knownvalue.StringExact("none"),
		"backup_compression_level": knownvalue.Int64Exact(6),
		"pg_dump_timeout_ms":       knownvalue.Int64Exact(300000),
		"use_ssl":                  knownvalue.Bool(false),
		"has_credentials":          knownvalue.Bool(false),
		"port":                     knownvalue.Null(),
		"host":                     knownvalue.Null(),
		"backup_spaces_prefix":     knownvalue.Null(),
		"pg_dump_options":          knownvalue.Null(),
	}
	var planned []plancheck.PlanCheck
	var stateChecks []statecheck.StateCheck
	for name, v := range defaults {
		planned = append(planned, planIs(name, v))
		stateChecks = append(stateChecks, stateIs(name, v))
	}
	stateChecks = append(stateChecks,
		stateIs("name", knownvalue.StringExact(d.name)),
		stateIs("database_type_id", knownvalue.NotNull()),
		stateIs("created_at", createdAtFormat),
		stateIs("updated_at", createdAtFormat),
	)
	d.run(
		resource.TestStep{
			Config:            d.config(fmt.Sprintf("name = %q\n  type = \"postgres\"", d.name)),
			ConfigPlanChecks:  planChecks(plancheck.ResourceActionCreate, planned...),
			ConfigStateChecks: stateChecks,
		},
		importStep(),
	)
}

// Every attribute set, then every updatable one changed in place, then the
// optional ones removed again: each apply converges to an empty plan and the
// platform stores exactly what the configuration says.
func TestAccDatabase_fullLifecycle(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	server1 := d.p.State.AddServer(d.envID, "db-1")
	server2 := d.p.State.AddServer(d.envID, "db-2")

	full := fmt.Sprintf(`
  name                     = %q
  type                     = "postgres"
  host                     = "pg.example.test"
  port                     = 5432
  database_name            = "orders"
  username                 = "orders_app"
  password                 = "first-secret"
  use_ssl                  = true
  server_id                = %q
  backup_storage_type      = "local"
  backup_local_path        = "/var/backups/orders"
  backup_format            = "custom"
  backup_compression       = "gzip"
  backup_compression_level = 9
  pg_dump_timeout_ms       = 600000
  pg_dump_options {
    no_owner  = true
    clean     = true
    if_exists = true
  }
`, d.name, server1)

	changed := fmt.Sprintf(`
  name                     = "%s-renamed"
  type                     = "postgres"
  host                     = "pg2.example.test"
  port                     = 6432
  database_name            = "orders_v2"
  username                 = "orders_app2"
  password                 = "second-secret"
  use_ssl                  = false
  server_id                = %q
  backup_storage_type      = "local"
  backup_local_path        = "/srv/backups"
  backup_format            = "tar"
  backup_compression       = "none"
  backup_compression_level = 1
  pg_dump_timeout_ms       = 30000
  pg_dump_options {
    schema_only = true
  }
`, d.name, server2)

	// Storage moves to spaces; every optional attribute is removed: those
	// the API can clear are cleared, port and server_id are kept.
	stripped := fmt.Sprintf(`
  name                 = %q
  type                 = "postgres"
  backup_storage_type  = "spaces"
  backup_spaces_bucket = "acme-backups"
`, d.name)

	d.run(
		resource.TestStep{
			Config:           d.config(full),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionCreate),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("host", knownvalue.StringExact("pg.example.test")),
				stateIs("port", knownvalue.Int64Exact(5432)),
				stateIs("database_name", knownvalue.StringExact("orders")),
				stateIs("use_ssl", knownvalue.Bool(true)),
				stateIs("server_id", knownvalue.StringExact(server1)),
				stateIs("backup_local_path", knownvalue.StringExact("/var/backups/orders")),
				stateIs("backup_format", knownvalue.StringExact("custom")),
				stateIs("backup_compression", knownvalue.StringExact("gzip")),
				stateIs("backup_compression_level", knownvalue.Int64Exact(9)),
				stateIs("pg_dump_timeout_ms", knownvalue.Int64Exact(600000)),
				stateIs("has_credentials", knownvalue.Bool(true)),
				stateIs("password", knownvalue.StringExact("first-secret")),
				stateIs("pg_dump_options", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"no_owner": knownvalue.Bool(true), "clean": knownvalue.Bool(true), "if_exists": knownvalue.Bool(true),
					"schema_only": knownvalue.Bool(false), "data_only": knownvalue.Bool(false),
				})),
			},
			Check: d.storedCheck(func(db platformDB) error {
				return expectAll(
					expectCredentials(d.p.State, db, "orders_app", "first-secret", true),
					expectEq("pgDumpOptions", pgDumpString(db), "noOwner=true clean=true ifExists=true schemaOnly=false dataOnly=false"),
				)
			}),
		},
		importStep(),
		resource.TestStep{
			Config:           d.config(changed),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("name", knownvalue.StringExact(d.name+"-renamed")),
				stateIs("host", knownvalue.StringExact("pg2.example.test")),
				stateIs("port", knownvalue.Int64Exact(6432)),
				stateIs("database_name", knownvalue.StringExact("orders_v2")),
				stateIs("use_ssl", knownvalue.Bool(false)),
				stateIs("server_id", knownvalue.StringExact(server2)),
				stateIs("backup_local_path", knownvalue.StringExact("/srv/backups")),
				stateIs("backup_format", knownvalue.StringExact("tar")),
				stateIs("backup_compression", knownvalue.StringExact("none")),
				stateIs("backup_compression_level", knownvalue.Int64Exact(1)),
				stateIs("pg_dump_timeout_ms", knownvalue.Int64Exact(30000)),
				stateIs("pg_dump_options", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"no_owner": knownvalue.Bool(false), "clean": knownvalue.Bool(false), "if_exists": knownvalue.Bool(false),
					"schema_only": knownvalue.Bool(true), "data_only": knownvalue.Bool(false),
				})),
			},
			Check: d.storedCheck(func(db platformDB) error {
				return expectAll(
					expectCredentials(d.p.State, db, "orders_app2", "second-secret", true),
					// PATCH replaces pgDumpOptions whole: all five keys must be there.
					expectEq("pgDumpOptions", pgDumpString(db), "noOwner=false clean=false ifExists=false schemaOnly=true dataOnly=false"),
				)
			}),
		},
		resource.TestStep{
			Config: d.config(stripped),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate,
				planIs("backup_spaces_prefix", knownvalue.StringExact(d.p.EnvName(platformacc.DefaultEnvironment)+"/"+d.name+"/")),
				planIs("port", knownvalue.Int64Exact(6432)),
				planIs("server_id", knownvalue.StringExact(server2)),
				planIs("has_credentials", knownvalue.Bool(false)),
				planIs("backup_format", knownvalue.StringExact("plain")),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("host", knownvalue.Null()),
				stateIs("database_name", knownvalue.Null()),
				stateIs("server_id", knownvalue.StringExact(server2)),
				stateIs("backup_local_path", knownvalue.Null()),
				stateIs("pg_dump_options", knownvalue.Null()),
				stateIs("username", knownvalue.Null()),
				stateIs("password", knownvalue.Null()),
				stateIs("has_credentials", knownvalue.Bool(false)),
				stateIs("port", knownvalue.Int64Exact(6432)),
				stateIs("backup_storage_type", knownvalue.StringExact("spaces")),
				stateIs("backup_spaces_prefix", knownvalue.StringExact(d.p.EnvName(platformacc.DefaultEnvironment)+"/"+d.name+"/")),
				stateIs("backup_format", knownvalue.StringExact("plain")),
				stateIs("backup_compression_level", knownvalue.Int64Exact(6)),
				stateIs("pg_dump_timeout_ms", knownvalue.Int64Exact(300000)),
			},
			Check: d.storedCheck(func(db platformDB) error {
				return expectAll(
					expectEq("hasCredentials", db.HasCredentials, false),
					expectEq("pgDumpOptions", pgDumpString(db), "none"),
				)
			}),
		},
	)
}

func TestAccDatabase_typeChangeReplaces(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.run(
		resource.TestStep{
			Config:           d.config(fmt.Sprintf("name = %q\n  type = \"postgres\"", d.name)),
			ConfigPlanChecks: emptyPlanAfterApply(),
		},
		resource.TestStep{
			Config:           d.config(fmt.Sprintf("name = %q\n  type = \"mysql\"", d.name)),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionDestroyBeforeCreate),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("type", knownvalue.StringExact("mysql")),
			},
			Check: d.storedCheck(func(db platformDB) error {
				return expectEq("type", db.Type, "mysql")
			}),
		},
		resource.TestStep{
			// A type the platform does not know (it would store the
			// database with no type id) is refused at plan time.
			Config:      d.config(fmt.Sprintf("name = %q\n  type = \"cockroach\"", d.name)),
			ExpectError: errorText("Unknown database type", `type "cockroach" is not one of the platform's database types`),
		},
	)
}

func TestAccDatabase_sqliteFilePath(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.run(
		resource.TestStep{
			Config:           d.config(fmt.Sprintf("name = %q\n  type = \"sqlite\"\n  file_path = \"/data/app.db\"", d.name)),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionCreate),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("file_path", knownvalue.StringExact("/data/app.db")),
			},
		},
		resource.TestStep{
			// Without its file the platform could never back it up.
			Config:      d.config(fmt.Sprintf("name = %q\n  type = \"sqlite\"", d.name)),
			ExpectError: errorText("Missing file_path"),
		},
		resource.TestStep{
			Config:           d.config(fmt.Sprintf("name = %q\n  type = \"sqlite\"\n  file_path = \"/data/other.db\"", d.name)),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("file_path", knownvalue.StringExact("/data/other.db")),
			},
		},
	)
}
