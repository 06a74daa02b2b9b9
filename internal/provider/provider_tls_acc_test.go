package provider_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// An https platform behind a private CA: verified by default (a clear
// certificate error, not a retry loop), trusted through ca_cert_pem or
// ca_cert_file, reachable with insecure_skip_verify only with a warning.
// Plain http to another host warns too.
func TestAccProvider_tls(t *testing.T) {
	t.Parallel()
	p := platformacc.NewTLSPlatform(t)
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, platformacc.ViewerToken)
	w.write("ca.pem", p.CACertPEM)
	caFile := filepath.Join(w.dir, "ca.pem")
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	plan := func(providerBody string) cliResult {
		w.writeConfig(fmt.Sprintf(`
provider "platform" {
%s
}

data "platform_environment" "e" {
  name = %q
}

output "id" {
  value = data.platform_environment.e.id
}
`, providerBody, platformacc.DefaultEnvironment))
		return w.run("plan", "-input=false")
	}
	expect := func(name string, res cliResult, code int, parts ...string) {
		t.Helper()
		if res.code != code {
			t.Errorf("%s: exit code %d, want %d\n%s", name, res.code, code, res)
			return
		}
		for _, part := range parts {
			if !errorText(part).MatchString(res.output()) {
				t.Errorf("%s: output lacks %q\n%s", name, part, res)
			}
		}
	}

	// "after 1 attempt": no retry can make a certificate trusted.
	expect("system roots only", plan(""), 1,
		"Untrusted TLS certificate at "+p.URL, "after 1 attempt(s): tls: failed to verify certificate",
		"set ca_cert_pem or ca_cert_file")
	expect("ca_cert_pem", plan("  ca_cert_pem = <<-PEM\n"+p.CACertPEM+"  PEM"), 0, envID)
	expect("ca_cert_file", plan(fmt.Sprintf("  ca_cert_file = %q", caFile)), 0, envID)
	expect("insecure_skip_verify", plan("  insecure_skip_verify = true"), 0,
		"Warning: TLS certificate verification is disabled", envID)
	expect("not a certificate", plan(`  ca_cert_pem = "hello"`), 1, "Invalid CA certificate", "ca_cert_pem holds no PEM certificate")
	expect("both CA forms", plan(fmt.Sprintf("  ca_cert_pem = \"x\"\n  ca_cert_file = %q", caFile)), 1, "ca_cert_file")

	// Loopback http is a normal development setup; another host is not.
	w.setEnv("PLATFORM_ENDPOINT=http://platform.invalid")
	expect("plain http", plan(""), 1, "Warning: Plain http endpoint", "unencrypted")
	local := platformacc.NewPlatform(t)
	w.setEnv("PLATFORM_ENDPOINT=" + local.URL)
	if res := plan(""); res.code != 0 || strings.Contains(res.output(), "Plain http endpoint") {
		t.Errorf("loopback http: exit %d or a warning\n%s", res.code, res)
	}
}
