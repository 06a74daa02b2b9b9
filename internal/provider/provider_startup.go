package provider

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// envStartupTimeout is read when the provider block leaves startup_timeout
// out, so a slow link can be allowed for without changing configuration.
const envStartupTimeout = "PLATFORM_STARTUP_TIMEOUT"

// The range startup_timeout accepts: below a second not even a TLS
// handshake fits on a slow link, and past half an hour a plan that cannot
// reach the platform is hanging again.
const (
	minStartupTimeout = time.Second
	maxStartupTimeout = 30 * time.Minute
)

func startupTimeoutAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Description: fmt.Sprintf("How long the provider may take, when it starts, to check its token with the platform "+
			"(`GET /api/auth/me`), retries included, as a duration such as `30s` or `2m` (between `%s` and `%s`). "+
			"Defaults to `%s`; each attempt may take a third of it (at most `%s`). An endpoint that refuses connections or "+
			"never answers then fails the plan with an error within this time instead of hanging. Raise it on slow links. "+
			"Falls back to the `%s` environment variable. Later requests are bounded by the resources' `timeouts` "+
			"(reads and data sources by `%s`).",
			shortDuration(minStartupTimeout), shortDuration(maxStartupTimeout), shortDuration(client.DefaultStartupTimeout),
			shortDuration(client.DefaultRequestTimeout), envStartupTimeout, shortDuration(client.DefaultOperationTimeout)),
		Validators: []validator.String{startupTimeoutRange},
	}
}

var startupTimeoutRange = durationBetween{min: minStartupTimeout, max: maxStartupTimeout, summary: "Invalid startup timeout"}

// startupTimeout is the configured bound of the start-up check: the
// attribute, else the environment variable, else the default.
func startupTimeout(v types.String, diags *diag.Diagnostics) time.Duration {
	raw, from := v.ValueString(), "startup_timeout"
	if v.IsNull() || raw == "" {
		raw, from = os.Getenv(envStartupTimeout), envStartupTimeout
	}
	if raw == "" {
		return client.DefaultStartupTimeout
	}
	d, msg := startupTimeoutRange.parse(raw)
	if msg != "" {
		diags.AddAttributeError(path.Root("startup_timeout"), startupTimeoutRange.summary, from+" "+msg)
	}
	return d
}

// shortDuration renders 5m0s as 5m and 1h0m0s as 1h.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// unreachableAdvice explains a start-up check that got no usable answer.
func unreachableAdvice(startup time.Duration) string {
	return fmt.Sprintf("The provider checks its token with GET /api/auth/me when it starts and gives up within startup_timeout (%s). "+
		"Check that the endpoint is right (scheme, host and port) and that the platform is running and reachable from this machine. "+
		"On a slow link, raise startup_timeout in the provider block or the %s environment variable.",
		shortDuration(startup), envStartupTimeout)
}
