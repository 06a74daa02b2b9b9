package provider_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// A viewer token can plan but not apply: one clear error per resource that
// names the missing role, and exactly one request per resource (403 is not
// retried).
func TestAccTokens_viewerCannotApply(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, p.ViewerToken())
	w.writeConfig(manyDatabases(envID, "viewer", 3))

	w.mustRun("plan", "-input=false")
	res := w.run("apply", "-auto-approve", "-input=false")
	if res.code == 0 {
		t.Fatalf("a viewer token applied:\n%s", res)
	}
	out := res.output()
	if n := strings.Count(out, "Error: Could not create database"); n != 3 {
		t.Errorf("%d create errors, want one per resource (3):\n%s", n, out)
	}
	if n := strings.Count(out, "needs a token with the operator or admin role"); n != 3 {
		t.Errorf("%d errors name the missing role, want 3:\n%s", n, out)
	}
	if p.Sim != nil { // request counters: simulator only
		if n := p.Sim.Requests()["POST /api/environments/{envId}/databases"]; n != 3 {
			t.Errorf("%d create requests for 3 resources: a 403 must not be retried", n)
		}
	}
	if n := len(p.State.Databases(envID)); n != 0 {
		t.Errorf("a viewer created %d databases", n)
	}
}

// The token is revoked while an apply is creating databases: the creates
// that follow fail once each with a clear 401 diagnostic, and what was
// created is in state.
func TestAccTokens_revokedMidApply(t *testing.T) {
	t.Parallel()
	const token = "bport_pat_acc_revoked_mid_apply"
	platformacc.RequireSimulator(t, "revoking a token in the middle of an apply")
	p := platformacc.NewPlatform(t)
	p.Sim.AddToken(simulator.Token{Value: token, Role: simulator.RoleOperator})
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	var mu sync.Mutex
	posts := 0
	p.OnRequest(func(r *http.Request) {
		if r.Method != http.MethodPost {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if posts++; posts == 4 {
			p.Sim.RevokeToken(token)
		}
	})
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, token)
	w.writeConfig(manyDatabases(envID, "revoked", 10))

	res := w.run("apply", "-auto-approve", "-input=false", "-parallelism=10")
	if res.code == 0 {
		t.Fatalf("apply succeeded with a revoked token:\n%s", res)
	}
	out := res.output()
	// The hook revokes the token when the 4th create arrives, so at most 3
	// get through; concurrent creates that passed the hook just before it
	// may meet the revoked token too, so fewer may.
	created := len(p.Sim.Databases(envID))
	if created < 1 || created > 3 {
		t.Fatalf("%d databases on the platform, want the 1 to 3 created before the revocation:\n%s", created, out)
	}
	failed := 10 - created
	if n := strings.Count(out, "401 UNAUTHORIZED"); n != failed {
		t.Errorf("%d errors report the 401, want one for each of the %d creates after the revocation:\n%s", n, failed, out)
	}
	if !strings.Contains(out, "expired or was revoked") {
		t.Errorf("the diagnostic does not say the token was revoked:\n%s", out)
	}
	if n := p.Sim.StatusCounts()[http.StatusUnauthorized]; n != failed {
		t.Errorf("the platform answered 401 %d times for %d failed creates: a 401 must not be retried", n, failed)
	}
	if n := len(w.stateDatabases()); n != created {
		t.Errorf("%d databases in state, want the %d created", n, created)
	}
}
