package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// resourceIdentity is a resource's identity (Terraform ≥ 1.12): string
// attributes, each also an attribute of the resource's state by the same
// name. The first names the object on its own and is required on import;
// the others are optional and only spare the read that follows an import a
// request.
type resourceIdentity struct {
	attributes []identityAttribute
	// names says what the first attribute names, for the import error:
	// "a database", "the database whose schedule to import".
	names string
}

type identityAttribute struct {
	name        string
	description string
}

func (i resourceIdentity) schema() identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(i.attributes))
	for n, a := range i.attributes {
		attrs[a.name] = identityschema.StringAttribute{
			RequiredForImport: n == 0,
			OptionalForImport: n > 0,
			Description:       a.description,
		}
	}
	return identityschema.Schema{Attributes: attrs}
}

// set records the identity, values in the order of its attributes. Every
// create, read and update sets it, so a state written before identity
// existed gains one on its next refresh; the framework hands every CLI an
// identity to fill, and those without identity support ignore it.
func (i resourceIdentity) set(ctx context.Context, identity *tfsdk.ResourceIdentity, values ...types.String) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	var diags diag.Diagnostics
	for n, a := range i.attributes {
		v := types.StringNull()
		if n < len(values) && !values[n].IsUnknown() {
			v = values[n]
		}
		diags.Append(identity.SetAttribute(ctx, path.Root(a.name), v)...)
	}
	return diags
}

// importByIdentity starts an import from an `identity` in an import block
// (the request then has no id): each attribute given is copied into the
// state, and the read that follows fills in the rest. It reports false,
// doing nothing, for an import by id.
func (i resourceIdentity) importByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) bool {
	if req.ID != "" || req.Identity == nil {
		return false
	}
	for n, a := range i.attributes {
		var v types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(a.name), &v)...)
		if resp.Diagnostics.HasError() {
			return true
		}
		if v.ValueString() == "" {
			if n == 0 {
				resp.Diagnostics.AddError("Invalid import identity", fmt.Sprintf("The identity's %s must name %s.", a.name, i.names))
				return true
			}
			continue
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a.name), v)...)
	}
	return true
}

// keyedByDatabase is the identity of what a database has at most one of,
// its backup schedule and its backup policy: the database's id names it.
func keyedByDatabase(of, names string) resourceIdentity {
	return resourceIdentity{
		attributes: []identityAttribute{{name: "database_id", description: "Id of the database " + of + "."}},
		names:      names,
	}
}

// importByDatabaseID imports what a database has at most one of, from the
// import id or the identity, both the database's id; the state's id is the
// same. what completes "Expected the id of the database …".
func (b *resourceBase) importByDatabaseID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse,
	what string) {
	dbID := types.StringValue(req.ID)
	if b.identity.importByIdentity(ctx, req, resp) {
		resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("database_id"), &dbID)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if dbID.ValueString() == "" {
		resp.Diagnostics.AddError("Invalid import id", "Expected the id of the database "+what+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), dbID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("database_id"), dbID)...)
}
