package acctest

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/platform-iac/terraform-provider-platform/internal/acctest/accenv"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// EnvironmentPrefix starts the name of every environment the suite
// creates on a real platform, so leftovers of a killed run are easy to find.
const EnvironmentPrefix = "tfacc-"

// RealMode reports whether the acceptance suite targets a real platform.
func RealMode() bool {
	return os.Getenv(accenv.Endpoint) != "" && os.Getenv(accenv.AdminToken) != ""
}

// realMode is RealMode, failing the test when only half of the pair is set
// (a run meant for a real platform must not quietly use the simulator).
func realMode(t testing.TB) bool {
	t.Helper()
	endpoint, admin := os.Getenv(accenv.Endpoint) != "", os.Getenv(accenv.AdminToken) != ""
	if endpoint != admin {
		t.Fatalf("set both %s and %s to test against a real platform, or neither for the simulator", accenv.Endpoint, accenv.AdminToken)
	}
	return endpoint
}

type realPlatform struct {
	admin, operator, viewer string
	envs                    map[string]client.Environment // by logical name
	raw                     *rawAPI
}

func (r *realPlatform) token(t testing.TB, value, variable, what string) string {
	t.Helper()
	if value == "" {
		t.Skipf("needs %s: set %s", what, variable)
	}
	return value
}

func newRealPlatform(t testing.TB, logical []string, release string) *Platform {
	t.Helper()
	endpoint := strings.TrimRight(os.Getenv(accenv.Endpoint), "/")
	admin := os.Getenv(accenv.AdminToken)
	c, err := client.New(client.Config{Endpoint: endpoint, Token: admin, UserAgent: "terraform-provider-platform-acctest"})
	if err != nil {
		t.Fatalf("%s: %v", accenv.Endpoint, err)
	}
	r := &realPlatform{
		admin: admin, operator: os.Getenv(accenv.OperatorToken), viewer: os.Getenv(accenv.ViewerToken),
		envs: map[string]client.Environment{},
		raw:  &rawAPI{endpoint: endpoint, token: admin, http: &http.Client{Timeout: time.Minute}},
	}
	p := &Platform{URL: endpoint, t: t, real: r, State: &apiState{t: t, c: c, raw: r.raw}, userAgents: map[string]bool{},
		release: release}
	run := strings.ToLower(acctest.RandString(8))
	for _, name := range logical {
		env := r.createEnvironment(t, uniqueName(run, name))
		r.envs[name] = env
	}
	return p
}

// uniqueName fits the platform's 50-character limit on names.
func uniqueName(run, logical string) string {
	name := EnvironmentPrefix + run + "-" + logical
	if len(name) > 50 {
		name = name[:50]
	}
	return name
}

// createEnvironment creates a throwaway environment and deletes it when
// the test ends; the platform deletes its databases, schedules, backups
// and servers with it.
func (r *realPlatform) createEnvironment(t testing.TB, name string) client.Environment {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stateCallTimeout)
	defer cancel()
	var out struct {
		Environment client.Environment `json:"environment"`
	}
	if err := r.raw.do(ctx, "POST", "/api/environments", map[string]string{"name": name}, &out); err != nil {
		t.Fatalf("creating the throwaway environment %q with the admin token (%s): %v", name, accenv.AdminToken, err)
	}
	id := out.Environment.ID
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stateCallTimeout)
		defer cancel()
		if err := r.raw.do(ctx, "DELETE", "/api/environments/"+url.PathEscape(id), nil, nil); err != nil && !isStatus(err, http.StatusNotFound) {
			t.Errorf("deleting the throwaway environment %q (%s): %v", name, id, err)
		}
	})
	return out.Environment
}

// ScopedToken is the operator token limited to one environment, and that
// environment's id. Real platform only (a simulator test adds its own
// scoped token); skips the test when PLATFORM_ACC_SCOPED_TOKEN or
// PLATFORM_ACC_SCOPED_ENV_ID is missing. The environment is shared by
// every run: name what you make there with a unique prefix and call
// CleanupDatabases.
func (p *Platform) ScopedToken(t testing.TB) (token, envID string) {
	t.Helper()
	if !p.Real() {
		t.Fatal("ScopedToken is for a real platform; on the simulator add a scoped token with Sim.AddToken")
	}
	token = p.real.token(t, os.Getenv(accenv.ScopedToken), accenv.ScopedToken, "an environment-scoped operator token")
	envID = p.real.token(t, os.Getenv(accenv.ScopedEnvID), accenv.ScopedEnvID, "the id of the scoped token's environment")
	return token, envID
}

// CleanupDatabases deletes, when the test ends, every database of the
// environment whose name starts with prefix, backups first. For the
// shared environment of the scoped token; throwaway environments are
// deleted whole anyway.
func (p *Platform) CleanupDatabases(t testing.TB, envID, prefix string) {
	t.Helper()
	t.Cleanup(func() {
		for _, db := range p.State.Databases(envID) {
			if !strings.HasPrefix(db.Name, prefix) {
				continue
			}
			for _, b := range p.State.Backups(db.ID) {
				if err := p.State.DeleteBackup(db.ID, b.ID); err != nil {
					t.Errorf("cleaning up backup %s of %s: %v", b.ID, db.Name, err)
				}
			}
			if err := p.State.DeleteDatabase(db.ID); err != nil && !client.IsNotFound(err) {
				t.Errorf("cleaning up database %s (%s): %v", db.Name, db.ID, err)
			}
		}
	})
}
