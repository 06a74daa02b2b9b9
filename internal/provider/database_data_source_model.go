package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// databaseDataModel is one database as the data sources show it: the
// resource's databaseModel (every attribute but the credentials), plus
// what only the list endpoint carries (the latest backup and a schedule
// summary).
type databaseDataModel struct {
	databaseModel
	LastBackup *lastBackupModel      `tfsdk:"last_backup"`
	Schedule   *scheduleSummaryModel `tfsdk:"schedule"`
}

type lastBackupModel struct {
	ID     types.String `tfsdk:"id"`
	Status types.String `tfsdk:"status"`
	Kind   types.String `tfsdk:"kind"`
	// Type is Kind under the name the data sources first used; it stays,
	// deprecated, so that configurations reading it keep working.
	Type        types.String `tfsdk:"type"`
	CreatedAt   types.String `tfsdk:"created_at"`
	CompletedAt types.String `tfsdk:"completed_at"`
}

type scheduleSummaryModel struct {
	CronExpression types.String `tfsdk:"cron_expression"`
	Enabled        types.Bool   `tfsdk:"enabled"`
	LastRunAt      types.String `tfsdk:"last_run_at"`
	NextRunAt      types.String `tfsdk:"next_run_at"`
}

// databaseDataFromAPI goes through the resource's conversion, so null and
// empty values read the same in data sources as in the resource (and
// generated import configuration matches what the data sources show).
func databaseDataFromAPI(db *client.Database) databaseDataModel {
	return databaseDataModel{
		databaseModel: databaseModelFromAPI(db),
		LastBackup:    lastBackupFromAPI(db.LastBackup),
		Schedule:      scheduleSummaryFromAPI(db.Schedule),
	}
}

func lastBackupFromAPI(b *client.Backup) *lastBackupModel {
	if b == nil {
		return nil
	}
	return &lastBackupModel{
		ID:          types.StringValue(b.ID),
		Status:      types.StringValue(b.Status),
		Kind:        types.StringValue(b.Type),
		Type:        types.StringValue(b.Type),
		CreatedAt:   types.StringValue(b.CreatedAt),
		CompletedAt: optionalString(b.CompletedAt),
	}
}

func scheduleSummaryFromAPI(s *client.ScheduleSummary) *scheduleSummaryModel {
	if s == nil {
		return nil
	}
	return &scheduleSummaryModel{
		CronExpression: types.StringValue(s.CronExpression),
		Enabled:        types.BoolValue(s.Enabled),
		LastRunAt:      optionalString(s.LastRunAt),
		NextRunAt:      optionalString(s.NextRunAt),
	}
}

// databaseDataAttributes is the schema of databaseDataModel, all computed:
// the resource's attributes from databaseAttributeTable, with the same
// descriptions, enums and ranges, minus the credentials. platform_database
// makes its lookup keys optional on top of it.
func databaseDataAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for _, a := range databaseAttributeTable() {
		if !a.resourceOnly {
			attrs[a.name] = computedView(a)
		}
	}
	pgDump := map[string]schema.Attribute{}
	for _, o := range pgDumpOptionTable {
		pgDump[o.name] = schema.BoolAttribute{Computed: true, Description: o.about}
	}
	attrs["pg_dump_options"] = schema.SingleNestedAttribute{
		Computed:    true,
		Description: pgDumpOptionsAbout + " Null when none are stored.",
		Attributes:  pgDump,
	}
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	boolean := func(desc string) schema.BoolAttribute { return schema.BoolAttribute{Computed: true, Description: desc} }
	attrs["last_backup"] = schema.SingleNestedAttribute{
		Computed:    true,
		Description: "The database's most recent backup; null when it has none.",
		Attributes: map[string]schema.Attribute{
			"id":           str("Backup id."),
			"status":       str("Backup status as the platform reports it, for example `completed` or `failed`."),
			"kind":         str(backupKindAbout),
			"type":         lastBackupTypeAttribute(),
			"created_at":   str("When the backup started (RFC 3339)."),
			"completed_at": str("When the backup finished (RFC 3339); null while it runs."),
		},
	}
	attrs["schedule"] = schema.SingleNestedAttribute{
		Computed: true,
		Description: "Summary of the database's backup schedule; null when it has none. " +
			"Manage the schedule with `platform_database_backup_schedule`.",
		Attributes: map[string]schema.Attribute{
			"cron_expression": str("Five-field cron expression."),
			"enabled":         boolean("Whether the schedule runs."),
			"last_run_at":     str("When the schedule last ran (RFC 3339); null until it has."),
			"next_run_at":     str("When the next backup is due (RFC 3339); null while disabled."),
		},
	}
	return attrs
}

// lastBackupDeprecation is the warning a configuration reading
// last_backup.type gets.
const lastBackupDeprecation = "Use `last_backup.kind`, which holds the same value under the name the backup " +
	"resource and the backups data source use; `last_backup.type` will be removed in the next major version."

// lastBackupTypeAttribute is the deprecated alias of last_backup.kind.
// A read-only attribute cannot be set, so the framework's own deprecation
// warning (on configuration) never fires; only the CLI can warn, when a
// configuration refers to it, and only the newest do inside a nested
// attribute. Tried: OpenTofu 1.12.6 warns for both data sources, Terraform
// 1.15.0 for platform_database but not inside platform_databases' list,
// Terraform 1.11.4 and 1.13.3 never. So the description says it too.
func lastBackupTypeAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true,
		Description: "The same value as `kind`, under its former name. **Deprecated**: use `kind`. " +
			"OpenTofu 1.12 and later warn when a configuration reads `type`, and so does Terraform 1.15 and later " +
			"(but not inside `platform_databases`' list); earlier versions do not.",
		DeprecationMessage: lastBackupDeprecation,
	}
}

// computedView is a resource attribute as a data source shows it: the same
// kind (custom types included), computed only, described by what the value
// is. Optional attributes without a default can hold nothing, which reads
// as null.
func computedView(a databaseAttribute) schema.Attribute {
	switch r := a.resource.(type) {
	case rschema.StringAttribute:
		return schema.StringAttribute{Computed: true, CustomType: r.CustomType, Description: viewDescription(a, r.Optional && r.Default == nil)}
	case rschema.Int64Attribute:
		return schema.Int64Attribute{Computed: true, CustomType: r.CustomType, Description: viewDescription(a, r.Optional && r.Default == nil)}
	case rschema.BoolAttribute:
		return schema.BoolAttribute{Computed: true, CustomType: r.CustomType, Description: viewDescription(a, r.Optional && r.Default == nil)}
	}
	panic(fmt.Sprintf("databaseAttributeTable: unsupported attribute kind %T", a.resource))
}

func viewDescription(a databaseAttribute, nullable bool) string {
	if nullable {
		return a.about + " Null when the platform holds none."
	}
	return a.about
}
