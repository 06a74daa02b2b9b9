package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

func TestParseStartupTimeout(t *testing.T) {
	valid := map[string]time.Duration{"1s": time.Second, "15s": 15 * time.Second, "2m": 2 * time.Minute, "1m30s": 90 * time.Second, "30m": 30 * time.Minute}
	if got, msg := startupTimeoutRange.parse(" 2m\n"); got != 2*time.Minute || msg != "" {
		t.Errorf("spaces around an environment value: %s, %q", got, msg)
	}
	for raw, want := range valid {
		if got, msg := startupTimeoutRange.parse(raw); got != want || msg != "" {
			t.Errorf("startupTimeoutRange.parse(%q) = %s, %q; want %s", raw, got, msg, want)
		}
	}
	invalid := map[string]string{
		"":      "must be a duration",
		"15":    "must be a duration",
		"soon":  "must be a duration",
		"0s":    "must be between 1s and 30m",
		"-5s":   "must be between 1s and 30m",
		"999ms": "must be between 1s and 30m",
		"31m":   "must be between 1s and 30m",
	}
	for raw, want := range invalid {
		if _, msg := startupTimeoutRange.parse(raw); !strings.Contains(msg, want) || !strings.Contains(msg, `"`+raw+`"`) {
			t.Errorf("startupTimeoutRange.parse(%q) = %q, want it to contain %q and the value", raw, msg, want)
		}
	}
}

func TestStartupTimeoutValidator(t *testing.T) {
	for value, wantErr := range map[types.String]bool{
		types.StringValue("45s"):  false,
		types.StringNull():        false,
		types.StringUnknown():     false,
		types.StringValue("45"):   true,
		types.StringValue("1h0m"): true,
	} {
		resp := &validator.StringResponse{}
		startupTimeoutRange.ValidateString(context.Background(),
			validator.StringRequest{Path: path.Root("startup_timeout"), ConfigValue: value}, resp)
		if resp.Diagnostics.HasError() != wantErr {
			t.Errorf("%s: diagnostics %v, want error %v", value, resp.Diagnostics, wantErr)
		}
	}
}

// The attribute wins over the environment variable, which wins over the
// default; a bad environment value is an error on the attribute naming the
// variable.
func TestStartupTimeoutPrecedence(t *testing.T) {
	t.Setenv(envStartupTimeout, "")
	var diags diag.Diagnostics
	if got := startupTimeout(types.StringNull(), &diags); got != client.DefaultStartupTimeout || diags.HasError() {
		t.Errorf("unset: %s %v", got, diags)
	}
	t.Setenv(envStartupTimeout, "40s")
	if got := startupTimeout(types.StringNull(), &diags); got != 40*time.Second || diags.HasError() {
		t.Errorf("from the environment: %s %v", got, diags)
	}
	if got := startupTimeout(types.StringValue("2m"), &diags); got != 2*time.Minute || diags.HasError() {
		t.Errorf("attribute over environment: %s %v", got, diags)
	}
	t.Setenv(envStartupTimeout, "later")
	startupTimeout(types.StringNull(), &diags)
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), envStartupTimeout+" must be a duration") {
		t.Errorf("bad environment value: %v", diags)
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Second: "15s", 30 * time.Second: "30s", 5 * time.Minute: "5m",
		90 * time.Second: "1m30s", time.Hour: "1h", 90 * time.Minute: "1h30m",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

// The registry page states the bounds in words; it must follow the code.
func TestStartupBoundsDocumented(t *testing.T) {
	tmpl, err := os.ReadFile(filepath.Join("..", "..", "templates", "index.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("within **%d seconds** in all", int(client.DefaultStartupTimeout/time.Second)),
		fmt.Sprintf("(at most %d seconds)", int(client.DefaultRequestTimeout/time.Second)),
		fmt.Sprintf("after **%d minutes** per\n  request", int(client.DefaultOperationTimeout/time.Minute)),
		fmt.Sprintf("One attempt never waits longer than %d seconds", int(client.DefaultRequestTimeout/time.Second)),
		"a duration between `" + shortDuration(minStartupTimeout) + "` and `" + shortDuration(maxStartupTimeout) + "`",
		"a third of that",
		envStartupTimeout,
	} {
		if !strings.Contains(string(tmpl), want) {
			t.Errorf("templates/index.md.tmpl does not say %q", want)
		}
	}
	if client.StartupAttemptShare != 3 {
		t.Error("the template says each start-up attempt may take a third of the bound")
	}
}

// The create-backup action's timeout goes through the same range check,
// with its own bounds, at validate time and again at invoke.
func TestBackupActionTimeoutRange(t *testing.T) {
	for raw, want := range map[string]time.Duration{"10m": 10 * time.Minute, "2h": 2 * time.Hour, "1s": time.Second} {
		if got, msg := backupActionTimeoutRange.parse(raw); got != want || msg != "" {
			t.Errorf("parse(%q) = %s, %q; want %s", raw, got, msg, want)
		}
	}
	for raw, want := range map[string]string{"3h": "must be between 1s and 2h", "500ms": "must be between 1s and 2h", "10": "must be a duration"} {
		if _, msg := backupActionTimeoutRange.parse(raw); !strings.Contains(msg, want) {
			t.Errorf("parse(%q): %q, want %q", raw, msg, want)
		}
	}
	resp := &validator.StringResponse{}
	backupActionTimeoutRange.ValidateString(context.Background(),
		validator.StringRequest{Path: path.Root("timeout"), ConfigValue: types.StringValue("3h")}, resp)
	if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != "Invalid timeout" ||
		!strings.Contains(resp.Diagnostics[0].Detail(), `timeout must be between 1s and 2h, got "3h"`) {
		t.Errorf("validating 3h: %v", resp.Diagnostics)
	}
}
