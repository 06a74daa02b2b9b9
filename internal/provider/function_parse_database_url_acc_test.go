package provider_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// Provider-defined functions came in Terraform 1.8 and OpenTofu 1.7 (which
// reports its own version, so 1.8 skips only OpenTofu 1.7, never run here).
var functionCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

const functionExamples = "functions/parse_database_url/"

// The function's object, as the CLI sees it, for a server URL and a file.
func TestAccFunctionParseDatabaseURL_object(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   functionCLIs,
		Steps: []resource.TestStep{{
			Config: `
output "pg" {
  value = provider::platform::parse_database_url("postgresql://app:s3cret@pg.internal:6432/orders?sslmode=verify-full")
}
output "file" {
  value = provider::platform::parse_database_url("sqlite:///data/app.db")
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("pg", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"type": knownvalue.StringExact("postgres"), "host": knownvalue.StringExact("pg.internal"),
					"port": knownvalue.Int64Exact(6432), "database_name": knownvalue.StringExact("orders"),
					"username": knownvalue.StringExact("app"), "password": knownvalue.StringExact("s3cret"),
					"use_ssl": knownvalue.Bool(true), "file_path": knownvalue.Null(),
				})),
				statecheck.ExpectKnownOutputValue("file", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"type": knownvalue.StringExact("sqlite"), "host": knownvalue.Null(), "port": knownvalue.Null(),
					"database_name": knownvalue.Null(), "username": knownvalue.Null(), "password": knownvalue.Null(),
					"use_ssl": knownvalue.Bool(false), "file_path": knownvalue.StringExact("/data/app.db"),
				})),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		}},
	})
}

// A malformed URL fails the plan with the function's reason.
func TestAccFunctionParseDatabaseURL_malformed(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   functionCLIs,
		Steps: []resource.TestStep{{
			Config:      `output "bad" { value = provider::platform::parse_database_url("mysql://shop@mysql.internal:99999/shop") }`,
			PlanOnly:    true,
			ExpectError: errorText(`port "99999" is not a number from 1 to 65535`),
		}},
	})
}

// With the URL in a sensitive variable (as the example declares it), the
// CLI's whole output for a malformed URL carries the reason but not the
// password.
func TestAccFunctionParseDatabaseURL_errorHidesPassword(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, inProcess)
	w.skipOlderThan("1.8.0", "1.7.0")
	w.writeConfig(`
variable "database_url" {
  type      = string
  sensitive = true
}
output "db" {
  value     = provider::platform::parse_database_url(var.database_url)
  sensitive = true
}
`)
	w.mustRun("init", "-input=false", "-backend=false")
	for url, reason := range map[string]*regexp.Regexp{
		"postgres://app:Pa55w0rd@pg.internal:5432/orders?sslmode=sometimes": errorText(`parameter sslmode="sometimes" is not understood`),
		"postgres://app:Pa55w0rd%zz@pg.internal/orders":                     errorText("the user name or password is not valid in a URL"),
	} {
		res := w.run("plan", "-input=false", "-var=database_url="+url)
		out := res.output()
		if res.code == 0 || !reason.MatchString(out) {
			t.Fatalf("plan with a malformed URL should fail with %q:\n%s", reason, res)
		}
		if strings.Contains(out, "Pa55w0rd") {
			t.Errorf("the CLI output shows the password:\n%s", out)
		}
	}
}

// function-register-database.tf registers a database from a DATABASE_URL; a new URL
// changes it in place.
func TestAccExamples_parseDatabaseURLRegister(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, exampleEnvironment)
	envID := p.EnvID(t, exampleEnvironment)
	cfg := p.Config(strings.ReplaceAll(readExample(t, functionExamples+"function-register-database.tf"), exampleEnvID, envID))
	urlVar := func(u string) config.Variables { return config.Variables{"database_url": config.StringVariable(u)} }
	stored := func(host string, port int, password string, ssl bool) resource.TestCheckFunc {
		return exampleStored(p, envID, "orders", func(db platformDB) error {
			return expectAll(
				expectEq("type", db.Type, "postgres"),
				expectEq("host", derefOr(db.Host), host),
				expectEq("port", derefOr(db.Port), port),
				expectEq("databaseName", derefOr(db.DatabaseName), "orders"),
				expectCredentials(p.State, db, "app", password, true),
				expectEq("useSsl", db.UseSSL, ssl),
			)
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   functionCLIs,
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigVariables:  urlVar("postgres://app:ex%40mple@pg.internal.example:6432/orders?sslmode=require"),
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check:            stored("pg.internal.example", 6432, "ex@mple", true),
			},
			{
				Config:          cfg,
				ConfigVariables: urlVar("postgresql://app:rotated@pg2.internal.example/orders"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("platform_database.orders", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: stored("pg2.internal.example", 5432, "rotated", false),
			},
		},
	})
}

// function.tf, as the docs show it.
func TestAccExamples_parseDatabaseURLFunction(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   functionCLIs,
		Steps: []resource.TestStep{{
			Config: readExample(t, functionExamples+"function.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("orders_connection", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"type": knownvalue.StringExact("postgres"), "host": knownvalue.StringExact("pg.internal.example"),
					"port": knownvalue.Int64Exact(5432), "database_name": knownvalue.StringExact("orders"),
					"username": knownvalue.StringExact("app"), "password": knownvalue.Null(),
					"use_ssl": knownvalue.Bool(true), "file_path": knownvalue.Null(),
				})),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		}},
	})
}

func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
