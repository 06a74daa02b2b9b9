package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

func TestAccProvider_tokenRejected(t *testing.T) {
	t.Parallel()
	p := acctest.NewPlatform(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      p.ProviderBlock("bport_pat_revoked") + fmt.Sprintf(`data "platform_environment" "e" { name = %q }`, p.EnvName(acctest.DefaultEnvironment)),
			ExpectError: errorText("Token rejected by " + p.URL),
		}},
	})
}

func TestAccProvider_invalidEndpoint(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"deploy.example.com":                 "endpoint must be an absolute http(s) URL",
		"ftp://deploy.example.com":           "endpoint must be an absolute http(s) URL",
		"https://":                           "endpoint must be an absolute http(s) URL",
		"":                                   "endpoint must be an absolute http(s) URL",
		"https://deploy.example.com/?a=1":    "endpoint must not carry a query or fragment",
		"https://deploy.example.com/#admin":  "endpoint must not carry a query or fragment",
		"https://deploy.example.com:99999/x": "endpoint must be an absolute http(s) URL",
	}
	for endpoint, want := range cases {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				Config: fmt.Sprintf(`
provider "platform" {
  endpoint = %q
  token    = "x"
}
data "platform_environment" "e" { name = "acc" }
`, endpoint),
				ExpectError: errorText(want),
			}},
		})
	}
}

func TestAccProvider_missingToken(t *testing.T) {
	p := acctest.NewPlatform(t)
	t.Setenv("PLATFORM_TOKEN", "")
	t.Setenv("PLATFORM_ENDPOINT", p.URL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf(`data "platform_environment" "e" { name = %q }`, p.EnvName(acctest.DefaultEnvironment)),
			ExpectError: errorText("Missing platform token"),
		}},
	})
}

// The provider block may be left out entirely: endpoint and token then come
// from the environment, and the token is checked once per provider process.
func TestAccProvider_environmentVariables(t *testing.T) {
	p := acctest.NewPlatform(t)
	t.Setenv("PLATFORM_ENDPOINT", p.URL)
	t.Setenv("PLATFORM_TOKEN", p.ViewerToken())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`data "platform_environment" "e" { name = %q }`, p.EnvName(acctest.DefaultEnvironment)),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.platform_environment.e", "id", p.EnvID(t, acctest.DefaultEnvironment)),
				func(*terraform.State) error {
					if p.Real() {
						return nil // only the simulator records User-Agents
					}
					for _, ua := range p.UserAgents() {
						if strings.HasPrefix(ua, "terraform-provider-platform/"+acctest.ProviderVersion+" terraform/") {
							return nil
						}
					}
					return fmt.Errorf("no request carried the provider User-Agent; saw %q", p.UserAgents())
				},
			),
		}},
	})
}

// Endpoint and token computed from other resources are unknown while
// planning; configuring must not fail then.
func TestAccProvider_unknownEndpointDuringPlan(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "endpoint" {
  input = "https://deploy.example.com"
}

provider "platform" {
  endpoint = terraform_data.endpoint.output
  token    = terraform_data.endpoint.id
}

resource "platform_database" "planned" {
  environment_id       = "cenv"
  name                 = "orders"
  type                 = "postgres"
  backup_storage_type  = "spaces"
  backup_spaces_bucket = "b"
}
`,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}
