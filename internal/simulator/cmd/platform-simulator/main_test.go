package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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

func TestFlagsFromEnvironment(t *testing.T) {
	t.Setenv("PLATFORM_SIMULATOR_OPERATOR_TOKEN", "from-env")
	t.Setenv("PLATFORM_SIMULATOR_RATE_LIMIT", "7")
	t.Setenv("PLATFORM_SIMULATOR_LISTEN", "127.0.0.1:9")
	t.Setenv("PLATFORM_SIMULATOR_DUMP_ANY_HOST", "true")
	cfg, err := parseFlags([]string{"-listen", "127.0.0.1:0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.listen != "127.0.0.1:0" {
		t.Errorf("the command line must win over the environment: listen %q", cfg.listen)
	}
	if cfg.opts.RateLimit != 7 || !cfg.opts.DumpAnyHost || clientToken(cfg.opts.Tokens) != "from-env" {
		t.Errorf("environment not applied: %+v", cfg.opts)
	}
	t.Setenv("PLATFORM_SIMULATOR_RATE_LIMIT", "many")
	if _, err := parseFlags(nil, io.Discard); err == nil || !strings.Contains(err.Error(), "PLATFORM_SIMULATOR_RATE_LIMIT") {
		t.Errorf("a bad value in the environment must be named: %v", err)
	}
}

func TestSeedFileReplacesTheDefaultEnvironment(t *testing.T) {
	cfg, err := parseFlags([]string{"-seed-file", "x.json"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.envs) != 0 {
		t.Errorf("with a seed file the estate is the seed's, got extra environments %v", cfg.envs)
	}
}

func TestClientToken(t *testing.T) {
	admin := simulator.Token{Value: "a", Role: simulator.RoleAdmin}
	scopedOp := simulator.Token{Value: "s", Role: simulator.RoleOperator, Environments: []string{"e"}}
	op := simulator.Token{Value: "o", Role: simulator.RoleOperator}
	for _, c := range []struct {
		tokens []simulator.Token
		want   string
	}{
		{[]simulator.Token{admin, scopedOp, op}, "o"},
		{[]simulator.Token{admin, scopedOp}, "a"},
		{[]simulator.Token{scopedOp}, ""},
	} {
		if got := clientToken(c.tokens); got != c.want {
			t.Errorf("clientToken(%v) = %q, want %q", c.tokens, got, c.want)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"-version"}, &out, &errOut); code != 0 || strings.TrimSpace(out.String()) == "" {
		t.Errorf("-version: exit %d, %q", code, out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"-help"}, &out, &errOut); code != 0 {
		t.Errorf("-help: exit %d", code)
	}
	// What it is, in the first lines a user reads.
	for _, want := range []string{"test double of the BridgePort platform API", "platform-iac/platform", "It is not a platform"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("help does not say %q", want)
		}
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"-seed-file", filepath.Join(t.TempDir(), "missing.json")}, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "-seed-file") {
		t.Errorf("missing seed file: exit %d, %q", code, errOut.String())
	}
}

// beSimulator makes this test binary run main(), so the process test runs
// the real command without building it.
const beSimulator = "BE_PLATFORM_SIMULATOR"

func TestMain(m *testing.M) {
	if os.Getenv(beSimulator) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// TestProcessServesAndStopsOnSignal runs the command as a module test
// would: start it, read the endpoint it prints, use it, signal it, and
// expect a clean exit.
func TestProcessServesAndStopsOnSignal(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			seed := writeSeed(t, estateJSON)
			envFile := filepath.Join(dir, "env")
			cmd := exec.Command(os.Args[0], "-listen", "127.0.0.1:0", "-seed-file", seed, "-env-file", envFile, "-rate-limit", "0")
			cmd.Env = append(os.Environ(), beSimulator+"=1")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			start := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			lines := bufio.NewScanner(stdout)
			var endpoint string
			var printed []string
			for lines.Scan() {
				printed = append(printed, lines.Text())
				if strings.HasPrefix(lines.Text(), "token ") {
					break
				}
				if u, ok := strings.CutPrefix(lines.Text(), "platform-simulator listening on "); ok {
					endpoint = u
					t.Logf("endpoint printed %v after start", time.Since(start))
				}
			}
			if endpoint == "" {
				t.Fatalf("no endpoint in %q (stderr %q)", printed, stderr.String())
			}
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			if !slices.ContainsFunc(printed, func(l string) bool { return strings.HasPrefix(l, "database staging orders-pg ") }) {
				t.Errorf("seeded database not printed: %q", printed)
			}
			resp, err := http.Get(endpoint + "/health")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("/health: %d", resp.StatusCode)
			}
			env, err := os.ReadFile(envFile)
			if err != nil || string(env) != "PLATFORM_ENDPOINT="+endpoint+"\nPLATFORM_TOKEN="+defaultOperatorToken+"\n" {
				t.Errorf("env file %q (%v)", env, err)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after %v: %v (stderr %q)", sig, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10 s after %v", sig)
			}
		})
	}
}
