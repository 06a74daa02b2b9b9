package provider_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// The platform's single-backup read carries the database's encrypted
// credentials, their nonce and the environment's SSH private key. With
// TRACE logging of the CLI and the provider through a backup's create,
// refresh, pin and destroy, none of them reaches the logs, the CLI's
// output or the state.
func TestAccBackupSecrets_neverLogged(t *testing.T) {
	t.Parallel()
	// The secrets looked for are the simulator's: a real platform's
	// encrypted credentials, nonce and SSH key cannot be read to search for.
	platformacc.RequireSimulator(t, "the simulator's fake encrypted credentials and SSH key (BackupReadSecrets), a backup outcome chosen by the test, request counters")
	p := platformacc.NewPlatform(t)
	p.RequireRelease(t, api.FeaturePins)
	db := outOfBand(t, apiClient(t, p), p.EnvID(t, platformacc.DefaultEnvironment), client.DatabaseInput{
		Name: ptrTo(acctest.RandomWithPrefix("tf-acc-backup-secrets")), Type: ptrTo("postgres"),
		DatabaseName: ptrTo("app"), Username: ptrTo("app"), Password: ptrTo("s3cret-never-logged"),
	})
	p.Sim.SetBackupOutcome(db.ID, simulator.CompletedAfter(700*time.Millisecond))
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, platformacc.OperatorToken)
	w.traceLogs()
	config := func(pinned bool) string {
		return fmt.Sprintf(`
resource "platform_database_backup" "test" {
  database_id = %[1]q
  pinned      = %[2]t
}
data "platform_database_backups" "all" {
  database_id = %[1]q
  depends_on  = [platform_database_backup.test]
}
`, db.ID, pinned)
	}
	w.writeConfig(config(false))
	outputs := []string{w.apply().output(), w.plan().output()}
	w.writeConfig(config(true))
	outputs = append(outputs, w.apply().output(), w.mustRun("destroy", "-auto-approve", "-input=false").output())
	outputs = append(outputs, w.read("terraform.tfstate"))

	if n := p.Sim.Requests()["GET /api/backups/{id}"]; n == 0 {
		t.Fatal("the provider never read a backup alone; the test would prove nothing")
	}
	logs := w.logs()
	for _, want := range []string{"platform API response body", "/api/backups/", "database row carries credentials"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the TRACE log lacks %q; the test would prove nothing", want)
		}
	}
	secrets := append(p.Sim.BackupReadSecrets(db.ID), "BEGIN OPENSSH PRIVATE KEY", "s3cret-never-logged")
	for i, out := range append(outputs, logs) {
		for _, secret := range secrets {
			if strings.Contains(out, secret) {
				t.Errorf("output #%d (the last is the TRACE log) contains the secret %q", i+1, secret)
			}
		}
	}
}
