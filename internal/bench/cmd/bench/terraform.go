package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const benchToken = "bport_pat_bench_operator"

// phaseResult is one phase's figures.
type phaseResult struct {
	name     string
	requests int            // API requests the simulator saw
	routes   map[string]int // the same by route
	status   map[int]int    // responses by status
	wall     time.Duration  // wall time
	rssKB    int64          // peak RSS over the provider processes of the phase; 0 if none ran
	cpu      time.Duration  // CPU time (user + system) of those processes together
	logLines int            // lines those processes wrote to standard error
	procs    int            // provider processes the CLI started
}

// errorResponses counts non-2xx answers, 429s included.
func (r phaseResult) errorResponses() int {
	n := 0
	for code, c := range r.status {
		if code >= 400 {
			n += c
		}
	}
	return n
}

type benchEnv struct {
	o          options
	root       string // module root
	work       string
	sim        *simulator.Simulator
	url        string
	stopSim    func()
	cliVersion string
}

func newBenchEnv(ctx context.Context, o options) (*benchEnv, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "platform-bench-")
	if err != nil {
		return nil, err
	}
	e := &benchEnv{o: o, root: root, work: work}
	if err := e.build(ctx); err != nil {
		e.close()
		return nil, err
	}
	if err := e.writeCLIConfig(); err != nil {
		e.close()
		return nil, err
	}
	// With the bench's own CLI configuration: OpenTofu warns on stdout about a
	// TF_CLI_CONFIG_FILE that does not exist.
	version := exec.CommandContext(ctx, o.cli, "version")
	version.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+e.cliConfigPath(), "CHECKPOINT_DISABLE=1")
	out, err := version.Output()
	if err != nil {
		e.close()
		return nil, fmt.Errorf("%s version: %w", o.cli, err)
	}
	e.cliVersion = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	e.sim = simulator.New(simulator.Options{
		Tokens: []simulator.Token{{Value: benchToken, Role: simulator.RoleOperator}},
	})
	e.url, e.stopSim = e.sim.Start()
	return e, nil
}

func (e *benchEnv) cliConfigPath() string { return filepath.Join(e.work, "terraformrc") }

func (e *benchEnv) close() {
	if e.stopSim != nil {
		e.stopSim()
	}
	if e.o.keep {
		fmt.Println("kept", e.work)
		return
	}
	_ = os.RemoveAll(e.work)
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module root (run from inside the repository): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// build compiles the provider, the no-op plugin baseline and, under the
// provider's name in the dev_overrides directory, the wrapper that records
// the peak RSS of whichever of the two it is told to run.
func (e *benchEnv) build(ctx context.Context) error {
	for _, b := range []struct{ out, pkg string }{
		{e.pluginPath("platform"), "."},
		{e.pluginPath("noop"), "./internal/bench/cmd/noopprovider"},
		{filepath.Join(e.work, "plugins", "terraform-provider-platform"), "./internal/bench/cmd/rsswrap"},
	} {
		args := []string{"build", "-trimpath", "-ldflags", "-s -w -X main.version=0.0.0-bench", "-o", b.out}
		if e.o.profile != "" {
			args = append(args, "-tags", "benchprofile")
		}
		cmd := exec.CommandContext(ctx, "go", append(args, b.pkg)...)
		cmd.Dir, cmd.Stderr = e.root, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", b.pkg, err)
		}
	}
	return nil
}

// pluginPath is the binary the wrapper runs for a kind of run: the provider,
// or the no-op plugin that serves the same schema.
func (e *benchEnv) pluginPath(kind string) string {
	if kind == "noop" {
		return filepath.Join(e.work, "noop", "terraform-provider-platform")
	}
	return filepath.Join(e.work, "real", "terraform-provider-platform")
}

func (e *benchEnv) writeCLIConfig() error {
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/platform-iac/platform" = %q
    "registry.opentofu.org/platform-iac/platform" = %q
  }
  direct {}
}
`, filepath.Join(e.work, "plugins"), filepath.Join(e.work, "plugins"))
	return os.WriteFile(e.cliConfigPath(), []byte(rc), 0o600)
}

func (e *benchEnv) describeMachine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s/%s, %s", runtime.NumCPU(), cpu, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// platformConfig is applied with the provider and, in its place, with the
// no-op plugin; v is the value an update changes.
const platformConfig = `
variable "n" { type = number }
variable "v" { type = number }
variable "env" { type = string }

terraform {
  required_providers {
    platform = { source = "platform-iac/platform" }
  }
}

provider "platform" {}

resource "platform_database" "db" {
  count          = var.n
  environment_id = var.env
  name           = "bench-${count.index}"
  type           = "postgres"
  host           = "pg.bench.internal"
  port           = var.v
  database_name  = "bench"
}
`

// configs are the configurations of each kind of run.
var configs = map[string]string{
	"platform": platformConfig,
	"noop":     platformConfig,
	"terraform_data": `
