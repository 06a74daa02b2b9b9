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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/provider"
)

// Scenarios resource.Test cannot express (applying what plan
// -generate-config-out wrote, -parallelism, SIGINT, TF_LOG capture) drive
// the CLI under test (TF_ACC_TERRAFORM_PATH, as scripts/acc.sh sets it)
// directly through cliWorkspace.

// providerAddress is written fully qualified in test configurations so
// Terraform and OpenTofu (whose default registries differ) resolve the
// address the provider is attached or installed under.
const providerAddress = "registry.terraform.io/platform-iac/platform"

// providerSupply is how the CLI gets the provider.
type providerSupply int

const (
	// inProcess serves the provider from the test process and attaches the
	// CLI with TF_REATTACH_PROVIDERS: nothing to build, debuggable. The
	// provider then sees the test process's environment, not the CLI's, and
	// logs through the test's sink, so it must be configured in the
	// provider block.
	inProcess providerSupply = iota
	// ownProcess installs a provider binary, built once per test process,
	// through dev_overrides, so the CLI starts it as a plugin as in
	// production: needed for SIGINT, TF_LOG_PROVIDER capture and
	// configuration through PLATFORM_* variables. Such a workspace needs
	// no init, and cannot run it: init still asks the registry for an
	// overridden provider.
	ownProcess
)

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

// cliWorkspace is one working directory driven by the real CLI.
type cliWorkspace struct {
	t      *testing.T
	cli    string
	dir    string
	env    []string
	supply providerSupply
	// logPath receives TF_LOG output when logging is on.
	logPath string
}

// newCLIWorkspace skips unless TF_ACC is set, like resource.Test.
func newCLIWorkspace(t *testing.T, supply providerSupply) *cliWorkspace {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (scripts/acc.sh does)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("no CLI: set TF_ACC_TERRAFORM_PATH")
	}
	w := &cliWorkspace{t: t, cli: cli, dir: t.TempDir(), supply: supply}
	// The machine's CLI configuration, plugin cache or PLATFORM_* variables
	// must not leak into a scenario.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "PLATFORM_") {
			w.env = append(w.env, kv)
		}
	}
	rc := ""
	if supply == ownProcess {
		rc = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
			providerAddress, providerDir(t))
	} else {
		w.env = append(w.env, "TF_REATTACH_PROVIDERS="+serveProvider(t))
	}
	w.write("cli.tfrc", rc)
	w.env = append(w.env, "TF_CLI_CONFIG_FILE="+filepath.Join(w.dir, "cli.tfrc"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		// OpenTofu 1.6's `show` reads the state without the configuration and
		// rewrites registry.terraform.io to registry.opentofu.org in it, so the
		// dev_overrides entry no longer matches; later versions do not, and
		// Terraform ignores the variable.
		"OPENTOFU_STATEFILE_PROVIDER_ADDRESS_TRANSLATION=0")
	return w
}

