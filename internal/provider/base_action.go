package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// actionBase is embedded by every action (Terraform ≥ 1.14): its type
// name and the provider's data once configured.
type actionBase struct {
	// name is the type name after the provider's, "database_create_backup"
	// for platform_database_create_backup.
	name string
	data *providerData
}

func (b *actionBase) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.name
}

func (b *actionBase) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ready reports whether an invocation may call the platform: reading the
// configuration did not fail and the provider has a client.
func (b *actionBase) ready(diags *diag.Diagnostics) bool {
	return !diags.HasError() && requireClient(b.data, diags)
}

// planning reports whether a plan-time check may call the platform: unlike
// an invocation, a plan goes on without one (the provider may not be
// configured yet, its endpoint depending on values known only later).
func (b *actionBase) planning() bool {
	return b.data != nil && b.data.client != nil
}

// progress sends one progress event, which Terraform shows while the
// action runs.
func progress(resp *action.InvokeResponse, message string) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: message})
	}
}
