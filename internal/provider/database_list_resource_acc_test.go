package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// listResourceCLIs: list blocks and `terraform query` came in Terraform 1.14.
var listResourceCLIs = terraform114Only("list resources")

// skipWithoutListResources is listResourceCLIs for CLI harness scenarios.
func (w *cliWorkspace) skipWithoutListResources() {
	w.t.Helper()
	if v := w.version(); v.tofu {
		w.t.Skipf("OpenTofu %s has no list resources", v.version)
	}
	w.skipOlderThan("1.14.0", "1.14.0") // OpenTofu skipped above
}

// queryTest runs steps after one that only configures the provider: a
// query step reads the provider block from the configuration the step
// before it wrote.
func queryTest(t *testing.T, p *platformacc.Platform, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   listResourceCLIs,
		Steps:                    append([]resource.TestStep{{Config: p.Config("")}}, steps...),
	})
}

// The databases of an environment registered by hand: every one found with
// its identity and a recognisable name, the data source's filters, the
// full state on request (credentials, which the platform never returns,
// null), an environment a typo away from a real one refused, and a list
// block per environment with for_each.
func TestAccDatabaseList_query(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, "other")
	envID, otherID := p.EnvID(t, platformacc.DefaultEnvironment), p.EnvID(t, "other")
	envName := p.EnvName(platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	list := adoptees(p.State.AddServer(envID, "db-host"))
	byName := map[string]*client.Database{}
	for _, a := range list {
		db := outOfBand(t, api, envID, a.in)
		byName[db.Name] = db
	}
	outOfBand(t, api, otherID, client.DatabaseInput{Name: ptrTo("elsewhere"), Type: ptrTo("postgres")})
	orders := byName["orders-pg"]

	queryTest(t, p,
		resource.TestStep{
			Query: true,
			Config: fmt.Sprintf(`
list "platform_database" "all" {
  provider = platform
  config {
    environment_id = %[1]q
  }
}

list "platform_database" "postgres" {
  provider = platform
  config {
    environment_id = %[1]q
    type           = "postgres"
  }
}

list "platform_database" "named" {
  provider = platform
  config {
    environment_id = %[1]q
    name_regex     = "^(orders|billing)-"
  }
}

list "platform_database" "first_three" {
  provider = platform
  limit    = 3
  config {
    environment_id = %[1]q
  }
}

list "platform_database" "full" {
  provider         = platform
  include_resource = true
  config {
    environment_id = %[1]q
    name_regex     = "^orders-pg$"
  }
}

list "platform_database" "estate" {
  for_each = toset([%[1]q, %[2]q])
  provider = platform
  config {
    environment_id = each.value
  }
}
`, envID, otherID),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("platform_database.all", len(list)),
				querycheck.ExpectIdentity("platform_database.all", map[string]knownvalue.Check{
					"id": knownvalue.StringExact(orders.ID), "environment_id": knownvalue.StringExact(envID),
				}),
				querycheck.ExpectResourceDisplayName("platform_database.all",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(orders.ID), "environment_id": knownvalue.StringExact(envID),
					}), knownvalue.StringExact(envName+"/orders-pg")),
				querycheck.ExpectLength("platform_database.postgres", 4),
				querycheck.ExpectLength("platform_database.named", 2),
				querycheck.ExpectResourceDisplayName("platform_database.named",
					queryfilter.ByDisplayName(knownvalue.StringExact(envName+"/billing-pg")), knownvalue.StringExact(envName+"/billing-pg")),
				querycheck.ExpectLength("platform_database.first_three", 3),
				querycheck.ExpectLength("platform_database.full", 1),
				querycheck.ExpectResourceKnownValues("platform_database.full",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(orders.ID), "environment_id": knownvalue.StringExact(envID),
					}), []querycheck.KnownValueCheck{
						{Path: attr("name"), KnownValue: knownvalue.StringExact("orders-pg")},
						{Path: attr("host"), KnownValue: knownvalue.StringExact("pg.example.test")},
						{Path: attr("port"), KnownValue: knownvalue.Int64Exact(5432)},
						{Path: attr("backup_local_path"), KnownValue: knownvalue.StringExact("/var/backups/orders")},
						{Path: attr("has_credentials"), KnownValue: knownvalue.Bool(true)},
						{Path: attr("username"), KnownValue: knownvalue.Null()},
						{Path: attr("password_wo_version"), KnownValue: knownvalue.Null()},
						{Path: attr("force_destroy"), KnownValue: knownvalue.Bool(false)},
						{Path: attr("created_at"), KnownValue: knownvalue.StringExact(orders.CreatedAt)},
					}),
				querycheck.ExpectLength(fmt.Sprintf("platform_database.estate[%q]", envID), len(list)),
				querycheck.ExpectLength(fmt.Sprintf("platform_database.estate[%q]", otherID), 1),
				querycheck.ExpectIdentity(fmt.Sprintf("platform_database.estate[%q]", otherID), map[string]knownvalue.Check{
					"id": knownvalue.NotNull(), "environment_id": knownvalue.StringExact(otherID),
				}),
			},
		},
		resource.TestStep{
			Query: true,
			Config: `
list "platform_database" "typo" {
  provider = platform
  config {
    environment_id = "no-such-environment"
  }
}
`,
			ExpectError: errorText("No such environment", `No environment with id "no-such-environment" is visible`),
		},
	)
}

// A name_regex Go cannot compile is an error on name_regex, before
// anything is listed, in both list resources that take one. Its text names
// the attribute: Terraform resolves a list block's attribute paths against
// the list block rather than its config block, so the error's source range
// shows the block, not the name_regex line.
func TestAccDatabaseList_badNameRegex(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	outOfBand(t, apiClient(t, p), envID, client.DatabaseInput{Name: ptrTo("orders"), Type: ptrTo("postgres")})
	step := func(typeName string) resource.TestStep {
		return resource.TestStep{
			Query: true,
			Config: fmt.Sprintf(`
list %[1]q "bad" {
  provider = platform
  config {
    environment_id = %[2]q
    name_regex     = "^(orders"
  }
}
`, typeName, envID),
			ExpectError: errorText("Invalid regular expression",
				"name_regex is not a valid regular expression (Go RE2 syntax): error parsing regexp: missing closing ): `^(orders`"),
		}
	}
	queryTest(t, p, step("platform_database"), step("platform_database_backup_schedule"))
	if !p.Real() {
		if r := p.Sim.Requests(); r[routeList] != 0 || r[routeEnvironments] != 0 {
			t.Errorf("queries with a bad name_regex sent %v; want no list of environments or databases", r)
		}
	}
}
