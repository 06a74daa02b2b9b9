package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

func (r *databaseResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A database registered on the platform: how the platform connects to it, the credentials it uses, " +
			"and where and how it backs the database up. The platform stores credentials encrypted and never returns them. " +
			"Import by id or by `<environment_id>/<name>`.",
		Attributes: databaseAttributes(),
		Blocks: map[string]schema.Block{
			"pg_dump_options": pgDumpOptionsBlock(),
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true,
				CreateDescription: timeoutDescription("create", defaultCreateTimeout),
				UpdateDescription: timeoutDescription("update", defaultUpdateTimeout),
				DeleteDescription: timeoutDescription("delete", defaultDeleteTimeout),
			}),
		},
	}
}

func databaseAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed:      true,
			Description:   "Database id assigned by the platform (an opaque string; never parse it). Used to import the resource.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"environment_id": schema.StringAttribute{
			Required: true,
			Description: "Id of the environment the database belongs to, for example from the `platform_environment` data source. " +
				"Changing it forces a new database: the platform cannot move a database between environments.",
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"name": schema.StringAttribute{
			Required: true,
			Description: "Name of the database on the platform, at least one character and unique within its environment. " +
				"Renaming updates in place; renaming onto a name another database already has fails.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"type": schema.StringAttribute{
			Required: true,
			Description: "Database engine. Built-in types: " + backticks(builtinDatabaseTypes) + "; platform admins can add more, " +
				"and any string is accepted (an unknown one leaves `database_type_id` null). Changing it forces a new database, " +
				"because the platform does not re-bind an existing database to another type's backup commands.",
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"database_type_id": schema.StringAttribute{
			Optional: true,
			Computed: true,
			Description: "Id of the platform's database type. When unset the platform resolves it from `type` by name " +
				"(null for types it does not know). Changing it forces a new database, because the platform ignores it on update. " +
				"A non-existent id makes the create fail.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			PlanModifiers: []planmodifier.String{
				stringplanmodifier.UseStateForUnknown(),
				stringplanmodifier.RequiresReplace(),
			},
		},
		"host":          clearableString("Host name or address the platform connects to. No default."),
		"database_name": clearableString("Name of the database inside the server (for example the PostgreSQL database to dump). No default."),
		"file_path": clearableString("Path of the database file on the server; only for `type = \"sqlite\"` (an error with the other " +
			"built-in types, a warning with custom ones)."),
		"server_id": schema.StringAttribute{
			Optional: true,
			Computed: true,
			Description: "Id of a platform server the database runs on; a non-existent id makes the request fail. Updates in place, " +
				"but the platform cannot clear it once set: removing it from configuration keeps the last value (with a warning); " +
				"replace the resource to drop it.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"port": schema.Int64Attribute{
			CustomType: wholeNumberType{},
			Optional:   true,
			Computed:   true,
			Description: fmt.Sprintf("TCP port, %d–%d. The platform fills in none (not even the engine's usual port). Updates in place, "+
				"but the platform cannot clear a port once set: removing it from configuration keeps the last value "+
				"(with a warning); replace the resource to drop it.", minPort, maxPort),
			Validators: []validator.Int64{int64validator.Between(minPort, maxPort)},
		},
		"username": schema.StringAttribute{
			Optional: true,
			Description: "User the platform connects as. Set together with `password` or `password_wo`: the platform " +
				"stores credentials only as a pair, encrypted, and never returns them, so the provider keeps the configured value " +
				"and cannot notice a change made outside Terraform (only `has_credentials`). Import cannot recover it. " +
				"Removing `username` and the password clears the credentials on the platform.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"password": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			Description: "Password for `username`. **Sensitive**: hidden in plan output but stored in state (and plan files). " +
				"Prefer `password_wo` on Terraform ≥ 1.11 or OpenTofu ≥ 1.11 to keep it out of state. Conflicts with `password_wo`. " +
				"Changing it updates in place. Import cannot recover it.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"password_wo": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			WriteOnly: true,
			Description: "**Write-only** password for `username`: sent to the platform on create and whenever `password_wo_version` " +
				"changes, never stored in plan or state. Requires Terraform ≥ 1.11 or OpenTofu ≥ 1.11 and `password_wo_version`. " +
				"Changing only this value sends nothing: bump `password_wo_version` to rotate. Conflicts with `password`.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"password_wo_version": schema.Int64Attribute{
			CustomType: wholeNumberType{},
			Optional:   true,
			Description: "Any number; change it (for example increment it) whenever `password_wo` should be sent again (rotation). " +
				"Required with `password_wo`, not allowed without it. Stored in state; import cannot recover it.",
		},
		"use_ssl": schema.BoolAttribute{
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(databaseDefaults.UseSsl),
			Description: fmt.Sprintf("Whether the platform connects with TLS. Defaults to `%t` (the platform's default). "+
				"Updates in place.", databaseDefaults.UseSsl),
		},
		"backup_storage_type": enumWithDefault("Where backups are stored: `local` (a directory on the platform host, "+
			"`backup_local_path`) or `spaces` (S3-compatible object storage, `backup_spaces_bucket`)",
			backupStorageTypes, databaseDefaults.BackupStorageType),
		"backup_local_path": clearableString("Directory on the platform host for backups; only with `backup_storage_type = \"local\"`."),
		"backup_spaces_bucket": clearableString("Object-storage (Spaces/S3) bucket for backups. Required with " +
			"`backup_storage_type = \"spaces\"` (the platform would accept none, and backups would then fail), not allowed otherwise."),
		"backup_spaces_prefix": schema.StringAttribute{
			Optional: true,
			Computed: true,
			Description: "Key prefix for backups in the bucket; only with `backup_storage_type = \"spaces\"`. When unset the provider " +
				"keeps it at the platform's default, `<environment name>/<database name>/`, also after a rename (the platform " +
				"itself would keep the old name). Updates in place.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"backup_format": enumWithDefault("pg_dump output format (`--format`): `plain` SQL text, `custom` archive (for pg_restore) "+
			"or `tar`", backupFormats, databaseDefaults.BackupFormat),
		"backup_compression": enumWithDefault("Compression applied to backups", backupCompressions, databaseDefaults.BackupCompression),
		"backup_compression_level": schema.Int64Attribute{
			CustomType: wholeNumberType{},
			Optional:   true,
			Computed:   true,
			Default:    int64default.StaticInt64(databaseDefaults.BackupCompressionLevel),
			Description: fmt.Sprintf("Compression level, %d (fastest) to %d (smallest); used with `backup_compression = \"gzip\"`. Defaults to `%d`.",
				minCompressionLevel, maxCompressionLevel, databaseDefaults.BackupCompressionLevel),
			Validators: []validator.Int64{int64validator.Between(minCompressionLevel, maxCompressionLevel)},
		},
		"pg_dump_timeout_ms": schema.Int64Attribute{
			CustomType: wholeNumberType{},
			Optional:   true,
			Computed:   true,
			Default:    int64default.StaticInt64(databaseDefaults.PgDumpTimeoutMs),
			Description: fmt.Sprintf("How long the platform lets one backup run, in milliseconds, %d–%d. Defaults to `%d` (5 minutes).",
				minPgDumpTimeoutMs, maxPgDumpTimeoutMs, databaseDefaults.PgDumpTimeoutMs),
			Validators: []validator.Int64{int64validator.Between(minPgDumpTimeoutMs, maxPgDumpTimeoutMs)},
		},
		"force_destroy": schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(false), Description: forceDestroyDescription,
		},
		"has_credentials": schema.BoolAttribute{
			Computed: true,
			Description: "Whether the platform holds credentials for this database (the only part of them it returns). " +
				"If they are cleared outside Terraform while configuration sets them, the next plan restores them.",
		},
		"created_at": schema.StringAttribute{
			Computed:      true,
			Description:   "When the database was registered on the platform (RFC 3339).",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"updated_at": schema.StringAttribute{
			Computed:    true,
			Description: "When the database was last changed on the platform (RFC 3339); changes with every update.",
		},
	}
	return attrs
}

