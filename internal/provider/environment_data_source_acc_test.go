package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

func TestAccEnvironmentDataSource_byNameAndID(t *testing.T) {
	t.Parallel()
	p := acctest.NewPlatform(t, "staging")
	stagingID := p.EnvID(t, "staging")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: p.Config(fmt.Sprintf(`
data "platform_environment" "by_name" {
  name = %q
}

data "platform_environment" "by_id" {
  id = data.platform_environment.by_name.id
}
`, p.EnvName("staging"))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.platform_environment.by_name", tfjsonpath.New("id"), knownvalue.StringExact(stagingID)),
				statecheck.ExpectKnownValue("data.platform_environment.by_name", tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
				statecheck.ExpectKnownValue("data.platform_environment.by_id", tfjsonpath.New("name"), knownvalue.StringExact(p.EnvName("staging"))),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccEnvironmentDataSource_invalid(t *testing.T) {
	t.Parallel()
	p := acctest.NewPlatform(t)
	cases := map[string]struct {
		body string
		want string
	}{
		"unknown name":  {`name = "nope"`, `No environment with name "nope"`},
		"unknown id":    {`id = "cnope"`, `No environment with id "cnope"`},
		"both":          {fmt.Sprintf("name = %q\n  id = \"x\"", p.EnvName(acctest.DefaultEnvironment)), `Invalid Attribute Combination`},
		"neither":       {``, `Exactly one of these attributes must be configured: [id,name]`},
		"name too long": {`name = "` + strings.Repeat("a", 51) + `"`, `Attribute name string length must be between 1 and 50`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      p.Config("data \"platform_environment\" \"e\" {\n  " + tc.body + "\n}\n"),
					ExpectError: errorText(tc.want),
				}},
			})
		})
	}
}
