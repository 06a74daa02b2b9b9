package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Errors only the platform can detect point at the attribute to fix (the
// CLI then quotes its line) and carry the platform's request id, so the
// failure can be found in the server's logs.
func TestAccDatabase_apiErrorsNameTheAttribute(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		extra string
		twin  string // suffix of the second database's name
		want  []string
	}{
		"duplicate name": {
			extra: "",
			want:  []string{"Could not create database", `name = "`, "409 CONFLICT: Database with this name already exists", "Request id: req-"},
		},
		"unknown server": {
			extra: `server_id = "cnosuchserver"`,
			twin:  "-2",
			want:  []string{"Could not create database", `server_id = "cnosuchserver"`, "500 INTERNAL", "Request id: req-"},
		},
		"unknown environment": {
			extra: `environment_id = "cnosuchenvironment"`,
			twin:  "-2",
			want:  []string{"Could not create database", `environment_id = "cnosuchenvironment"`, "500 INTERNAL", "Request id: req-"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := newDBTest(t)
			env := fmt.Sprintf("environment_id = %q", d.envID)
			if setsArgument(tc.extra, "environment_id") {
				env = ""
			}
			d.run(resource.TestStep{
				Config: d.config(minimalBody(d.name)) + fmt.Sprintf(`
resource "platform_database" "twin" {
  %s
  name       = %q
  type       = "postgres"
  %s
  depends_on = [platform_database.test]
}
`, env, d.name+tc.twin, tc.extra),
				ExpectError: errorText(tc.want...),
			})
		})
	}
}
