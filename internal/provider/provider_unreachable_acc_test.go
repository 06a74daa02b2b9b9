package provider_test

import (
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// A mistyped endpoint or a platform behind a black-holing firewall fails
// the plan within startup_timeout with an error that says what was tried,
// instead of minutes of silent retries. The endpoints below are on this
// machine: a port nobody listens on, and a listener that accepts and never
// answers.

// unreachableConfig points the provider at endpoint with a short start-up
// bound; the data source makes the plan configure the provider.
func unreachableConfig(endpoint, startup string) string {
	return fmt.Sprintf(`
provider "platform" {
  endpoint        = %q
  token           = %q
  startup_timeout = %q
}

data "platform_environment" "e" { name = %q }
`, endpoint, acctest.OperatorToken, startup, acctest.DefaultEnvironment)
}

func TestAccProvider_refusedEndpointFailsWithinStartupTimeout(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + l.Addr().String()
	_ = l.Close() // connections to it are now refused

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: unreachableConfig(endpoint, "2s"),
			ExpectError: errorText("Could not reach the platform at "+endpoint,
				"gives up within startup_timeout (2s)", "raise startup_timeout", "PLATFORM_STARTUP_TIMEOUT",
				"GET "+endpoint+"/api/auth/me: no usable response after", "attempt(s)", "connection refused"),
		}},
	})
}

func TestAccProvider_silentEndpointFailsWithinStartupTimeout(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, conn); _ = conn.Close() }() // never answers
		}
	}()
	endpoint := "http://" + l.Addr().String()

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			// Each attempt may take a third of the bound.
			Config: unreachableConfig(endpoint, "3s"),
			ExpectError: errorText("Could not reach the platform at "+endpoint,
				"gives up within startup_timeout (3s)",
				"GET "+endpoint+"/api/auth/me:", "attempt(s)", "no response within 1s"),
		}},
	})
}

func TestAccProvider_invalidStartupTimeout(t *testing.T) {
	t.Parallel()
	for value, want := range map[string]string{
		"5":     `startup_timeout must be a duration such as "30s" or "2m", got "5"`,
		"-1s":   `startup_timeout must be between 1s and 30m, got "-1s"`,
		"500ms": `startup_timeout must be between 1s and 30m, got "500ms"`,
		"2h":    `startup_timeout must be between 1s and 30m, got "2h"`,
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				// Validation is offline: this endpoint is never contacted.
				Config:      unreachableConfig("https://deploy.example.com", value),
				ExpectError: errorText("Invalid startup timeout", want),
			}},
		})
	}
}

// PLATFORM_STARTUP_TIMEOUT stands in for the attribute: a bad value is
// refused naming the variable, a good one is used.
func TestAccProvider_startupTimeoutFromEnvironment(t *testing.T) {
	p := acctest.NewPlatform(t)
	config := p.Config(fmt.Sprintf(`data "platform_environment" "e" { name = %q }`, p.EnvName(acctest.DefaultEnvironment)))
	t.Setenv("PLATFORM_STARTUP_TIMEOUT", "soon")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorText("Invalid startup timeout", `PLATFORM_STARTUP_TIMEOUT must be a duration such as "30s" or "2m", got "soon"`),
		}},
	})
	t.Setenv("PLATFORM_STARTUP_TIMEOUT", "1m")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  resource.TestCheckResourceAttr("data.platform_environment.e", "id", p.EnvID(t, acctest.DefaultEnvironment)),
		}},
	})
}
