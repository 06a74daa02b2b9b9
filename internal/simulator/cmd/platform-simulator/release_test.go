package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

func TestReleaseFlag(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	if err != nil || cfg.opts.Release != simulator.ReleaseLatest {
		t.Fatalf("default release %q (%v)", cfg.opts.Release, err)
	}
	cfg, err = parseFlags([]string{"-release", "2.3.0"}, io.Discard)
	if err != nil || cfg.opts.Release != simulator.Release2_3_0 {
		t.Fatalf("-release 2.3.0: %q (%v)", cfg.opts.Release, err)
	}
	t.Setenv("PLATFORM_SIMULATOR_RELEASE", "2.3.0")
	if cfg, err := parseFlags(nil, io.Discard); err != nil || cfg.opts.Release != simulator.Release2_3_0 {
		t.Fatalf("PLATFORM_SIMULATOR_RELEASE: %q (%v)", cfg.opts.Release, err)
	}
	if cfg, err := parseFlags([]string{"-release", "latest"}, io.Discard); err != nil || cfg.opts.Release != simulator.ReleaseLatest {
		t.Fatalf("the command line must win: %q (%v)", cfg.opts.Release, err)
	}
	_, err = parseFlags([]string{"-release", "2.2.0"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-release") || !strings.Contains(err.Error(), "latest, 2.3.0") {
		t.Errorf("unknown release: %v", err)
	}
}

// TestSeedOnRelease2_3_0: v2.3.0 has no retention policies or pins, so a
// seed that asks for either is refused, naming the part at fault; the
// rest of the estate seeds as on the newest build.
func TestSeedOnRelease2_3_0(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f, err := readSeed(writeSeed(t, estateJSON))
	if err != nil {
		t.Fatal(err)
	}
	_, err = applySeed(simulator.New(simulator.Options{Release: simulator.Release2_3_0}), f, now)
	if err == nil || !strings.Contains(err.Error(), "backupPolicy") || !strings.Contains(err.Error(), "no retention policies") {
		t.Errorf("backupPolicy on 2.3.0: %v", err)
	}
	pinned := `{"environments": [{"name": "staging", "databases": [{"name": "a", "type": "postgres",
		"backups": [{"age": "1h", "pinned": true}]}]}]}`
	if f, err = readSeed(writeSeed(t, pinned)); err != nil {
		t.Fatal(err)
	}
	_, err = applySeed(simulator.New(simulator.Options{Release: simulator.Release2_3_0}), f, now)
	if err == nil || !strings.Contains(err.Error(), "backups[0]") || !strings.Contains(err.Error(), "no pinned backups") {
		t.Errorf("pinned backup on 2.3.0: %v", err)
	}
	plain := strings.ReplaceAll(pinned, `, "pinned": true`, "")
	if f, err = readSeed(writeSeed(t, plain)); err != nil {
		t.Fatal(err)
	}
	if _, err = applySeed(simulator.New(simulator.Options{Release: simulator.Release2_3_0}), f, now); err != nil {
		t.Errorf("plain estate on 2.3.0: %v", err)
	}
}

// TestRunOnRelease2_3_0 starts the command as v2.3.0 and finds the
// retention-policy route missing, in its OpenAPI document and on the route.
func TestRunOnRelease2_3_0(t *testing.T) {
	var errOut strings.Builder
	if code := run(context.Background(), []string{"-release", "3.0"}, io.Discard, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "-release") {
		t.Errorf("bad -release: exit %d, %q", code, errOut.String())
	}
	url := startRun(t, "-release", "2.3.0")
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", url+path, nil)
		req.Header.Set("Authorization", "Bearer "+defaultOperatorToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if status, body := get("/openapi.json"); status != 200 || strings.Contains(body, "backup-policy") || !strings.Contains(body, `"/api/databases/{id}/schedule"`) {
		t.Errorf("/openapi.json: %d %s", status, body)
	}
	if status, body := get("/api/databases/x/backup-policy"); status != 404 || !strings.Contains(body, `"message":"Not found"`) {
		t.Errorf("backup-policy: %d %s", status, body)
	}

}