// serveProvider starts the provider in debug mode for the test's lifetime
// and returns the TF_REATTACH_PROVIDERS value that attaches the CLI to it.
func serveProvider(t *testing.T) string {
	t.Helper()
	// The constructor main.go serves, so the scenarios run the binary's
	// server (protocol.Releasing included), not the bare framework's.
	server, err := provider.NewProtocol6Server(platformacc.ProviderVersion)()
	if err != nil {
		t.Fatalf("building the provider server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	serveErr := make(chan error, 1)
	go func() {
		serveErr <- tf6server.Serve(providerAddress,
			func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case err := <-serveErr:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	value, err := json.Marshal(map[string]any{providerAddress: map[string]any{
		"Protocol": cfg.Protocol, "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": cfg.Test,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(value)
}

// needsOwnProcess fails a scenario that relies on the provider being the
// CLI's child process, where an in-process provider would make it pass
// vacuously or test nothing.
func (w *cliWorkspace) needsOwnProcess(what string) {
	w.t.Helper()
	if w.supply != ownProcess {
		w.t.Fatalf("%s needs the provider in its own process: newCLIWorkspace(t, ownProcess)", what)
	}
}

// setEnv adds or overrides variables for every later command.
func (w *cliWorkspace) setEnv(kv ...string) { w.env = append(w.env, kv...) }

// platformEnv configures the provider through PLATFORM_ENDPOINT and
// PLATFORM_TOKEN.
func (w *cliWorkspace) platformEnv(endpoint, token string) {
	w.t.Helper()
	w.needsOwnProcess("configuring the provider through its environment")
	w.setEnv("PLATFORM_ENDPOINT="+endpoint, "PLATFORM_TOKEN="+token)
}

// traceLogs turns on TRACE logging of the CLI and the provider into a file.
func (w *cliWorkspace) traceLogs() {
	w.t.Helper()
	w.needsOwnProcess("capturing provider logs")
	w.logPath = filepath.Join(w.dir, "terraform.log")
	w.setEnv("TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+w.logPath)
}

// providerLogs logs the provider only, at level, into a file.
func (w *cliWorkspace) providerLogs(level string) {
	w.t.Helper()
	w.needsOwnProcess("capturing provider logs")
	w.logPath = filepath.Join(w.dir, "terraform.log")
	w.setEnv("TF_LOG_PROVIDER="+level, "TF_LOG_PATH="+w.logPath)
}

func (w *cliWorkspace) logs() string {
	w.t.Helper()
	if w.logPath == "" {
		w.t.Fatal("logging is off: call traceLogs or providerLogs first")
	}
	return w.read(filepath.Base(w.logPath))
}

// write puts a file into the working directory.
func (w *cliWorkspace) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *cliWorkspace) read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// writeConfig replaces main.tf; body follows the required_providers block.
func (w *cliWorkspace) writeConfig(body string) {
	w.t.Helper()
	w.write("main.tf", fmt.Sprintf(`terraform {
  required_providers {
    platform = {
      source = %q
    }
  }
}
%s`, providerAddress, body))
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

// cliProcess is a started CLI command.
type cliProcess struct {
	w              *cliWorkspace
	args           []string
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

// start launches the CLI with -no-color added to args.
func (w *cliWorkspace) start(args ...string) *cliProcess {
	w.t.Helper()
	switch args[0] {
	case "state", "version": // take no -no-color
	case "init":
		if w.supply == ownProcess {
			w.t.Fatal("init with a dev_overrides provider would query the registry; run the command directly")
		}
		fallthrough
	default:
		args = append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)
	}
	// The deadline only guards against a CLI that hangs; every scenario
	// here finishes in well under it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	w.t.Cleanup(cancel)
	p := &cliProcess{w: w, args: args}
	p.cmd = exec.CommandContext(ctx, w.cli, args...)
	p.cmd.Dir, p.cmd.Env = w.dir, w.env
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		w.t.Fatalf("starting %s %v: %v", w.cli, args, err)
	}
	return p
}

// interrupt sends SIGINT, as Ctrl-C in a terminal would.
func (p *cliProcess) interrupt() {
	p.w.t.Helper()
	p.w.needsOwnProcess("interrupting the CLI")
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		p.w.t.Fatal(err)
	}
}

// wait returns the result of the finished command; it fails the test only
// when the CLI did not exit by itself.
func (p *cliProcess) wait() cliResult {
	p.w.t.Helper()
	err := p.cmd.Wait()
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			p.w.t.Fatalf("running %v: %v", p.args, err)
		}
	}
	return cliResult{args: p.args, code: p.cmd.ProcessState.ExitCode(), stdout: p.stdout.String(), stderr: p.stderr.String()}
}

// run executes the CLI to completion.
func (w *cliWorkspace) run(args ...string) cliResult {
	w.t.Helper()
	return w.start(args...).wait()
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

func (w *cliWorkspace) apply(extra ...string) cliResult {
	w.t.Helper()
	return w.mustRun(append([]string{"apply", "-auto-approve", "-input=false", "-parallelism=10"}, extra...)...)
}

// plan runs plan -detailed-exitcode and returns its result, code 0 for no
// changes or 2 for changes; an error fails the test.
func (w *cliWorkspace) plan(extra ...string) cliResult {
	w.t.Helper()
	res := w.run(append([]string{"plan", "-input=false", "-detailed-exitcode", "-parallelism=10"}, extra...)...)
	if res.code != 0 && res.code != 2 {
		w.t.Fatalf("plan failed:\n%s", res)
	}
	return res
}

// expectEmptyPlan fails unless a refresh-and-plan finds nothing to change.
func (w *cliWorkspace) expectEmptyPlan(extra ...string) {
	w.t.Helper()
	if res := w.plan(extra...); res.code != 0 {
		w.t.Fatalf("plan after apply is not empty:\n%s", res)
	}
}

// stateResource is one root-module resource of show -json.
type stateResource struct {
	Address         string         `json:"address"`
	Type            string         `json:"type"`
	Values          map[string]any `json:"values"`
	SensitiveValues map[string]any `json:"sensitive_values"`
}

func (w *cliWorkspace) stateResources() []stateResource {
	w.t.Helper()
	var st struct {
		Values struct {
			RootModule struct {
				Resources []stateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	decodeJSON(w.t, w.mustRun("show", "-json").stdout, &st)
	return st.Values.RootModule.Resources
}

func (w *cliWorkspace) stateResource(address string) (stateResource, bool) {
	w.t.Helper()
	for _, r := range w.stateResources() {
		if r.Address == address {
			return r, true
		}
	}
	return stateResource{}, false
}

// stateID is the id of the resource at address in state.
func (w *cliWorkspace) stateID(address string) string {
	w.t.Helper()
	r, ok := w.stateResource(address)
	if !ok {
		w.t.Fatalf("%s is not in state", address)
	}
	return fmt.Sprint(r.Values["id"])
}

// stateDatabases maps each platform_database id in state to its name.
func (w *cliWorkspace) stateDatabases() map[string]string {
	w.t.Helper()
	dbs := map[string]string{}
	for _, r := range w.stateResources() {
		if r.Type == "platform_database" {
			dbs[fmt.Sprint(r.Values["id"])] = fmt.Sprint(r.Values["name"])
		}
	}
	return dbs
}

var cliVersions sync.Map // CLI path → cliVersion

type cliVersion struct {
	tofu    bool
	version *goversion.Version
}

// version reads the CLI's product and version once per test process.
func (w *cliWorkspace) version() cliVersion {
	w.t.Helper()
	v, err := cliVersionOf(w.cli)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

// cliVersionOf runs `cli version` once per test process.
func cliVersionOf(cli string) (cliVersion, error) {
	if v, ok := cliVersions.Load(cli); ok {
		return v.(cliVersion), nil
	}
	out, err := exec.Command(cli, "version").Output()
	if err != nil {
		return cliVersion{}, fmt.Errorf("%s version: %w", cli, err)
	}
	m := regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\S+)$`).FindStringSubmatch(string(out))
	if m == nil {
		return cliVersion{}, fmt.Errorf("cannot read the CLI version from %q", out)
	}
	v, err := goversion.NewVersion(m[2])
	if err != nil {
		return cliVersion{}, fmt.Errorf("%s version %q: %w", m[1], m[2], err)
	}
	cv := cliVersion{tofu: m[1] == "OpenTofu", version: v}
	cliVersions.Store(cli, cv)
	return cv, nil
}

// atLeast reports whether the CLI is Terraform ≥ minTerraform or OpenTofu
// ≥ minTofu.
func (w *cliWorkspace) atLeast(minTerraform, minTofu string) bool {
	w.t.Helper()
	v := w.version()
	minimum := minTerraform
	if v.tofu {
		minimum = minTofu
	}
	return !v.version.LessThan(goversion.Must(goversion.NewVersion(minimum)))
}

// skipOlderThan skips the test on Terraform < minTerraform or OpenTofu <
// minTofu.
func (w *cliWorkspace) skipOlderThan(minTerraform, minTofu string) {
	w.t.Helper()
	if !w.atLeast(minTerraform, minTofu) {
		v := w.version()
		w.t.Skipf("needs Terraform ≥ %s or OpenTofu ≥ %s, have %s %s",
			minTerraform, minTofu, map[bool]string{true: "OpenTofu", false: "Terraform"}[v.tofu], v.version)
	}
}

// supportsWriteOnly: write-only attributes came in Terraform 1.11 and
// OpenTofu 1.11.
func (w *cliWorkspace) supportsWriteOnly() bool {
	w.t.Helper()
	return w.atLeast("1.11.0", "1.11.0")
}

func decodeJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decoding CLI JSON: %v\n%s", err, s)
	}
}
