package client

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTLSServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"environments":[]}`)
	}))
	t.Cleanup(srv.Close)
	return srv, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
}

func TestTLS_verifiedByDefaultAndNotRetried(t *testing.T) {
	srv, _ := newTLSServer(t)
	c, w := newTestClient(t, srv.URL)
	_, err := c.ListEnvironments(context.Background())
	if !IsCertificateError(err) {
		t.Fatalf("want a certificate error, got %v", err)
	}
	if len(w.all()) != 0 || !strings.Contains(err.Error(), "after 1 attempt") {
		t.Errorf("an untrusted certificate was retried (waits %v): %v", w.all(), err)
	}
}

func TestTLS_privateCA(t *testing.T) {
	srv, caPEM := newTLSServer(t)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.TLS = TLSConfig{CACertPEM: caPEM} })
	if _, err := c.ListEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestTLS_insecureSkipVerify(t *testing.T) {
	srv, _ := newTLSServer(t)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.TLS = TLSConfig{InsecureSkipVerify: true} })
	if _, err := c.ListEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestTLS_invalidSettings(t *testing.T) {
	for name, cfg := range map[string]Config{
		"not PEM":              {TLS: TLSConfig{CACertPEM: "hello"}},
		"TLS with HTTP client": {TLS: TLSConfig{InsecureSkipVerify: true}, HTTPClient: &http.Client{}},
	} {
		cfg.Endpoint, cfg.Token = "https://deploy.example.com", testToken
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}
