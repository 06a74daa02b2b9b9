// Package acctest gives every acceptance test a private platform: an
// in-process API simulator by default, or throwaway environments on a real
// platform when PLATFORM_ACC_ENDPOINT and PLATFORM_ACC_ADMIN_TOKEN are set
// (see real.go). Checks of what the platform holds go through
// Platform.State, which works the same on both.
package acctest

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/platform-iac/terraform-provider-platform/internal/acctest/accenv"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/provider"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// Tokens every simulated platform accepts. Against a real platform use
// the Platform's AdminToken, OperatorToken and ViewerToken methods.
const (
	AdminToken    = "bport_pat_acc_admin"
	OperatorToken = "bport_pat_acc_operator"
	ViewerToken   = "bport_pat_acc_viewer"
)

// DefaultEnvironment is created on every test platform. Against a real
// platform it is the logical name of a throwaway environment: EnvName
// gives its real name, EnvID its id.
const DefaultEnvironment = "acc"

// ProviderVersion is what the provider reports in tests (User-Agent).
const ProviderVersion = "test"

// ProviderFactories serves the provider in-process to the CLI under test.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"platform": provider.NewProtocol6Server(ProviderVersion),
}

// Platform is the platform private to one test.
type Platform struct {
	// Sim is the simulator, nil against a real platform. Prefer State for
	// checks of platform state and RequireSimulator before using Sim.
	Sim *simulator.Simulator
	// State reads and changes what the platform holds, on either backend.
	State PlatformState
	URL   string
	// CACertPEM is the certificate to trust for an https platform.
	CACertPEM string

	t    testing.TB
	real *realPlatform // nil for the simulator
	// release is the platform's release, "" for the newest build.
	release string

	mu         sync.Mutex
	userAgents map[string]bool
	onRequest  func(*http.Request)
}

// Real reports whether this platform is a real one.
func (p *Platform) Real() bool { return p.real != nil }

// RequireSimulator skips the test against a real platform, saying why: for
// what only the simulator offers (fault injection, request counters,
// rate-limit windows, seeded data, token revocation, a TLS test server).
func (p *Platform) RequireSimulator(t testing.TB, why string) {
	t.Helper()
	if p.Real() {
		t.Skipf("needs the simulator (%s); skipped against the real platform", why)
	}
}

// Release is the platform's release, as 2.3.0; "" is the newest build.
func (p *Platform) Release() string { return p.release }

// RequireRelease skips the test on a platform whose release lacks the
// feature (a real one that PLATFORM_ACC_RELEASE names, or a simulator
// acting as one), saying which release added it. The older-platform tests
// show what the provider does there instead.
func (p *Platform) RequireRelease(t testing.TB, f api.Feature) {
	t.Helper()
	if !f.In(p.release) {
		t.Skipf("needs %s, which BridgePort %s added; the platform under test is %s (%s)", f.Name, f.Since, p.release, accenv.Release)
	}
}

// RequireSimulator is Platform.RequireSimulator before a platform exists,
// for tests that configure the simulator with NewPlatformWith.
func RequireSimulator(t testing.TB, why string) {
	t.Helper()
	if realMode(t) {
		t.Skipf("needs the simulator (%s); skipped against the real platform", why)
	}
}

// OnRequest runs hook before the simulator sees each request, e.g. to
// revoke a token in the middle of an apply. Simulator only.
func (p *Platform) OnRequest(hook func(*http.Request)) {
	p.t.Helper()
	if p.Real() {
		p.t.Fatal("OnRequest needs the simulator: call RequireSimulator first")
	}
	p.mu.Lock()
	p.onRequest = hook
	p.mu.Unlock()
}

// NewPlatform gives the test a platform with the default environment plus
// extra ones: a simulator with the three standard tokens and the rate
// limit off, or, in real-platform mode, throwaway environments that are
// deleted (with everything in them) when the test ends. Either is of the
// release PLATFORM_ACC_RELEASE names (the newest build when it is unset).
func NewPlatform(t testing.TB, extraEnvironments ...string) *Platform {
	t.Helper()
	envs := append([]string{DefaultEnvironment}, extraEnvironments...)
	if realMode(t) {
		return newRealPlatform(t, envs, realRelease(t))
	}
	return NewPlatformWith(t, simulator.Options{Environments: envs, Release: simulatorRelease(t)})
}

// NewPlatformOfRelease is NewPlatform on a platform of the given release:
// the real platform when PLATFORM_ACC_RELEASE names that release, else a
// simulator acting as it; a real platform of another release skips the
// test. For the tests of what the provider does on an older release.
func NewPlatformOfRelease(t testing.TB, release simulator.Release, extraEnvironments ...string) *Platform {
	t.Helper()
	envs := append([]string{DefaultEnvironment}, extraEnvironments...)
	if realMode(t) {
		if under := realRelease(t); under != string(release) {
			t.Skipf("needs a platform of release %s; the real platform under test is %s (%s); the simulator suite "+
				"runs this test on the simulator acting as %[1]s", release, releaseName(under), accenv.Release)
		}
		return newRealPlatform(t, envs, string(release))
	}
	return NewPlatformWith(t, simulator.Options{Environments: envs, Release: release})
}