variable "n" { type = number }
variable "v" { type = number }
variable "env" { type = string }

resource "terraform_data" "db" {
  count = var.n
  input = { name = "bench-${count.index}", env = var.env, port = var.v }
}
`,
}

// runPhases runs the four phases on n resources of one kind in a fresh
// directory and environment; withQuery also queries the databases, after
// the update and before the destroy, in every mode of queryModes.
func (e *benchEnv) runPhases(ctx context.Context, kind string, n int, withQuery bool) (results, queries []phaseResult, err error) {
	dir := filepath.Join(e.work, fmt.Sprintf("%s-%d", kind, n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configs[kind]), 0o600); err != nil {
		return nil, nil, err
	}
	envID := e.sim.CreateEnvironment(fmt.Sprintf("%s-%d-%d", kind, n, time.Now().UnixNano()))
	vars := func(v int) []string {
		return []string{"-var", "n=" + strconv.Itoa(n), "-var", "v=" + strconv.Itoa(v), "-var", "env=" + envID}
	}
	par := "-parallelism=" + strconv.Itoa(e.o.parallelism)
	phases := []struct {
		name string
		args []string
	}{
		{"apply-create", append([]string{"apply", "-auto-approve", par}, vars(5432)...)},
		{"plan-refresh", append([]string{"plan", "-detailed-exitcode", par}, vars(5432)...)},
		{"apply-update", append([]string{"apply", "-auto-approve", par}, vars(5433)...)},
		{"destroy", append([]string{"destroy", "-auto-approve", par}, vars(5433)...)},
	}
	for _, p := range phases {
		if p.name == "destroy" && withQuery {
			if queries, err = e.queryPhases(ctx, envID, n); err != nil {
				return nil, nil, err
			}
		}
		r, _, err := e.runCommand(ctx, dir, e.pluginPath(kind), p.name, e.profileDir(kind, n, p.name), append(p.args, "-input=false", "-compact-warnings"))
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", kind, p.name, err)
		}
		results = append(results, r)
	}
	if left := len(e.sim.Databases(envID)); left != 0 {
		return nil, nil, fmt.Errorf("%s: %d databases left after destroy", kind, left)
	}
	return results, queries, nil
}

// profileDir is where a phase's provider profiles go; "" when not profiling.
func (e *benchEnv) profileDir(kind string, n int, phase string) string {
	if e.o.profile == "" {
		return ""
	}
	dir, err := filepath.Abs(filepath.Join(e.o.profile, fmt.Sprintf("%s-%d-%s", kind, n, phase)))
	if err != nil || os.MkdirAll(dir, 0o755) != nil {
		return ""
	}
	return dir
}

// runCommand runs one CLI command as a measured phase and returns its
// figures and output.
func (e *benchEnv) runCommand(ctx context.Context, dir, plugin, name, profileDir string, args []string) (phaseResult, string, error) {
	rssFile := filepath.Join(e.work, "rss-"+strings.ReplaceAll(name, " ", "_"))
	_ = os.Remove(rssFile)
	if e.o.rateLimit {
		// A fresh window per phase, so each is measured from the same start.
		e.sim.SetRateLimit(e.o.limit, e.o.window)
	}
	e.sim.ResetRequests()

	cmd := exec.CommandContext(ctx, e.o.cli, append(args, "-no-color")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+e.cliConfigPath(),
		"PLATFORM_ENDPOINT="+e.url, "PLATFORM_TOKEN="+benchToken,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"BENCH_REAL_PROVIDER="+plugin,
		"BENCH_RSS_FILE="+rssFile, "BENCH_PROFILE_DIR="+profileDir,
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return phaseResult{}, "", fmt.Errorf("%w\n%s", err, out.String())
	}
	r := phaseResult{
		name: name, requests: e.sim.TotalRequests(), routes: e.sim.Requests(), status: e.sim.StatusCounts(), wall: wall,
	}
	r.rssKB, r.cpu, r.logLines, r.procs = providerUsage(rssFile)
	return r, out.String(), nil
}

// providerUsage reads what the wrapper recorded for each provider process
// of the phase (the CLI starts the provider more than once per command):
// the largest peak RSS, the CPU time and log lines summed, and how many
// processes there were.
func providerUsage(path string) (peakKB int64, cpu time.Duration, logLines, procs int) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, 0, 0
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var kb, ms int64
		var lines int
		if _, err := fmt.Sscanf(line, "%d %d %d", &kb, &ms, &lines); err == nil {
			peakKB = max(peakKB, kb)
			cpu += time.Duration(ms) * time.Millisecond
			logLines += lines
			procs++
		}
	}
	return peakKB, cpu, logLines, procs
}
