package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// databaseDataModel is one database as the data sources show it: the
// resource's attributes without credentials, plus what only the list
// endpoint carries (the latest backup and a schedule summary).
type databaseDataModel struct {
	ID                     types.String          `tfsdk:"id"`
	EnvironmentID          types.String          `tfsdk:"environment_id"`
	Name                   types.String          `tfsdk:"name"`
	Type                   types.String          `tfsdk:"type"`
	DatabaseTypeID         types.String          `tfsdk:"database_type_id"`
	Host                   types.String          `tfsdk:"host"`
	Port                   types.Int64           `tfsdk:"port"`
	DatabaseName           types.String          `tfsdk:"database_name"`
	FilePath               types.String          `tfsdk:"file_path"`
	UseSsl                 types.Bool            `tfsdk:"use_ssl"`
	ServerID               types.String          `tfsdk:"server_id"`
	BackupStorageType      types.String          `tfsdk:"backup_storage_type"`
	BackupLocalPath        types.String          `tfsdk:"backup_local_path"`
	BackupSpacesBucket     types.String          `tfsdk:"backup_spaces_bucket"`
	BackupSpacesPrefix     types.String          `tfsdk:"backup_spaces_prefix"`
	BackupFormat           types.String          `tfsdk:"backup_format"`
	BackupCompression      types.String          `tfsdk:"backup_compression"`
	BackupCompressionLevel types.Int64           `tfsdk:"backup_compression_level"`
	PgDumpOptions          *pgDumpOptionsModel   `tfsdk:"pg_dump_options"`
	PgDumpTimeoutMs        types.Int64           `tfsdk:"pg_dump_timeout_ms"`
	HasCredentials         types.Bool            `tfsdk:"has_credentials"`
	CreatedAt              types.String          `tfsdk:"created_at"`
	UpdatedAt              types.String          `tfsdk:"updated_at"`
	LastBackup             *lastBackupModel      `tfsdk:"last_backup"`
	Schedule               *scheduleSummaryModel `tfsdk:"schedule"`
}

type lastBackupModel struct {
	ID          types.String `tfsdk:"id"`
	Status      types.String `tfsdk:"status"`
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

// databaseDataFromAPI goes through the resource's databaseFromAPI, so null
// and empty values read the same in data sources as in the resource (and
// generated import configuration matches what the data sources show).
func databaseDataFromAPI(db *client.Database) databaseDataModel {
	r := databaseFromAPI(db, databaseResourceModel{})
	return databaseDataModel{
		ID:                     r.ID,
		EnvironmentID:          r.EnvironmentID,
		Name:                   r.Name,
		Type:                   r.Type,
		DatabaseTypeID:         r.DatabaseTypeID,
		Host:                   r.Host,
		Port:                   r.Port.Int64Value,
		DatabaseName:           r.DatabaseName,
		FilePath:               r.FilePath,
		UseSsl:                 r.UseSsl,
		ServerID:               r.ServerID,
		BackupStorageType:      r.BackupStorageType,
		BackupLocalPath:        r.BackupLocalPath,
		BackupSpacesBucket:     r.BackupSpacesBucket,
		BackupSpacesPrefix:     r.BackupSpacesPrefix,
		BackupFormat:           r.BackupFormat,
		BackupCompression:      r.BackupCompression,
		BackupCompressionLevel: r.BackupCompressionLevel.Int64Value,
		PgDumpOptions:          r.PgDumpOptions,
		PgDumpTimeoutMs:        r.PgDumpTimeoutMs.Int64Value,
		HasCredentials:         r.HasCredentials,
		CreatedAt:              r.CreatedAt,
		UpdatedAt:              r.UpdatedAt,
		LastBackup:             lastBackupFromAPI(db.LastBackup),
		Schedule:               scheduleSummaryFromAPI(db.Schedule),
	}
}

func lastBackupFromAPI(b *client.Backup) *lastBackupModel {
	if b == nil {
		return nil
	}
	return &lastBackupModel{
		ID:          types.StringValue(b.ID),
		Status:      types.StringValue(b.Status),
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

// databaseDataAttributes is the schema of databaseDataModel, all computed;
// platform_database makes its lookup keys optional on top of it.
func databaseDataAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	i64 := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, Description: desc}
	}
	boolean := func(desc string) schema.BoolAttribute { return schema.BoolAttribute{Computed: true, Description: desc} }
	return map[string]schema.Attribute{
		"id":                       str("Database id."),
		"environment_id":           str("Id of the environment the database belongs to."),
		"name":                     str("Name of the database on the platform, unique within its environment."),
		"type":                     str("Database engine, for example `postgres`."),
		"database_type_id":         str("Id of the platform's database type; null for a type the platform does not know."),
		"host":                     str("Host name or address; null when unset."),
		"port":                     i64("TCP port; null when unset."),
		"database_name":            str("Name of the database inside the server; null when unset."),
		"file_path":                str("Path of the database file on the server (sqlite); null when unset."),
		"use_ssl":                  boolean("Whether the platform connects with TLS."),
		"server_id":                str("Id of the platform server the database runs on; null when unset."),
		"backup_storage_type":      str("Where backups are stored: `local` or `spaces`."),
		"backup_local_path":        str("Directory for local backups; null when unset."),
		"backup_spaces_bucket":     str("Object-storage bucket for backups; null when unset."),
		"backup_spaces_prefix":     str("Key prefix for backups in the bucket; null when unset."),
		"backup_format":            str("pg_dump output format: `plain`, `custom` or `tar`."),
		"backup_compression":       str("Compression applied to backups: `none` or `gzip`."),
		"backup_compression_level": i64("Compression level, 1–9."),
		"pg_dump_options": schema.SingleNestedAttribute{
			Computed:    true,
			Description: "Flags passed to pg_dump; null when none are stored.",
			Attributes: map[string]schema.Attribute{
				"no_owner":    boolean("`--no-owner`."),
				"clean":       boolean("`--clean`."),
				"if_exists":   boolean("`--if-exists`."),
				"schema_only": boolean("`--schema-only`."),
				"data_only":   boolean("`--data-only`."),
			},
		},
		"pg_dump_timeout_ms": i64("Backup timeout in milliseconds."),
		"has_credentials": boolean("Whether the platform holds credentials for the database. The platform never returns " +
			"the credentials themselves, so they are not exposed."),
		"created_at": str("When the database was registered (RFC 3339)."),
		"updated_at": str("When the database was last changed (RFC 3339)."),
		"last_backup": schema.SingleNestedAttribute{
			Computed:    true,
			Description: "The database's most recent backup; null when it has none.",
			Attributes: map[string]schema.Attribute{
				"id":           str("Backup id."),
				"status":       str("Backup status as the platform reports it, for example `completed` or `failed`."),
				"type":         str("How the backup was started, for example `manual` or `scheduled`."),
				"created_at":   str("When the backup started (RFC 3339)."),
				"completed_at": str("When the backup finished (RFC 3339); null while it runs."),
			},
		},
		"schedule": schema.SingleNestedAttribute{
			Computed: true,
			Description: "Summary of the database's backup schedule; null when it has none. " +
				"Manage the schedule with `platform_database_backup_schedule`.",
			Attributes: map[string]schema.Attribute{
				"cron_expression": str("Five-field cron expression."),
				"enabled":         boolean("Whether the schedule runs."),
				"last_run_at":     str("When the schedule last ran (RFC 3339); null until it has."),
				"next_run_at":     str("When the next backup is due (RFC 3339); null while disabled."),
			},
		},
	}
}
