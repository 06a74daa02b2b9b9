package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

func credentialsConfig(name, user, password string) string {
	return fmt.Sprintf("name = %q\n  type = \"postgres\"\n  username = %q\n  password = %q", name, user, password)
}

// Credentials set, rotated, cleared outside Terraform (and restored), then
// removed from configuration (and cleared on the platform).
func TestAccDatabase_credentials(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	storedCreds := func(user, password string, has bool) resource.TestCheckFunc {
		return d.storedCheck(func(db platformDB) error { return expectCredentials(d.p.State, db, user, password, has) })
	}
	d.run(
		resource.TestStep{
			Config:            d.config(credentialsConfig(d.name, "app", "pw-1")),
			ConfigPlanChecks:  planChecks(plancheck.ResourceActionCreate, planIs("has_credentials", knownvalue.Bool(true))),
			ConfigStateChecks: []statecheck.StateCheck{stateIs("has_credentials", knownvalue.Bool(true))},
			Check:             storedCreds("app", "pw-1", true),
		},
		resource.TestStep{
			Config:           d.config(credentialsConfig(d.name, "app", "pw-2")),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
			Check:            storedCreds("app", "pw-2", true),
		},
		resource.TestStep{
			// Someone clears the credentials on the platform: the plan
			// restores them.
			PreConfig: func() {
				db, err := d.stored()
				if err == nil {
					err = d.p.State.PatchDatabase(db.ID, map[string]any{"username": "", "password": ""})
				}
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: d.config(credentialsConfig(d.name, "app", "pw-2")),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate,
				planIs("has_credentials", knownvalue.Bool(true))),
			Check: storedCreds("app", "pw-2", true),
		},
		resource.TestStep{
			Config: d.config(fmt.Sprintf("name = %q\n  type = \"postgres\"", d.name)),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate,
				planIs("has_credentials", knownvalue.Bool(false))),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("username", knownvalue.Null()),
				stateIs("password", knownvalue.Null()),
			},
			Check: storedCreds("", "", false),
		},
	)
}

// password_wo reaches the platform but never the plan or the state;
// bumping password_wo_version sends a new one.
func TestAccDatabase_writeOnlyPassword(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := func(password string, version int) string {
		return d.config(fmt.Sprintf(`
  name                = %q
  type                = "postgres"
  username            = "app"
  password_wo         = %q
  password_wo_version = %d
`, d.name, password, version))
	}
	noSecretInState := func(secret string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			if strings.Contains(s.String(), secret) {
				return fmt.Errorf("the write-only password %q is in the state", secret)
			}
			return nil
		}
	}
	storedPassword := func(want string) resource.TestCheckFunc {
		return d.storedCheck(func(db platformDB) error { return expectPassword(d.p.State, db, want) })
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{
			{
				Config:           cfg("wo-secret-1", 1),
				ConfigPlanChecks: planChecks(plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("password_wo", knownvalue.Null()),
					stateIs("password", knownvalue.Null()),
					stateIs("has_credentials", knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(storedPassword("wo-secret-1"), noSecretInState("wo-secret-1")),
			},
			{
				// A new password with the same version is not sent: the
				// version is what tells Terraform to send it.
				Config:           cfg("wo-secret-2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            storedPassword("wo-secret-1"),
			},
			{
				Config:           cfg("wo-secret-2", 2),
				ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
				Check:            resource.ComposeAggregateTestCheckFunc(storedPassword("wo-secret-2"), noSecretInState("wo-secret-2")),
			},
		},
	})
}

// The sensitive password is in state (marked sensitive); the raw state file
// is checked by the write-only test above. Here: half credentials and
// conflicting passwords fail at plan time without calling the API.
func TestAccDatabase_credentialsInvalid(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	// want: the error's text; " … " separates parts expected in order
	// (summary, the configuration line it points at, detail).
	cases := map[string]struct{ body, want string }{
		"username alone":     {`username = "app"`, `Username without password`},
		"password alone":     {`password = "pw"`, `Invalid Attribute Combination … password = "pw" … Attribute "username" must be specified when "password" is specified`},
		"both passwords":     {"username = \"app\"\n  password = \"pw\"\n  password_wo = \"x\"\n  password_wo_version = 1", `Invalid Attribute Combination … password_wo = "x" … Attribute "password" cannot be specified when "password_wo" is specified`},
		"wo without version": {"username = \"app\"\n  password_wo = \"x\"", `Missing password_wo_version`},
		"version without wo": {"username = \"app\"\n  password = \"pw\"\n  password_wo_version = 1", `Invalid Attribute Combination … password_wo_version = 1 … Attribute "password_wo" must be specified when "password_wo_version" is specified`},
		"empty password":     {"username = \"app\"\n  password = \"\"", `Attribute password string length must be at least 1`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := fmt.Sprintf("name = %q\n  type = \"postgres\"\n  %s", d.name, tc.body)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				TerraformVersionChecks:   writeOnlyCheck(tc.body),
				Steps: []resource.TestStep{{
					Config:      d.config(body),
					ExpectError: errorText(strings.Split(tc.want, " … ")...),
				}},
			})
		})
	}
	if d.p.Sim == nil {
		// No request counters on a real platform: nothing may have been created.
		if dbs := d.databases(); len(dbs) != 0 {
			t.Errorf("invalid configurations created %d databases", len(dbs))
		}
		return
	}
	if n := d.p.Sim.Requests()["POST /api/environments/{envId}/databases"]; n != 0 {
		t.Errorf("invalid configurations sent %d create requests", n)
	}
}
