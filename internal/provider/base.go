package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// resourceBase is embedded by every resource. It holds what is the same for
// all of them, so that a resource's own file is only its platform logic:
// the type name, the provider's data once configured, the identity, and the
// steps every operation starts or ends with.
type resourceBase struct {
	// name is the type name after the provider's, "database_backup" for
	// platform_database_backup.
	name     string
	identity resourceIdentity
	data     *providerData
}

func (b *resourceBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.name
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (b *resourceBase) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = b.identity.schema()
}

// ready reports whether an operation may call the platform: nothing before
// it failed (decoding the plan, say) and the provider has a client.
func (b *resourceBase) ready(diags *diag.Diagnostics) bool {
	return !diags.HasError() && requireClient(b.data, diags)
}

// timeoutFunc is a timeouts.Value's Create, Update or Delete method.
type timeoutFunc func(ctx context.Context, fallback time.Duration) (time.Duration, diag.Diagnostics)

// operation is one create, update or delete under way.
type operation struct {
	// timeout is what the configuration allows it (or the default), for
	// the advice when it runs out.
	timeout time.Duration
	cancel  context.CancelFunc
}

// begin starts an operation whose time the resource's timeouts block
// bounds: when ready, it returns ctx bounded by the configured timeout (or
// fallback); the caller defers op.cancel. ok is false, with the reason in
// diags, when the operation cannot go on.
func (b *resourceBase) begin(ctx context.Context, diags *diag.Diagnostics, timeout timeoutFunc,
	fallback time.Duration) (_ context.Context, op operation, ok bool) {
	if !b.ready(diags) {
		return ctx, op, false
	}
	d, tdiags := timeout(ctx, fallback)
	diags.Append(tdiags...)
	if diags.HasError() {
		return ctx, op, false
	}
	ctx, op.cancel = context.WithTimeout(ctx, d)
	op.timeout = d
	return ctx, op, true
}

// removeGone ends a read that found the object gone (deleted outside
// Terraform, or with its database): the resource leaves the state, and the
// identity is set all the same, because the framework requires one from
// every read that does not fail and a state written before identity has
// none yet. identity holds the identity's values, in its order.
func (b *resourceBase) removeGone(ctx context.Context, resp *resource.ReadResponse, identity ...types.String) {
	tflog.Warn(ctx, "platform_"+b.name+" is gone; removing it from state", map[string]any{"identity": identityLog(identity)})
	resp.State.RemoveResource(ctx)
	resp.Diagnostics.Append(b.identity.set(ctx, resp.Identity, identity...)...)
}

// deleteFailed reports a delete's error under summary, unless there is
// none or it is the platform's 404: what is already gone needs no deleting
// (destroyed out of band, or with its database). advice is only worked out
// for a real failure.
func deleteFailed(diags *diag.Diagnostics, err error, summary string, advice func() string) {
	if err == nil || client.IsNotFound(err) {
		return
	}
	addAPIError(diags, summary, err, advice())
}

func identityLog(values []types.String) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v.ValueString()
	}
	return out
}

// dataSourceBase is embedded by every data source: its type name and the
// provider's data once configured.
type dataSourceBase struct {
	name string
	data *providerData
}

func (b *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.name
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ready reports whether a read may call the platform: reading the
// configuration did not fail and the provider has a client.
func (b *dataSourceBase) ready(diags *diag.Diagnostics) bool {
	return !diags.HasError() && requireClient(b.data, diags)
}

// noAdvice is deleteFailed's advice where the platform's answer says it all.
func noAdvice() string { return "" }
