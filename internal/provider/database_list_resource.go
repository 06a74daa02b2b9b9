package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var _ list.ListResourceWithConfigure = (*databaseListResource)(nil)

// NewDatabaseListResource lists an environment's databases for `terraform
// query`.
func NewDatabaseListResource() list.ListResource {
	return &databaseListResource{listBase{name: "database"}}
}

type databaseListResource struct {
	listBase
}

func (l *databaseListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Finds the databases of one environment, sorted by name, optionally filtered by `type` and `name_regex`. " +
			"Each result is a database's identity (`id`, `environment_id`) named `<environment name>/<database name>`; with " +
			"`include_resource = true` (implied by `terraform query -generate-config-out`) also its full state, exactly as " +
			"an import would read it. The platform never returns credentials: they are null in the state and the generated " +
			"configuration, and a warning names the databases that have some. A query costs one list request per 500 " +
			"databases of the environment, whatever the filters, and the environment list once per run." + listResourceCLIs,
		Attributes: map[string]schema.Attribute{
			"environment_id": environmentIDFilter.list(),
			"type":           databaseTypeFilter.list(),
			"name_regex":     nameRegexFilter.list(),
		},
	}
}

func (l *databaseListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if nothingWanted(req) {
		return
	}
	var cfg databaseFilters
	diags := req.Config.Get(ctx, &cfg)
	envName, dbs, nameRE, ok := l.environmentDatabases(ctx, cfg.EnvironmentID.ValueString(), cfg.NameRegex, &diags)
	if !ok {
		stream.Results = listFailed(diags)
		return
	}
	var found []*client.Database
	for i := range dbs {
		if keepDatabase(&dbs[i], cfg.Type, nameRE) {
			found = append(found, &dbs[i])
		}
	}

	var prior databaseResourceModel
	if req.IncludeResource {
		imported := importedResource(ctx, req, &diags)
		if !diags.HasError() {
			diags.Append(databaseCodec().Get(ctx, imported.Raw, &prior)...)
		}
		if diags.HasError() {
			stream.Results = listFailed(diags)
			return
		}
		warnCredentialsNotListed(envName, firstListed(found, req.Limit), &diags)
	}
	what := fmt.Sprintf("databases of environment %q", envName)
	stream.Results = streamResults(diags, found, req.Limit, what, func(db *client.Database) (list.ListResult, bool) {
		r := req.NewListResult(ctx)
		r.DisplayName = envName + "/" + db.Name
		r.Diagnostics.Append(databaseIdentity.set(ctx, r.Identity, types.StringValue(db.ID), types.StringValue(db.EnvironmentID))...)
		if req.IncludeResource {
			r.Diagnostics.Append(databaseCodec().Set(ctx, r.Resource, databaseFromAPI(db, prior))...)
		}
		return r, true
	})
}

// warnCredentialsNotListed is the import's credentials warning
// (warnUnmanagedCredentials) once for the whole list rather than once per
// database: the state, and so the generated configuration, has username =
// null for every database, and those that have credentials are named. The
// summary names the environment: Terraform folds warnings with the same
// summary into one, which would hide the names listed in the others.
func warnCredentialsNotListed(envName string, dbs []*client.Database, diags *diag.Diagnostics) {
	var names []string
	for _, db := range dbs {
		if db.HasCredentials {
			names = append(names, fmt.Sprintf("%q", db.Name))
		}
	}
	if len(names) == 0 {
		return
	}
	diags.AddWarning(fmt.Sprintf("Credentials not imported from environment %q", envName), fmt.Sprintf(
		"%d of the listed databases have credentials on the platform, "+
			"which its API never returns: %s. Their state and any generated configuration have username = null, and while "+
			"username is null Terraform leaves the stored credentials alone. To manage them, set username and password (or "+
			"password_wo and password_wo_version on Terraform ≥ 1.11) in their configuration; the next apply then sends them.",
		len(names), strings.Join(names, ", ")))
}
