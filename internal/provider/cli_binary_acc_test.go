package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Scenarios that need -parallelism, SIGINT or TF_LOG capture cannot be
// written with resource.Test, which drives the CLI itself. These tests run
// the CLI under test (TF_ACC_TERRAFORM_PATH, as scripts/acc.sh sets it) on
// a provider binary built once per test process, installed through a
// dev_overrides CLI configuration, so no registry or init is involved.

const providerSource = "registry.terraform.io/platform-iac/platform"

var builtProvider struct {
	once sync.Once
	dir  string
	err  error
}

// providerDir builds the provider into a directory that lives as long as
// the test process (removed by TestMain).
func providerDir(t *testing.T) string {
	t.Helper()
	builtProvider.once.Do(func() {
		builtProvider.dir, builtProvider.err = os.MkdirTemp("", "tfprov-platform-")
		if builtProvider.err != nil {
			return
		}
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		cmd := exec.Command("go", "build", "-o", filepath.Join(builtProvider.dir, "terraform-provider-platform"), ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			builtProvider.err = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if builtProvider.err != nil {
		t.Fatal(builtProvider.err)
	}
	return builtProvider.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtProvider.dir != "" {
		_ = os.RemoveAll(builtProvider.dir)
	}
	os.Exit(code)
}

// cliWorkspace is one Terraform working directory driven by the real CLI.
type cliWorkspace struct {
	t   *testing.T
	cli string
	dir string
	env []string
	// logPath receives TF_LOG output when logging is on.
	logPath string
}

// newCLIWorkspace skips unless TF_ACC is set, like resource.Test.
func newCLIWorkspace(t *testing.T, endpoint, token string) *cliWorkspace {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make acc)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		if p, err := exec.LookPath("terraform"); err == nil {
			cli = p
		} else {
			t.Skip("no CLI: set TF_ACC_TERRAFORM_PATH")
		}
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, "cli.tfrc")
	writeFile(t, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		providerSource, providerDir(t)))
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "PLATFORM_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLATFORM_ENDPOINT="+endpoint, "PLATFORM_TOKEN="+token)
	return &cliWorkspace{t: t, cli: cli, dir: dir, env: env}
}

// setEnv adds or overrides variables for every later command.
func (w *cliWorkspace) setEnv(kv ...string) { w.env = append(w.env, kv...) }

// traceLogs turns on TRACE logging of the CLI and the provider into a file.
func (w *cliWorkspace) traceLogs() {
	w.logPath = filepath.Join(w.dir, "terraform.log")
	w.setEnv("TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+w.logPath)
}

// providerLogs logs the provider only, at level, into a file.
func (w *cliWorkspace) providerLogs(level string) {
	w.logPath = filepath.Join(w.dir, "terraform.log")
	w.setEnv("TF_LOG_PROVIDER="+level, "TF_LOG_PATH="+w.logPath)
}

func (w *cliWorkspace) logs() string {
	w.t.Helper()
	b, err := os.ReadFile(w.logPath)
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// writeConfig replaces main.tf; body follows the required_providers block.
func (w *cliWorkspace) writeConfig(body string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    platform = {
      source = %q
    }
  }
}
%s`, providerSource, body))
}

// cliResult is one finished CLI command.
type cliResult struct {
	args   []string
	code   int
	stdout string
	stderr string
}

func (r cliResult) output() string { return r.stdout + r.stderr }

func (r cliResult) String() string {
	return fmt.Sprintf("%v exited %d\n--- stdout\n%s\n--- stderr\n%s", r.args, r.code, r.stdout, r.stderr)
}

// run executes the CLI to completion.
func (w *cliWorkspace) run(args ...string) cliResult {
	w.t.Helper()
	cmd, stdout, stderr := w.command(args...)
	err := cmd.Run()
	return w.result(args, cmd, err, stdout, stderr)
}

// mustRun fails the test unless the command exits 0.
func (w *cliWorkspace) mustRun(args ...string) cliResult {
	w.t.Helper()
	res := w.run(args...)
	if res.code != 0 {
		w.t.Fatalf("%s", res)
	}
	return res
}

func (w *cliWorkspace) command(args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	// The deadline only guards against a CLI that hangs; every scenario
	// here finishes in well under it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	w.t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, w.cli, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

func (w *cliWorkspace) result(args []string, cmd *exec.Cmd, err error, stdout, stderr *bytes.Buffer) cliResult {
	w.t.Helper()
	res := cliResult{args: args, stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			w.t.Fatalf("running %v: %v", args, err)
		}
	}
	res.code = cmd.ProcessState.ExitCode()
	return res
}

func (w *cliWorkspace) apply(extra ...string) cliResult {
	return w.mustRun(append([]string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}, extra...)...)
}

// expectEmptyPlan fails unless a refresh-and-plan finds nothing to change.
func (w *cliWorkspace) expectEmptyPlan(extra ...string) {
	w.t.Helper()
	res := w.run(append([]string{"plan", "-input=false", "-no-color", "-detailed-exitcode", "-parallelism=10"}, extra...)...)
	if res.code != 0 {
		w.t.Fatalf("plan after apply is not empty:\n%s", res)
	}
}

// stateDatabases maps each platform_database id in state to its name.
func (w *cliWorkspace) stateDatabases() map[string]string {
	w.t.Helper()
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string         `json:"type"`
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	out := w.mustRun("show", "-json", "-no-color").stdout
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		w.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	dbs := map[string]string{}
	for _, r := range st.Values.RootModule.Resources {
		if r.Type == "platform_database" {
			dbs[fmt.Sprint(r.Values["id"])] = fmt.Sprint(r.Values["name"])
		}
	}
	return dbs
}

// cliVersion is the CLI's major.minor, e.g. 1.11, for skipping features.
func (w *cliWorkspace) cliVersion() (major, minor int) {
	w.t.Helper()
	out := w.mustRun("version").stdout
	m := regexp.MustCompile(`v(\d+)\.(\d+)\.`).FindStringSubmatch(out)
	if m == nil {
		w.t.Fatalf("cannot read the CLI version from %q", out)
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor
}

func (w *cliWorkspace) supportsWriteOnly() bool {
	major, minor := w.cliVersion()
	return major > 1 || minor >= 11
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
