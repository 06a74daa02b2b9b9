package provider

import (
	"context"
	"fmt"
	"iter"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// listResourceCLIs ends every list resource's description.
const listResourceCLIs = " Needs Terraform ≥ 1.14 (`list` blocks in `.tfquery.hcl` files, run by `terraform query`); " +
	"OpenTofu has no list resources."

// listBase is embedded by every list resource (Terraform ≥ 1.14, `list`
// blocks run by `terraform query`): its type name, which is the managed
// resource's, and the provider's data once configured. CLIs without list
// resources (OpenTofu, Terraform < 1.14) never ask for them.
type listBase struct {
	// name is the type name after the provider's, as in resourceBase.
	name string
	data *providerData
}

func (b *listBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.name
}

func (b *listBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ready reports whether a list may call the platform: reading its
// configuration did not fail and the provider has a client.
func (b *listBase) ready(diags *diag.Diagnostics) bool {
	return !diags.HasError() && requireClient(b.data, diags)
}

// environmentName is the name of a visible environment, for display names.
// The platform lists an unknown environment as empty, which would make a
// typo look like an environment without databases, so an environment the
// token cannot see is an error on environment_id.
func (b *listBase) environmentName(ctx context.Context, envID string, diags *diag.Diagnostics) (string, bool) {
	name, err := b.data.environmentName(ctx, envID)
	if err != nil {
		addAPIError(diags, "Could not list platform environments", err, "")
		return "", false
	}
	if name == "" {
		diags.AddAttributeError(path.Root("environment_id"), "No such environment",
			fmt.Sprintf("No environment with id %q is visible to this token; the platform would list it as empty.", envID))
		return "", false
	}
	return name, true
}

// environmentDatabases is where a list over an environment's databases
// starts: the compiled name_regex filter (nil when unset), before any
// request, then the environment's name, for display names, and its
// databases through the batched reader (the same list a refresh uses). ok
// is false, with the reason in diags, when the list cannot go on.
func (b *listBase) environmentDatabases(ctx context.Context, envID string, nameRegex types.String,
	diags *diag.Diagnostics) (envName string, dbs []client.Database, nameRE *regexp.Regexp, ok bool) {
	nameRE, compiled := compileNameRegex(nameRegex, diags)
	if !compiled || !b.ready(diags) {
		return "", nil, nil, false
	}
	if envName, ok = b.environmentName(ctx, envID, diags); !ok {
		return "", nil, nil, false
	}
	dbs, err := b.data.databases.List(ctx, envID)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Could not list databases of environment %q", envID), err, "")
		return "", nil, nil, false
	}
	return envName, dbs, nameRE, true
}

// importedResource is the state an import hands the read that follows it:
// the id set, everything else null. Decoded as the resource's Read decodes
// it and given to the same conversion from the API, a listed object gets
// exactly the state a read after import would record, so the configuration
// Terraform generates from it plans no change.
func importedResource(ctx context.Context, req list.ListRequest, diags *diag.Diagnostics) *tfsdk.Resource {
	imported := req.NewListResult(ctx).Resource
	diags.Append(imported.SetAttribute(ctx, path.Root("id"), types.StringValue("imported"))...)
	return imported
}

// listFailed is the stream of a list that could not start: its diagnostics
// alone, errors and warnings alike.
func listFailed(diags diag.Diagnostics) iter.Seq[list.ListResult] {
	return list.ListResultsStreamDiagnostics(diags)
}

// nothingWanted reports a list block with limit = 0. Terraform then reads
// nothing from the stream, not even diagnostics, and cancels it at once, so
// the list leaves it empty and sends no request, rather than requests that
// race the cancellation. A block without limit gets Terraform's default,
// 100, never 0.
func nothingWanted(req list.ListRequest) bool {
	return req.Limit <= 0
}

// firstListed is the part of items a list block's limit lets through,
// when every item becomes a result.
func firstListed[T any](items []T, limit int64) []T {
	return items[:min(int64(len(items)), max(limit, 0))]
}

// streamResults pushes diags (warnings about the whole list) first, then
// the results of items, in order, until limit of them are listed: a stream
// is read only up to the limit, so anything pushed after the last result
// could go unseen, and converting or fetching past it is wasted.
//
// result says whether its item is listed. An item that turned out to be
// gone since the list was read (its result then carries only a warning)
// does not count, and the next item takes its place, so a block gets
// limit results whenever that many items remain.
//
// Terraform would cut the results off at the limit silently; a warning
// says so instead, pushed just before the last result when items remain
// after it.
func streamResults[T any](diags diag.Diagnostics, items []T, limit int64, what string,
	result func(T) (list.ListResult, bool)) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		if len(diags) > 0 && !push(list.ListResult{Diagnostics: diags}) {
			return
		}
		var listed, gone int64
		for i, item := range items {
			if listed >= limit {
				return
			}
			r, isListed := result(item)
			if !isListed {
				gone++
			} else {
				listed++
				if listed == limit && i < len(items)-1 && !push(cutOff(int64(len(items))-gone, limit, what)) {
					return
				}
			}
			if !push(r) {
				return
			}
		}
	}
}

// cutOff is the warning that more items matched than the list block's
// limit lets through.
func cutOff(matched, limit int64, what string) list.ListResult {
	var r list.ListResult
	r.Diagnostics.AddWarning("Results cut off at the list block's limit",
		fmt.Sprintf("%d %s match, but the list block's limit is %d (Terraform's default is 100): only the first %d are listed. "+
			"Set limit in the list block to see them all.", matched, what, limit, limit))
	return r
}
