package provider_test

import (
	"fmt"
	"strings"
	"testing"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// Secrets seen by the provider, each unique enough that finding it
// anywhere is a leak.
const (
	secretToken      = "bport_pat_secret_token_d41d8cd98f"
	secretUsername   = "user-5f4dcc3b5aa765d61d8327deb882cf99"
	secretPassword   = "pw-sensitive-9e107d9d372bb6826bd81d35"
	secretPasswordWO = "pw-writeonly-e4d909c290d0fb1ca068ffad"
	secretRotated    = "pw-rotated-0cc175b9c0f1b6a831c399e2697"
)

// With TRACE logging of the CLI and the provider, no secret shows in the
// CLI's output, the logs or error messages, through create, an update that
// rotates the password, a failing create and destroy; the write-only
// password never reaches the state file; the sensitive password is marked
// sensitive in state and plan.
func TestAccSecrets_neverLeak(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	token := secretToken
	if p.Real() {
		// The real operator token is as secret as they come.
		token = p.OperatorToken()
	} else {
		p.Sim.AddToken(simulator.Token{Value: secretToken, Role: simulator.RoleOperator})
	}
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, token)
	w.traceLogs()
	writeOnly := w.supportsWriteOnly()
	// Secrets come in through TF_VAR_*: the CLI logs its own arguments.
	w.setEnv("TF_VAR_username="+secretUsername, "TF_VAR_password="+secretPassword, "TF_VAR_password_wo="+secretPasswordWO)
	w.writeConfig(secretsConfig(envID, writeOnly, false))

	var outputs []string
	outputs = append(outputs, w.apply().output())
	if writeOnly {
		db, ok := p.State.Database(w.stateID("platform_database.wo"))
		if !ok {
			t.Fatal("the database with the write-only password is not on the platform")
		}
		if err := expectPassword(p.State, db, secretPasswordWO); err != nil {
			t.Fatalf("the write-only password did not reach the platform: %v", err)
		}
		state := w.read("terraform.tfstate")
		for _, secret := range []string{secretPasswordWO, token} {
			if strings.Contains(state, secret) {
				t.Errorf("terraform.tfstate contains %q", secret)
			}
		}
	}
	expectPasswordSensitive(t, w)

	// Rotate the sensitive password and plan it: the plan marks it too.
	w.setEnv("TF_VAR_password=" + secretRotated)
	plan := w.mustRun("plan", "-input=false", "-out=rotate.tfplan")
	outputs = append(outputs, plan.output())
	var planJSON struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				AfterSensitive map[string]any `json:"after_sensitive"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	decodeJSON(t, w.mustRun("show", "-json", "rotate.tfplan").stdout, &planJSON)
	marked := false
	for _, rc := range planJSON.ResourceChanges {
		if rc.Address == "platform_database.sensitive" {
			marked = rc.Change.AfterSensitive["password"] == true
		}
	}
	if !marked {
		t.Error("the plan does not mark platform_database.sensitive's password as sensitive")
	}
	outputs = append(outputs, w.mustRun("apply", "-auto-approve", "-input=false", "rotate.tfplan").output())

	// A create the platform refuses: its error must not echo the request.
	w.writeConfig(secretsConfig(envID, writeOnly, true))
	failed := w.run("apply", "-auto-approve", "-input=false")
	if failed.code == 0 || !strings.Contains(failed.output(), "Could not create database") {
		t.Fatalf("the broken create did not fail:\n%s", failed)
	}
	outputs = append(outputs, failed.output())
	outputs = append(outputs, w.mustRun("destroy", "-auto-approve", "-input=false").output())

	logs := w.logs()
	if !strings.Contains(logs, "platform API request body") {
		t.Fatal("the provider's TRACE logs are missing; the test would prove nothing")
	}
	secrets := []string{token, secretUsername, secretPassword, secretPasswordWO, secretRotated}
	for i, out := range append(outputs, logs) {
		for _, secret := range secrets {
			if strings.Contains(out, secret) {
				what := fmt.Sprintf("CLI output #%d", i+1)
				if i == len(outputs) {
					what = "the TRACE log"
				}
				t.Errorf("%s contains the secret %q", what, secret)
			}
		}
	}
}

func secretsConfig(envID string, writeOnly, broken bool) string {
	cfg := fmt.Sprintf(`
variable "username" {
  type      = string
  sensitive = true
}
variable "password" {
  type      = string
  sensitive = true
}
variable "password_wo" {
  type      = string
  sensitive = true
}

resource "platform_database" "sensitive" {
  environment_id = %[1]q
  name           = "secrets-sensitive"
  type           = "postgres"
  username       = var.username
  password       = var.password
}
`, envID)
	if writeOnly {
		cfg += fmt.Sprintf(`
resource "platform_database" "wo" {
  environment_id      = %q
  name                = "secrets-wo"
  type                = "postgres"
  username            = var.username
  password_wo         = var.password_wo
  password_wo_version = 1
}
`, envID)
	}
	if broken {
		cfg += fmt.Sprintf(`
resource "platform_database" "broken" {
  environment_id = %q
  name           = "secrets-broken"
  type           = "postgres"
  server_id      = "cnosuchserver"
  username       = var.username
  password       = var.password
}
`, envID)
	}
	return cfg
}

// expectPasswordSensitive reads the state as JSON: the password must be
// flagged in sensitive_values.
func expectPasswordSensitive(t *testing.T, w *cliWorkspace) {
	t.Helper()
	r, ok := w.stateResource("platform_database.sensitive")
	if !ok {
		t.Error("platform_database.sensitive is not in state")
		return
	}
	if r.SensitiveValues["password"] != true {
		t.Errorf("state does not mark the password sensitive: %v", r.SensitiveValues)
	}
}
