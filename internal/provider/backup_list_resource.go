package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

// backupListConfig has the platform_database_backups data source's
// filters.
type backupListConfig struct {
	DatabaseID types.String `tfsdk:"database_id"`
	Status     types.String `tfsdk:"status"`
	Kind       types.String `tfsdk:"kind"`
	Pinned     types.Bool   `tfsdk:"pinned"`
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
			"database_id": schema.StringAttribute{
				Required:    true,
				Description: "Id of the database whose backups to list.",
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": schema.StringAttribute{
				Optional:    true,
				Description: "Only backups with this status: one of " + backticks(backupStatuses) + ".",
				Validators:  []validator.String{stringvalidator.OneOf(backupStatuses...)},
			},
			"kind": schema.StringAttribute{
				Optional:    true,
				Description: "Only backups of this kind: `manual` or `scheduled`.",
				Validators:  []validator.String{stringvalidator.OneOf(backupKinds...)},
			},
			"pinned": schema.BoolAttribute{
				Optional:    true,
				Description: "Only pinned (`true`) or only unpinned (`false`) backups.",
			},
		},
	}
}

func (l *backupListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg backupListConfig
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
	filter := backupsDataModel{Status: cfg.Status, Kind: cfg.Kind, Pinned: cfg.Pinned}
	var found []*client.Backup
	for i := range all {
		if filter.matches(&all[i]) {
			found = append(found, &all[i])
		}
	}
	found = limited(found, req.Limit, fmt.Sprintf("backups of database %q", dbID), &diags)

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
	stream.Results = streamResults(diags, found, func(b *client.Backup) list.ListResult {
		r := req.NewListResult(ctx)
		r.DisplayName = backupDisplayName(b)
		r.Diagnostics.Append(backupIdentity.set(ctx, r.Identity, types.StringValue(b.ID))...)
		if req.IncludeResource {
			r.Diagnostics.Append(r.Resource.Set(ctx, backupResourceFromAPI(b, prior))...)
		}
		return r
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
