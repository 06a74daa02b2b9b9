package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// apiFieldAttributes maps the API's JSON field names, as they appear in
// details[].path and field, to Terraform attribute names. The platform
// names its fields as the attributes in camelCase (databaseTypeId,
// pgDumpOptions.ifExists, cronExpression, keepLast), so the map is derived
// from the schemas and a new attribute needs no entry here.
var apiFieldAttributes = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	add := func(name string) { m[camelCase(name)] = name }
	for _, a := range databaseAttributeTable() {
		add(a.name)
	}
	add("pg_dump_options") // a block, not in the attribute table
	for _, o := range pgDumpOptionTable {
		add(o.name)
	}
	for _, r := range []resource.Resource{NewBackupScheduleResource(), NewBackupPolicyResource()} {
		var resp resource.SchemaResponse
		r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
		for name := range resp.Schema.Attributes {
			add(name)
		}
	}
	return m
})

// camelCase turns backup_compression_level into backupCompressionLevel.
func camelCase(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// attributePath turns an API path such as ["pgDumpOptions","clean"] into the
// Terraform attribute path pg_dump_options.clean; false when any step has no
// attribute.
func attributePath(apiPath []string) (path.Path, bool) {
	if len(apiPath) == 0 {
		return path.Empty(), false
	}
	var p path.Path
	for i, step := range apiPath {
		name, ok := apiFieldAttributes()[step]
		if !ok {
			return path.Empty(), false
		}
		if i == 0 {
			p = path.Root(name)
		} else {
			p = p.AtName(name)
		}
	}
	return p, true
}

// addAPIError reports err under summary. Validation details and the error's
// field become attribute errors, so the CLI points at the offending line;
// the detail carries the API's message, hint and request id, plus advice
// when the platform's answer alone would not tell the user what to do.
func addAPIError(diags *diag.Diagnostics, summary string, err error, advice string) {
	addAPIErrorAt(diags, path.Empty(), summary, err, advice)
}

// addAPIErrorAt is addAPIError with the attribute to blame when the
// platform's answer names none (its 409 and 500 carry no field).
func addAPIErrorAt(diags *diag.Diagnostics, fallback path.Path, summary string, err error, advice string) {
	if f, ok := client.MissingFeature(err); ok {
		// The caller's advice reads the 404 as an object gone; it is not.
		advice = featureAdvice(f)
	}
	advice = joinNonEmpty(advice, roleAdvice(err))
	apiErr, ok := client.AsAPIError(err)
	if !ok {
		diags.AddError(summary, joinNonEmpty(err.Error(), advice))
		return
	}
	mapped := false
	for _, d := range apiErr.Details {
		if p, ok := attributePath(d.Path); ok {
			diags.AddAttributeError(p, summary, joinNonEmpty(d.Message, describeAPIError(apiErr), advice))
			mapped = true
		}
	}
	if !mapped && apiErr.Field != "" {
		if p, ok := attributePath([]string{apiErr.Field}); ok {
			diags.AddAttributeError(p, summary, joinNonEmpty(describeAPIError(apiErr), advice))
			mapped = true
		}
	}
	switch {
	case mapped:
	case !fallback.Equal(path.Empty()):
		diags.AddAttributeError(fallback, summary, joinNonEmpty(describeAPIError(apiErr), advice))
	default:
		diags.AddError(summary, joinNonEmpty(describeAPIError(apiErr), advice))
	}
}

// roleAdvice says what to do about the two answers no retry can change:
// a read-only token and a rejected one.
func roleAdvice(err error) string {
	apiErr, ok := client.AsAPIError(err)
	switch {
	case !ok:
		return ""
	case client.IsForbiddenRole(err):
		return "The token has the viewer role, which may only read. Creating, changing and deleting databases needs a token " +
			"with the operator or admin role, and so do the platform's operations on them (taking backups, testing " +
			"connections, applying retention)."
	case apiErr.Status == 401:
		return "The platform no longer accepts the token: it expired or was revoked during the run. Mint a new API token " +
			"and set it in PLATFORM_TOKEN, then run terraform apply again; resources that finished are in state."
	}
	return ""
}

// featureAdvice explains a route the platform lacks: it is older than
// the release that added the feature.
func featureAdvice(f api.Feature) string {
	return fmt.Sprintf("This platform has no %s: they came with BridgePort %s (its answer is the one it gives for a route "+
		"it does not have), and %s need them. Nothing was changed. Upgrade the platform to %s or later, or leave "+
		"them out of the configuration for this platform; the provider supports BridgePort %s and later.",
		f.Name, f.Since, f.Uses, f.Since, api.OldestRelease)
}

// addMissingFeature reports, at attribute at, that the platform lacks
// feature f for what the configuration asks.
func addMissingFeature(diags *diag.Diagnostics, at path.Path, f api.Feature) {
	diags.AddAttributeError(at, fmt.Sprintf("The platform has no %s (BridgePort %s or later)", f.Name, f.Since), featureAdvice(f))
}

// requireFeature checks, before a write, that the platform has feature f
// (one request per provider process, see client.Supports), and reports at
// attribute at when it does not.
func requireFeature(ctx context.Context, c *client.Client, f api.Feature, at path.Path, diags *diag.Diagnostics) bool {
	ok, err := c.Supports(ctx, f)
	switch {
	case err != nil:
		addAPIError(diags, fmt.Sprintf("Could not check that the platform has %s", f.Name), err, "")
		return false
	case !ok:
		addMissingFeature(diags, at, f)
		return false
	}
	return true
}

// describeAPIError renders what the platform said, for a diagnostic detail.
func describeAPIError(e *client.APIError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The platform answered %d", e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "\nHint: %s", e.Hint)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, "\nRequest id: %s", e.RequestID)
	}
	return b.String()
}

func joinNonEmpty(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}

// isContextDone tells timeouts and cancellations apart from API failures.
func isContextDone(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// scopedTokenAdvice explains a refused update or delete: the platform has
// no environment-scoped route for either, only /api/databases/{id}, which
// it refuses to every environment-scoped token whatever its role.
func scopedTokenAdvice(op string) string {
	return fmt.Sprintf("This provider uses an API token scoped to specific environments. The platform only allows a database %s "+
		"with an all-environments token: it refuses scoped tokens on every /api/databases/{id} route and has no "+
		"environment-scoped route for it. Configure this provider with an operator or admin token that has access to all "+
		"environments (allEnvironments: true); a scoped token can still create, read and import databases.", op)
}

func timeoutAdvice(op string, timeout time.Duration) string {
	return fmt.Sprintf("The %s did not finish within %s. Raise it in the resource's timeouts block (%s = \"...\") "+
		"if the platform is slow or rate limited; the provider retries until then.", op, timeout, op)
}

// contextAdvice is timeoutAdvice for an error that ran out of time, and
// nothing for an interrupt, which no longer timeout would have avoided.
func contextAdvice(err error, op string, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return timeoutAdvice(op, timeout)
	}
	return ""
}
