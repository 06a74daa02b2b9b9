package provider_test

import (
	"fmt"
	"net"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const testConnectionRoute = "POST /api/environments/{envId}/databases/{id}/test-connection"

// listeningPort is a port on 127.0.0.1 that accepts connections for the
// test's lifetime: what the simulator's test-connection counts as a
// working database.
func listeningPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// checkedDatabase is a platform_database whose every create and update is
// followed by a connection test, as the docs recommend.
func (d *dbTest) checkedDatabase(host string, port int) string {
	return d.checkedDatabaseOnFailure(host, port, "")
}

// checkedDatabaseOnFailure is checkedDatabase with the trigger's
// on_failure (Terraform ≥ 1.16; "" leaves it out: halt).
func (d *dbTest) checkedDatabaseOnFailure(host string, port int, onFailure string) string {
	if onFailure != "" {
		onFailure = "\n      on_failure = " + onFailure
	}
	return d.config(fmt.Sprintf(`  name = %q
  type = "postgres"
  host = %q
  port = %d

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.platform_database_test_connection.test]%s
    }
  }
`, d.name, host, port, onFailure)) + `
action "platform_database_test_connection" "test" {
  config {
    environment_id = platform_database.test.environment_id
    database_id    = platform_database.test.id
  }
}
`
}

// A database whose host answers passes its connection test after create;
// an update that points it at a port where nothing listens fails the
// apply with the platform's words, naming the database.
func TestAccTestConnectionAction_afterCreateAndUpdate(t *testing.T) {
	d := newDBTest(t)
	d.p.RequireSimulator(t, "a database host the platform can reach (a listener of the test)")
	port := listeningPort(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   actionsCLI,
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{
			{
				PreConfig: d.p.Sim.ResetRequests,
				Config:    d.checkedDatabase("127.0.0.1", port),
				PostApplyFunc: func() {
					if n := d.p.Sim.Requests()[testConnectionRoute]; n != 1 {
						t.Errorf("%d connection tests after the create, want 1", n)
					}
				},
			},
			{
				PreConfig: d.p.Sim.ResetRequests,
				Config:    d.checkedDatabase("127.0.0.1", 1),
				ExpectError: errorText(fmt.Sprintf("The platform cannot connect to database %q", d.name),
					"connect ECONNREFUSED 127.0.0.1:1", "Nothing accepts connections at the database's host and port"),
			},
			{
				PreConfig: func() {
					if n := d.p.Sim.Requests()[testConnectionRoute]; n != 1 {
						t.Errorf("%d connection tests after the update, want 1", n)
					}
					// The update itself was applied: the test reports, it does not undo.
					db, err := d.stored()
					if err != nil || db.Port == nil || *db.Port != 1 {
						t.Errorf("stored port %v (%v), want the updated 1", db.Port, err)
					}
				},
				Config: d.checkedDatabase("127.0.0.1", port),
			},
		},
	})
}

// An environment-scoped token tests the databases of its environment: the
// route carries the environment id, and nothing is refused.
func TestAccTestConnectionAction_scopedToken(t *testing.T) {
	platformacc.RequireSimulator(t, "a scoped token and a database host the platform can reach")
	p := platformacc.NewPlatformWith(t, simulator.Options{
		Environments: []string{platformacc.DefaultEnvironment},
		Tokens: []simulator.Token{{
			Value: scopedToken, Role: simulator.RoleOperator, Environments: []string{platformacc.DefaultEnvironment},
		}},
	})
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	db := outOfBand(t, apiClient(t, p), envID, client.DatabaseInput{
		Name: ptrTo(acctest.RandomWithPrefix("tf-acc-ping")), Type: ptrTo("postgres"),
		Host: ptrTo("127.0.0.1"), Port: ptrTo(int64(listeningPort(t))),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   actionsCLI,
		Steps: []resource.TestStep{{
			PreConfig: p.Sim.ResetRequests,
			Config: p.ProviderBlock(scopedToken) + fmt.Sprintf(`
action "platform_database_test_connection" "test" {
  config {
    environment_id = %q
    database_id    = %q
  }
}

resource "terraform_data" "deploy" {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.platform_database_test_connection.test]
    }
  }
}
`, envID, db.ID),
			PostApplyFunc: func() {
				if n, refused := p.Sim.Requests()[testConnectionRoute], p.Sim.StatusCounts()[403]; n != 1 || refused != 0 {
					t.Errorf("%d connection tests and %d refusals, want 1 and none", n, refused)
				}
			},
		}},
	})
}

// With the real CLI: terraform apply -invoke reports the latency and the
// server's version on success, fails naming the database for a type the
// platform cannot test, and gives a viewer's token the platform's refusal,
// explained.
func TestAccTestConnectionAction_invoke(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	p.RequireSimulator(t, "a database host the platform can reach (a listener of the test)")
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	up := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("tf-acc-up"), Type: ptrTo("postgres"),
		Host: ptrTo("127.0.0.1"), Port: ptrTo(int64(listeningPort(t)))})
	docs := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("tf-acc-docs"), Type: ptrTo("mongodb"),
		Host: ptrTo("127.0.0.1"), Port: ptrTo(int64(27017)), DatabaseName: ptrTo("docs")})
	w := newCLIWorkspace(t, inProcess)
	w.skipUnlessActions()
	w.writeConfig(p.Config(fmt.Sprintf(`
action "platform_database_test_connection" "up" {
  config {
    environment_id = %[1]q
    database_id    = %[2]q
  }
}

action "platform_database_test_connection" "docs" {
  config {
    environment_id = %[1]q
    database_id    = %[3]q
  }
}

provider "platform" {
  alias    = "viewer"
  endpoint = %[4]q
  token    = %[5]q
}

action "platform_database_test_connection" "as_viewer" {
  provider = platform.viewer
  config {
    environment_id = %[1]q
    database_id    = %[2]q
  }
}
`, envID, up.ID, docs.ID, p.URL, p.ViewerToken())))
	w.mustRun("init", "-input=false")
	p.Sim.ResetRequests()
	res := w.mustRun("apply", "-auto-approve", "-input=false", "-invoke=action.platform_database_test_connection.up")
	// A passing test costs its own request and no list (the name is looked
	// up only to name a failure).
	if n := p.Sim.Requests()["GET /api/environments/{envId}/databases"]; n != 0 {
		t.Errorf("a passing connection test listed the environment's databases %d time(s)", n)
	}
	if want := errorText(`The platform connected to database "`+up.ID+`" in`, "ms: PostgreSQL"); !want.MatchString(res.output()) {
		t.Errorf("the invocation does not report the latency and version:\n%s", res)
	}
	res = w.run("apply", "-auto-approve", "-input=false", "-invoke=action.platform_database_test_connection.docs")
	want := errorText(`The platform cannot connect to database "tf-acc-docs"`, "(id "+docs.ID+")",
		"Unsupported database type: mongodb", "can test connections to postgres, mysql, redis")
	if res.code == 0 || !want.MatchString(res.output()) {
		t.Errorf("a type the platform cannot test must fail the invocation, naming the database:\n%s", res)
	}
	res = w.run("apply", "-auto-approve", "-input=false", "-invoke=action.platform_database_test_connection.as_viewer")
	want = errorText(`Could not test the connection to database "tf-acc-up"`, "403 FORBIDDEN_ROLE",
		"The token has the viewer role", "needs a token with the operator or admin role", "testing connections")
	if res.code == 0 || !want.MatchString(res.output()) {
		t.Errorf("a viewer's invocation must fail with the platform's refusal, explained:\n%s", res)
	}
}
