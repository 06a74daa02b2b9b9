// Package acctest starts an in-process API simulator for acceptance tests
// and wires the provider to it, so every test gets a private platform.
package acctest

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/platform-iac/terraform-provider-platform/internal/provider"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// Tokens every test platform accepts.
const (
	AdminToken    = "bport_pat_acc_admin"
	OperatorToken = "bport_pat_acc_operator"
	ViewerToken   = "bport_pat_acc_viewer"
)

// DefaultEnvironment is created on every test platform.
const DefaultEnvironment = "acc"

// ProviderVersion is what the provider reports in tests (User-Agent).
const ProviderVersion = "test"

// ProviderFactories serves the provider in-process to the CLI under test.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"platform": provider.NewProtocol6Server(ProviderVersion),
}

// Platform is a running simulator private to one test.
type Platform struct {
	Sim *simulator.Simulator
	URL string
	// CACertPEM is the certificate to trust for an https platform.
	CACertPEM string

	mu         sync.Mutex
	userAgents map[string]bool
	onRequest  func(*http.Request)
}

// OnRequest runs hook before the simulator sees each request, e.g. to
// revoke a token in the middle of an apply.
func (p *Platform) OnRequest(hook func(*http.Request)) {
	p.mu.Lock()
	p.onRequest = hook
	p.mu.Unlock()
}

// NewPlatform starts a simulator with the three standard tokens, the default
// environment plus extra ones, and the rate limit off. It stops with the test.
func NewPlatform(t testing.TB, extraEnvironments ...string) *Platform {
	t.Helper()
	return NewPlatformWith(t, simulator.Options{
		Environments: append([]string{DefaultEnvironment}, extraEnvironments...),
	})
}

// NewPlatformWith is NewPlatform with explicit options; the standard tokens
// are always added.
func NewPlatformWith(t testing.TB, opts simulator.Options) *Platform {
	t.Helper()
	return newPlatform(t, opts, httptest.NewServer)
}

// NewTLSPlatform serves the platform over https with a certificate of a
// private test CA, whose PEM is in CACertPEM.
func NewTLSPlatform(t testing.TB) *Platform {
	t.Helper()
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
	p := &Platform{Sim: simulator.New(opts), userAgents: map[string]bool{}}
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

// UserAgents lists the distinct User-Agent headers the platform has seen.
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

// EnvID is the id of the named environment; it fails the test if unknown.
func (p *Platform) EnvID(t testing.TB, name string) string {
	t.Helper()
	id := p.Sim.EnvironmentID(name)
	if id == "" {
		t.Fatalf("simulator has no environment %q", name)
	}
	return id
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
	return p.ProviderBlock(OperatorToken) + body
}