// realRelease is the real platform's release as PLATFORM_ACC_RELEASE names
// it ("" for the newest build); a value that is no release fails the test.
func realRelease(t testing.TB) string {
	t.Helper()
	release := os.Getenv(accenv.Release)
	if err := api.CheckRelease(release); err != nil {
		t.Fatalf("%s: %v", accenv.Release, err)
	}
	return release
}

// simulatorRelease is the release PLATFORM_ACC_RELEASE asks the simulator
// to act as; one it cannot act as fails the test.
func simulatorRelease(t testing.TB) simulator.Release {
	t.Helper()
	release, err := simulator.ParseRelease(os.Getenv(accenv.Release))
	if err != nil {
		t.Fatalf("%s: %v", accenv.Release, err)
	}
	return release
}

func releaseName(release string) string {
	if release == "" {
		return "the newest build"
	}
	return release
}

// NewPlatformWith is NewPlatform with explicit simulator options; the
// standard tokens are always added. Against a real platform the test is
// skipped: options configure a simulator.
func NewPlatformWith(t testing.TB, opts simulator.Options) *Platform {
	t.Helper()
	RequireSimulator(t, "simulator options")
	return newPlatform(t, opts, httptest.NewServer)
}

// NewTLSPlatform serves the platform over https with a certificate of a
// private test CA, whose PEM is in CACertPEM. Simulator only.
func NewTLSPlatform(t testing.TB) *Platform {
	t.Helper()
	RequireSimulator(t, "a TLS test server with a private CA")
	return newPlatform(t, simulator.Options{}, httptest.NewTLSServer)
}

func newPlatform(t testing.TB, opts simulator.Options, start func(http.Handler) *httptest.Server) *Platform {
	t.Helper()
	opts.Tokens = append(opts.Tokens,
		simulator.Token{Value: AdminToken, Role: simulator.RoleAdmin},
		simulator.Token{Value: OperatorToken, Role: simulator.RoleOperator},
		simulator.Token{Value: ViewerToken, Role: simulator.RoleViewer},
	)
	if len(opts.Environments) == 0 {
		opts.Environments = []string{DefaultEnvironment}
	}
	// The suite's databases live on made-up hosts: their backups complete
	// as on a platform that reached them. A test of a failed dump sets its
	// outcome (SetBackupOutcome) or turns this off (SetDumpAnyHost).
	opts.DumpAnyHost = true
	sim := simulator.New(opts)
	p := &Platform{Sim: sim, State: simState{sim}, t: t, userAgents: map[string]bool{}, release: string(opts.Release)}
	srv := start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.userAgents[r.UserAgent()] = true
		hook := p.onRequest
		p.mu.Unlock()
		if hook != nil {
			hook(r)
		}
		p.Sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	if srv.TLS != nil {
		p.CACertPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	}
	return p
}

// UserAgents lists the distinct User-Agent headers the simulator has seen
// (none against a real platform: it does not tell).
func (p *Platform) UserAgents() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.userAgents))
	for ua := range p.userAgents {
		out = append(out, ua)
	}
	sort.Strings(out)
	return out
}

// EnvID is the id of the environment with the given (logical) name; it
// fails the test if unknown.
func (p *Platform) EnvID(t testing.TB, name string) string {
	t.Helper()
	if p.Real() {
		env, ok := p.real.envs[name]
		if !ok {
			t.Fatalf("the test platform has no environment %q (NewPlatform creates the ones it is given)", name)
		}
		return env.ID
	}
	id := p.Sim.EnvironmentID(name)
	if id == "" {
		t.Fatalf("simulator has no environment %q", name)
	}
	return id
}

// EnvName is the platform's name for an environment the test asked for
// by a logical name: the same name on the simulator, a unique throwaway
// name on a real platform.
func (p *Platform) EnvName(name string) string {
	if p.Real() {
		if env, ok := p.real.envs[name]; ok {
			return env.Name
		}
	}
	return name
}

// AdminToken is a token with the admin role.
func (p *Platform) AdminToken() string {
	if p.Real() {
		return p.real.admin
	}
	return AdminToken
}

// OperatorToken is an all-environments token with the operator role; a
// real platform without one skips the test.
func (p *Platform) OperatorToken() string {
	p.t.Helper()
	if p.Real() {
		return p.real.token(p.t, p.real.operator, accenv.OperatorToken, "an operator token")
	}
	return OperatorToken
}

// ViewerToken is an all-environments token with the viewer role; a real
// platform without one skips the test.
func (p *Platform) ViewerToken() string {
	p.t.Helper()
	if p.Real() {
		return p.real.token(p.t, p.real.viewer, accenv.ViewerToken, "a viewer token")
	}
	return ViewerToken
}

// ProviderBlock is a provider configuration pointing at this platform with
// the given token.
func (p *Platform) ProviderBlock(token string) string {
	return fmt.Sprintf(`
provider "platform" {
  endpoint = %q
  token    = %q
}
`, p.URL, token)
}

// Config prepends the operator-token provider block to body.
func (p *Platform) Config(body string) string {
	p.t.Helper()
	return p.ProviderBlock(p.OperatorToken()) + body
}
