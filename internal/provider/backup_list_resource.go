package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

var _ list.ListResourceWithConfigure = (*backupListResource)(nil)

// NewBackupListResource lists a database's backups for `terraform query`.
func NewBackupListResource() list.ListResource {
	return &backupListResource{listBase{name: "database_backup"}}
}

type backupListResource struct {
	listBase
}

func (l *backupListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Finds the backups of one database, newest first, failed ones included, optionally filtered by " +
			"`status`, `kind` and `pinned`. Each result is a backup's identity (`id`) named by its file, status and " +
			"whether it is pinned; with `include_resource = true` (implied by `-generate-config-out`) also its full state, " +
			"as an import would read it. A query costs one list request per 500 backups; importing what it found then " +
			"reads each backup once. Needs a token that sees every environment: the platform refuses environment-scoped " +
			"tokens on a database's backups." + listResourceCLIs,
		Attributes: map[string]schema.Attribute{
			"database_id": databaseIDFilter.list(),
			"status":      backupStatusFilter.list(),
			"kind":        backupKindFilter.list(),
			"pinned":      schema.BoolAttribute{Optional: true, Description: backupPinnedFilterDescription},
		},
	}
}

func (l *backupListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if nothingWanted(req) {
		return
	}
	var cfg backupFilters
	diags := req.Config.Get(ctx, &cfg)
	if !l.ready(&diags) {
		stream.Results = listFailed(diags)
		return
	}
	dbID := cfg.DatabaseID.ValueString()
	all, err := l.data.backups.List(ctx, dbID) // the list refreshes share; read-only
	if err != nil {
		addAPIError(&diags, fmt.Sprintf("Could not list the backups of database %q", dbID), err, backupsAdvice(err))
		stream.Results = listFailed(diags)
		return
	}
	var found []*client.Backup
	for i := range all {
		if cfg.matches(&all[i]) {
			found = append(found, &all[i])
		}
	}

	var prior backupResourceModel
	if req.IncludeResource {
		imported := importedResource(ctx, req, &diags)
		if !diags.HasError() {
			diags.Append(imported.Get(ctx, &prior)...)
		}
		if diags.HasError() {
			stream.Results = listFailed(diags)
			return
		}
	}
	what := fmt.Sprintf("backups of database %q", dbID)
	stream.Results = streamResults(diags, found, req.Limit, what, func(b *client.Backup) (list.ListResult, bool) {
		r := req.NewListResult(ctx)
		r.DisplayName = backupDisplayName(b)
		r.Diagnostics.Append(backupIdentity.set(ctx, r.Identity, types.StringValue(b.ID))...)
		if req.IncludeResource {
			r.Diagnostics.Append(r.Resource.Set(ctx, backupResourceFromAPI(b, prior))...)
		}
		return r, true
	})
}

// backupDisplayName: the file name carries the database's name and the
// time the platform took the backup.
func backupDisplayName(b *client.Backup) string {
	name := b.Filename
	if name == "" {
		name = "backup " + b.ID + " of " + b.CreatedAt
	}
	notes := []string{b.Status}
	if b.IsPinned {
		notes = append(notes, "pinned")
	}
	return fmt.Sprintf("%s (%s)", name, strings.Join(notes, ", "))
}
