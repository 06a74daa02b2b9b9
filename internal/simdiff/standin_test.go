package simdiff

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// rewrite changes a decoded answer body of the stand-in platform.
type rewrite func(r *http.Request, body any) any

// standIn serves a fresh simulator as the platform the differential
// compares with, every JSON answer passed through the rewrites: a test
// breaks "the platform" on purpose and sees whether the differential
// notices, running the real scenarios.
func standIn(t *testing.T, release simulator.Release, rewrites ...rewrite) Target {
	t.Helper()
	return standInWith(t, simulator.Options{RateLimit: 100000, RateWindow: 60e9, Release: release}, rewrites...)
}

// standInWith is standIn with the simulator's limit, window, clock and
// release as opts says.
func standInWith(t *testing.T, opts simulator.Options, rewrites ...rewrite) Target {
	t.Helper()
	release := opts.Release
	opts.Tokens = []simulator.Token{
		{Value: "a", Role: simulator.RoleAdmin, Email: "admin@example.test", Name: "Admin"},
		{Value: "o", Role: simulator.RoleOperator, ServiceAccount: "op"},
		{Value: "v", Role: simulator.RoleViewer, ServiceAccount: "view"},
		{Value: "s", Role: simulator.RoleOperator, ServiceAccount: "scoped", Environments: []string{"simdiff-scoped"}},
	}
	opts.Environments = []string{"simdiff-scoped"}
	sim := simulator.New(opts)
	simURL, stop := sim.Start()
	t.Cleanup(stop)
	target, _ := url.Parse(simURL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		data, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
		var body any
		if json.Unmarshal(data, &body) == nil {
			for _, rw := range rewrites {
				body = rw(resp.Request, body)
			}
			data, _ = json.Marshal(body)
		}
		resp.Body = io.NopCloser(bytes.NewReader(data))
		resp.ContentLength = int64(len(data))
		resp.Header.Set("Content-Length", strconv.Itoa(len(data)))
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return Target{Name: "platform", URL: front.URL, ScopedEnvID: sim.EnvironmentID("simdiff-scoped"),
		Tokens: map[string]string{Admin: "a", Operator: "o", Viewer: "v", Scoped: "s"}, Release: string(release),
		NoCollector: true}
}

// eachObject applies f to every object in v, depth first.
func eachObject(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(x)
		for _, e := range x {
			eachObject(e, f)
		}
	case []any:
		for _, e := range x {
			eachObject(e, f)
		}
	}
}

// likeThePlatform makes the stand-in answer as the platform does where a
// simulator's own answer would differ between two of them: an environment
// made through the API has no SSH key, where the simulator's fake key
// names the environment's id.
func likeThePlatform(_ *http.Request, body any) any {
	eachObject(body, func(m map[string]any) {
		if _, ok := m["sshPrivateKey"]; ok {
			m["sshPrivateKey"] = nil
		}
	})
	return body
}

// backupRows applies f to every backup row of an answer: the objects with
// a status and a databaseId.
func backupRows(f func(row map[string]any)) rewrite {
	return func(_ *http.Request, body any) any {
		eachObject(body, func(m map[string]any) {
			if _, ok := m["databaseId"]; ok && m["status"] != nil {
				f(m)
			}
		})
		return body
	}
}
