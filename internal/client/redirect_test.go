package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A platform behind a redirect (here from one server to another, as an
// https endpoint redirected to http would be) never gets the token: the
// client follows no redirect and says where to point the endpoint.
func TestRedirectIsNotFollowed(t *testing.T) {
	var leaked []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get("Authorization"))
		writeJSON(w, 200, `{"database":{"id":"d1"}}`)
	}))
	t.Cleanup(target.Close)
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			http.Redirect(w, r, target.URL+r.URL.Path, status)
		})
		c, _ := newTestClient(t, f.URL)
		_, err := c.GetDatabase(context.Background(), "d1")
		if err == nil || !strings.Contains(err.Error(), "redirected") || !strings.Contains(err.Error(), target.URL) {
			t.Errorf("%d: err = %v; want the redirect named with its target", status, err)
		}
		if f.count() != 1 {
			t.Errorf("%d: %d requests; a redirect is not retried", status, f.count())
		}
	}
	if len(leaked) != 0 {
		t.Errorf("the redirect target got %d requests, with Authorization %q", len(leaked), leaked)
	}
}

// The same with an HTTP client of the caller's.
func TestRedirectIsNotFollowedWithOwnHTTPClient(t *testing.T) {
	hits := 0
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits++ }))
	t.Cleanup(target.Close)
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusFound)
	})
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{} })
	if _, err := c.GetDatabase(context.Background(), "d1"); err == nil || hits != 0 {
		t.Fatalf("err = %v, %d requests to the redirect target", err, hits)
	}
}
