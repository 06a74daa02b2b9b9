package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// 520 databases, more than one page of 500: the data source pages through
// them transparently, without a request per database, and filters by type
// and name.
func TestAccDatabasesDataSource_pagesAndFilters(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, "empty")
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	emptyID := p.EnvID(t, "empty")
	api := apiClient(t, p)
	const total = 520
	types := []string{"postgres", "mysql", "redis", "sqlite"}
	for i := range total {
		outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo(fmt.Sprintf("db-%03d", i)), Type: ptrTo(types[i%len(types)])})
	}
	orders := outOfBand(t, api, envID, ordersInput("orders-pg"))
	if p.Sim != nil {
		p.Sim.ResetRequests()
	}

	const all, pg, named, none, empty = "data.platform_databases.all", "data.platform_databases.pg", "data.platform_databases.named",
		"data.platform_databases.none", "data.platform_databases.empty"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: p.Config(fmt.Sprintf(`
data "platform_databases" "all" {
  environment_id = %[1]q
}

data "platform_databases" "pg" {
  environment_id = %[1]q
  type           = "postgres"
}

data "platform_databases" "named" {
  environment_id = %[1]q
  name_regex     = "^(orders-|db-00[0-2]$)"
}

data "platform_databases" "none" {
  environment_id = %[1]q
  type           = "oracle"
}

data "platform_databases" "empty" {
  environment_id = %[2]q
}
`, envID, emptyID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(all, attr("databases"), knownvalue.ListSizeExact(total+1)),
				statecheck.ExpectKnownValue(all, attr("databases").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("db-000")),
				statecheck.ExpectKnownValue(all, attr("databases").AtSliceIndex(total).AtMapKey("name"), knownvalue.StringExact("orders-pg")),
				statecheck.ExpectKnownValue(pg, attr("databases"), knownvalue.ListSizeExact(total/len(types)+1)),
				statecheck.ExpectKnownValue(named, attr("databases"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("db-000"), "type": knownvalue.StringExact("postgres")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("db-001"), "type": knownvalue.StringExact("mysql")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("db-002")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(orders.ID), "has_credentials": knownvalue.Bool(true),
						"port": knownvalue.Int64Exact(5432), "last_backup": knownvalue.Null(), "schedule": knownvalue.Null(),
					}),
				})),
				statecheck.ExpectKnownValue(none, attr("databases"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(empty, attr("databases"), knownvalue.ListSizeExact(0)),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
			Check: func(*terraform.State) error {
				// Every read of the four data sources on the big environment
				// costs two list pages; nothing is read one database at a time.
				if p.Sim == nil {
					return nil // request counters: simulator only
				}
				reqs := p.Sim.Requests()
				if n := reqs["GET /api/databases/{id}"]; n != 0 {
					return fmt.Errorf("%d single-database reads; the list path needs none", n)
				}
				if n := reqs["GET /api/environments/{envId}/databases"]; n == 0 || n > 3*9 {
					return fmt.Errorf("%d list requests for a handful of reads of 521 databases in pages of 500", n)
				}
				return nil
			},
		}},
	})
}

func TestAccDatabasesDataSource_invalid(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	cases := map[string]struct {
		body string
		want []string
	}{
		"unknown environment": {`environment_id = "cnope"`, []string{"No such environment", `No environment with id "cnope"`}},
		"bad regex":           {fmt.Sprintf("environment_id = %q\n  name_regex = \"(\"", envID), []string{"Invalid regular expression", "name_regex", "missing closing )"}},
		"no environment":      {``, []string{`The argument "environment_id" is required`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      p.Config("data \"platform_databases\" \"test\" {\n  " + tc.body + "\n}\n"),
					ExpectError: errorText(tc.want...),
				}},
			})
		})
	}
}
