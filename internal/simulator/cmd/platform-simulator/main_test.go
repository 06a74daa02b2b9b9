package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

func TestRunPrintsAddressAndEnvironments(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-env", "demo", "-env", "other",
			"-operator-token", "bport_pat_dev", "-scoped-token", "sc:viewer:demo", "-rate-limit", "0"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	next := func() []string {
		if !lines.Scan() {
			t.Fatal("output ended early")
		}
		return strings.Fields(lines.Text())
	}
	first := next()
	if len(first) != 4 || strings.Join(first[:3], " ") != "platform-simulator listening on" || strings.HasSuffix(first[3], ":0") {
		t.Fatalf("first line %q", first)
	}
	url := first[3]
	demo, other := next(), next()
	if demo[0] != "environment" || demo[1] != "demo" || other[1] != "other" || demo[2] == "" {
		t.Fatalf("environment lines %q %q", demo, other)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	req, _ := http.NewRequest("GET", url+"/api/environments/"+demo[2]+"/databases", nil)
	req.Header.Set("Authorization", "Bearer bport_pat_dev")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("did not stop on cancel")
	}
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-viewer-token", "", "-scoped-token", "s:operator:a,b", "-fail-503", "0.5",
		"-drop-before", "0.1", "-drop-after", "0.2", "-latency", "10ms", "-rate-window", "2s", "-seed", "9"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]simulator.Role{}
	for _, tok := range cfg.opts.Tokens {
		roles[tok.Value] = tok.Role
	}
	if _, ok := roles[defaultViewerToken]; ok || roles[defaultAdminToken] != simulator.RoleAdmin || roles["s"] != simulator.RoleOperator {
		t.Errorf("tokens %v", roles)
	}
	last := cfg.opts.Tokens[len(cfg.opts.Tokens)-1]
	if strings.Join(last.Environments, ",") != "a,b" {
		t.Errorf("scoped environments %v", last.Environments)
	}
	f := cfg.opts.Faults
	if f.Unavailable != 0.5 || f.DropBefore != 0.1 || f.DropAfter != 0.2 || f.Latency != 10*time.Millisecond {
		t.Errorf("faults %+v", f)
	}
	if cfg.opts.RateLimit != 100 || cfg.opts.RateWindow != 2*time.Second || cfg.opts.Seed != 9 {
		t.Errorf("options %+v", cfg.opts)
	}
	if strings.Join(cfg.envs, ",") != "default" {
		t.Errorf("default environments %v", cfg.envs)
	}
	for _, bad := range [][]string{{"-scoped-token", "x"}, {"-scoped-token", "x:root:a"}, {"extra"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