func pgDumpOptionsBlock() schema.SingleNestedBlock {
	opt := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false), Description: desc + " Defaults to `false`."}
	}
	return schema.SingleNestedBlock{
		Description: "Flags passed to pg_dump for backups (PostgreSQL). All five are sent on every change, so unset ones are `false`; " +
			"removing the block clears them on the platform. pg_dump rejects `schema_only` with `data_only`, `clean` with `data_only`, " +
			"and `if_exists` without `clean`, so those combinations fail at plan time instead of at the first backup. Updates in place.",
		Attributes: map[string]schema.Attribute{
			"no_owner":    opt("Pass `--no-owner`: do not restore object ownership."),
			"clean":       opt("Pass `--clean`: drop objects before recreating them."),
			"if_exists":   opt("Pass `--if-exists`: use IF EXISTS when dropping (needs `clean`)."),
			"schema_only": opt("Pass `--schema-only`: dump only the schema."),
			"data_only":   opt("Pass `--data-only`: dump only the data."),
		},
	}
}

// timeoutDescription says what a timeout bounds: the provider keeps retrying
// rate-limited and unavailable answers until then.
func timeoutDescription(op string, def time.Duration) string {
	return fmt.Sprintf("How long the %s may take, retries after rate limiting (429) or unavailability (503) included, "+
		"as a duration such as `30s` or `2h45m`. Defaults to `%s`.", op, strings.TrimSuffix(def.String(), "0s"))
}

func clearableString(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:    true,
		Description: desc + " Updates in place; removing it clears the value on the platform.",
		Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func enumWithDefault(what string, values []string, def string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:    true,
		Computed:    true,
		Default:     stringdefault.StaticString(def),
		Description: fmt.Sprintf("%s. One of %s. Defaults to `%q` (the platform's default). Updates in place.", what, backticks(values), def),
		Validators:  []validator.String{stringvalidator.OneOf(values...)},
	}
}

func backticks(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}

// Attribute paths used by validation and diagnostics.
var (
	pathPgDumpOptions = path.Root("pg_dump_options")
)
