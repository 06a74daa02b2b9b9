package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/provider"
)

// providerAddress is written fully qualified in test configurations so
// Terraform and OpenTofu (whose default registry differs) resolve the same
// address, the one the in-process provider is attached under.
const providerAddress = "registry.terraform.io/platform-iac/platform"

// cliRun drives the real CLI under test (TF_ACC_TERRAFORM_PATH) in a
// working directory, for scenarios terraform-plugin-testing cannot express,
// such as applying the configuration that plan -generate-config-out wrote.
// It attaches the provider in-process (cheap, debuggable); scenarios that
// need the provider as its own process (SIGINT, TF_LOG_PROVIDER capture,
// peak RSS) use cliWorkspace in cli_binary_acc_test.go instead.
type cliRun struct {
	t   *testing.T
	cli string
	dir string
	env []string
}

// newCLIRun skips unless TF_ACC is set, and when the CLI is older than
// minTerraform (Terraform) or minTofu (OpenTofu). The provider is served
// in-process and attached with TF_REATTACH_PROVIDERS, so nothing is built
// or installed.
func newCLIRun(t *testing.T, minTerraform, minTofu string) *cliRun {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (scripts/acc.sh does)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	r := &cliRun{t: t, cli: cli, dir: t.TempDir()}
	r.skipOlderThan(minTerraform, minTofu)
	r.env = append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_REATTACH_PROVIDERS="+serveProvider(t))
	return r
}

func (r *cliRun) skipOlderThan(minTerraform, minTofu string) {
	r.t.Helper()
	out, err := exec.Command(r.cli, "version", "-json").Output()
	if err != nil {
		r.t.Fatalf("%s version: %v", r.cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		r.t.Fatalf("%s version -json: %v", r.cli, err)
	}
	isTofu := strings.Contains(filepath.Base(r.cli), "tofu")
	minimum := minTerraform
	if isTofu {
		minimum = minTofu
	}
	if goversion.Must(goversion.NewVersion(v.Version)).LessThan(goversion.Must(goversion.NewVersion(minimum))) {
		r.t.Skipf("needs %s ≥ %s, have %s", map[bool]string{true: "OpenTofu", false: "Terraform"}[isTofu], minimum, v.Version)
	}
}

// serveProvider starts the provider in debug mode for the test's lifetime
// and returns the TF_REATTACH_PROVIDERS value that attaches the CLI to it.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	serveErr := make(chan error, 1)
	go func() {
		serveErr <- tf6server.Serve(providerAddress,
			providerserver.NewProtocol6(provider.New(platformacc.ProviderVersion)()),
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

// write puts a file into the working directory.
func (r *cliRun) write(name, content string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

func (r *cliRun) read(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// run executes the CLI and returns its combined output and exit code; it
// fails the test only when the CLI could not be started.
func (r *cliRun) run(args ...string) (string, int) {
	r.t.Helper()
	if args[0] != "state" { // state subcommands take no -no-color
		args = append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)
	}
	cmd := exec.Command(r.cli, args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	}
	r.t.Fatalf("running %s %s: %v", r.cli, strings.Join(args, " "), err)
	return "", -1
}

// mustRun fails the test unless the CLI exits 0.
func (r *cliRun) mustRun(args ...string) string {
	r.t.Helper()
	out, code := r.run(args...)
	if code != 0 {
		r.t.Fatalf("%s %s exited %d:\n%s", filepath.Base(r.cli), strings.Join(args, " "), code, out)
	}
	return out
}

// planExitCode runs plan -detailed-exitcode: 0 no changes, 2 changes.
func (r *cliRun) planExitCode() (string, int) {
	r.t.Helper()
	out, code := r.run("plan", "-input=false", "-detailed-exitcode")
	if code == 1 {
		r.t.Fatalf("plan failed:\n%s", out)
	}
	return out, code
}
