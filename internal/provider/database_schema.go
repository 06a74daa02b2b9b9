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

	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
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

// databaseAttribute is one attribute of platform_database. about says what
// the value is (its enum, range and platform default included) and is
// shown by the resource and the data sources alike; manage says what
// configuring it does and is shown by the resource only. resource is the
// resource's attribute without its description, and so gives the kind.
type databaseAttribute struct {
	name     string
	about    string
	manage   string
	resource schema.Attribute
	// resourceOnly attributes are not part of the data sources: the
	// credentials, which the platform never returns.
	resourceOnly bool
}

// databaseAttributeTable is every attribute of platform_database, written
// once: the resource's schema and the data sources' computed views are
// both built from it (pg_dump_options, a block, from pgDumpOptionTable).
func databaseAttributeTable() []databaseAttribute {
	return []databaseAttribute{
		{name: "id", about: "Database id assigned by the platform (an opaque string; never parse it).",
			manage: "Used to import the resource.",
			resource: schema.StringAttribute{Computed: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}},
		{name: "environment_id", about: "Id of the environment the database belongs to.",
			manage: "Take it from the `platform_environment` data source, for example. " +
				"Changing it forces a new database: the platform cannot move a database between environments.",
			resource: schema.StringAttribute{Required: true, Validators: nonEmpty,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}},
		{name: "name", about: "Name of the database on the platform, at least one character and unique within its environment.",
			manage:   "Renaming updates in place; renaming onto a name another database already has fails.",
			resource: schema.StringAttribute{Required: true, Validators: nonEmpty}},
		{name: "type", about: "Database engine: one of the platform's database types. Built-in types: " + backticks(builtinDatabaseTypes) +
			"; platform admins can add more.",
			manage: "Checked at plan time against the platform's list of types (read once per run; skipped for environment-scoped " +
				"tokens, which cannot read it): the platform would accept an unknown name and leave the database without a type, " +
				"which it can never back up. Changing it forces a new database, " +
				"because the platform does not re-bind an existing database to another type's backup commands.",
			resource: schema.StringAttribute{Required: true, Validators: nonEmpty,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}},
		{name: "database_type_id", about: "Id of the platform's database type. Unless it is set, the platform resolves it from `type` " +
			"by name, and holds none for a type it does not know.",
			manage: "Changing it forces a new database, because the platform ignores it on update. " +
				"A non-existent id makes the create fail.",
			resource: schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}}},
		clearableString("host", "Host name or IP address the platform connects to (IPv6 without brackets).",
			"Not a URL: a scheme, port, path or white space is refused at plan time (set the port in `port`). No default."),
		clearableString("database_name", "Name of the database inside the server (for example the PostgreSQL database to dump).",
			"No default."),
		clearableString("file_path", "Path of the database file on the server; required with `type = \"sqlite\"`, which the platform "+
			"cannot back up without it.", "An error with the other built-in types, a warning with custom ones."),
		{name: "server_id", about: "Id of a platform server the database runs on.",
			manage: "A non-existent id makes the request fail. Updates in place, " +
				"but the platform cannot clear it once set: removing it from configuration keeps the last value (with a warning); " +
				"replace the resource to drop it.",
			resource: schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty}},
		{name: "port", about: fmt.Sprintf("TCP port, %d–%d. The platform fills in none (not even the engine's usual port).", minPort, maxPort),
			manage: "Updates in place, but the platform cannot clear a port once set: removing it from configuration keeps the last value " +
				"(with a warning); replace the resource to drop it.",
			resource: schema.Int64Attribute{CustomType: fwtypes.WholeNumberType{}, Optional: true, Computed: true,
				Validators: []validator.Int64{int64validator.Between(minPort, maxPort)}}},
		{name: "username", resourceOnly: true, about: "User the platform connects as.",
			manage: "Set together with `password` or `password_wo`: the platform " +
				"stores credentials only as a pair, encrypted, and never returns them, so the provider keeps the configured value " +
				"and cannot notice a change made outside Terraform (only `has_credentials`). Import cannot recover it. " +
				"Removing `username` and the password clears the credentials on the platform.",
			resource: schema.StringAttribute{Optional: true, Validators: nonEmpty}},
		{name: "password", resourceOnly: true, about: "Password for `username`.",
			manage: "**Sensitive**: hidden in plan output but stored in state (and plan files). " +
				"Prefer `password_wo` on Terraform ≥ 1.11 or OpenTofu ≥ 1.11 to keep it out of state. Conflicts with `password_wo`. " +
				"Changing it updates in place. Import cannot recover it.",
			resource: schema.StringAttribute{Optional: true, Sensitive: true,
				Validators: append(nonEmpty[:len(nonEmpty):len(nonEmpty)], stringvalidator.AlsoRequires(pathUsername))}},
		{name: "password_wo", resourceOnly: true, about: "**Write-only** password for `username`.",
			manage: "Sent to the platform on create and whenever `password_wo_version` " +
				"changes, never stored in plan or state. Requires Terraform ≥ 1.11 or OpenTofu ≥ 1.11 and `password_wo_version`. " +
				"Changing only this value sends nothing: bump `password_wo_version` to rotate. Conflicts with `password`.",
			resource: schema.StringAttribute{Optional: true, Sensitive: true, WriteOnly: true,
				Validators: append(nonEmpty[:len(nonEmpty):len(nonEmpty)],
					stringvalidator.ConflictsWith(path.MatchRoot("password")), stringvalidator.AlsoRequires(pathUsername))}},
		{name: "password_wo_version", resourceOnly: true,
			about:  "Any number; change it (for example increment it) whenever `password_wo` should be sent again (rotation).",
			manage: "Required with `password_wo`, not allowed without it. Stored in state; import cannot recover it.",
			resource: schema.Int64Attribute{CustomType: fwtypes.WholeNumberType{}, Optional: true,
				Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo"))}}},
		{name: "use_ssl", about: "Whether the platform connects with TLS.",
			manage:   fmt.Sprintf("Defaults to `%t` (the platform's default). Updates in place.", databaseDefaults.UseSSL),
			resource: schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(databaseDefaults.UseSSL)}},
		enumWithDefault("backup_storage_type", "Where backups are stored: `local` (a directory on the platform host, "+
			"`backup_local_path`) or `spaces` (S3-compatible object storage, `backup_spaces_bucket`)",
			backupStorageTypes, databaseDefaults.BackupStorageType),
		clearableString("backup_local_path", "Absolute directory on the platform host for backups; only with `backup_storage_type = \"local\"`.",
			"A relative path is refused at plan time."),
		clearableString("backup_spaces_bucket", "Object-storage (Spaces/S3) bucket for backups.",
			"Required with `backup_storage_type = \"spaces\"` (the platform would accept none, and backups would then fail), "+
				"not allowed otherwise."),
		{name: "backup_spaces_prefix", about: "Key prefix for backups in the bucket; only with `backup_storage_type = \"spaces\"`. " +
			"The platform's default is `<environment name>/<database name>/`.",
			manage: "When unset the provider keeps it at the platform's default, also after a rename (the platform " +
				"itself would keep the old name). Updates in place.",
			resource: schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty}},
		enumWithDefault("backup_format", "pg_dump output format (`--format`): `plain` SQL text, `custom` archive (for pg_restore) "+
			"or `tar`", backupFormats, databaseDefaults.BackupFormat),
		enumWithDefault("backup_compression", "Compression applied to backups", backupCompressions, databaseDefaults.BackupCompression),
		{name: "backup_compression_level", about: fmt.Sprintf("Compression level, %d (fastest) to %d (smallest); "+
			"used with `backup_compression = \"gzip\"`.", minCompressionLevel, maxCompressionLevel),
			manage: fmt.Sprintf("Defaults to `%d` (the platform's default). Updates in place.", databaseDefaults.BackupCompressionLevel),
			resource: schema.Int64Attribute{CustomType: fwtypes.WholeNumberType{}, Optional: true, Computed: true,
				Default:    int64default.StaticInt64(databaseDefaults.BackupCompressionLevel),
				Validators: []validator.Int64{int64validator.Between(minCompressionLevel, maxCompressionLevel)}}},
		{name: "pg_dump_timeout_ms", about: fmt.Sprintf("How long the platform lets one backup run, in milliseconds, %d–%d.",
			minPgDumpTimeoutMs, maxPgDumpTimeoutMs),
			manage: fmt.Sprintf("Defaults to `%d` (5 minutes, the platform's default). Updates in place.", databaseDefaults.PgDumpTimeoutMs),
			resource: schema.Int64Attribute{CustomType: fwtypes.WholeNumberType{}, Optional: true, Computed: true,
				Default:    int64default.StaticInt64(databaseDefaults.PgDumpTimeoutMs),
				Validators: []validator.Int64{int64validator.Between(minPgDumpTimeoutMs, maxPgDumpTimeoutMs)}}},
		{name: "monitoring_enabled", about: "Whether the platform's collector monitors the database (its connection status and metrics).",
			manage: fmt.Sprintf("Defaults to `%t` (the platform's default). Updates in place.", databaseDefaults.MonitoringEnabled),
			resource: schema.BoolAttribute{Optional: true, Computed: true,
				Default: booldefault.StaticBool(databaseDefaults.MonitoringEnabled)}},
		{name: "monitoring_interval_seconds", about: fmt.Sprintf("How often the collector reads the database's metrics, in whole "+
			"seconds, %d–%d. The collector wakes about once a minute, so a shorter interval would mean nothing; "+
			"beyond a day the database is in effect unmonitored (set `monitoring_enabled = false` instead). "+
			"The platform itself checks no range.", minMonitoringIntervalSec, maxMonitoringIntervalSec),
			manage: fmt.Sprintf("Defaults to `%d` (the platform's default). Updates in place.", databaseDefaults.CollectionIntervalSec),
			resource: schema.Int64Attribute{CustomType: fwtypes.WholeNumberType{}, Optional: true, Computed: true,
				Default:    int64default.StaticInt64(databaseDefaults.CollectionIntervalSec),
				Validators: []validator.Int64{int64validator.Between(minMonitoringIntervalSec, maxMonitoringIntervalSec)}}},
		{name: "force_destroy", resourceOnly: true, about: forceDestroyDescription,
			resource: schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false)}},
		{name: "has_credentials", about: "Whether the platform holds credentials for this database (the only part of them it returns).",
			manage:   "If they are cleared outside Terraform while configuration sets them, the next plan restores them.",
			resource: schema.BoolAttribute{Computed: true}},
		{name: "created_at", about: "When the database was registered on the platform (RFC 3339).",
			resource: schema.StringAttribute{Computed: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}},
		{name: "updated_at", about: "When the database was last changed on the platform (RFC 3339); changes with every update.",
			resource: schema.StringAttribute{Computed: true}},
	}
}

// pgDumpOptionTable is the pg_dump_options block's attributes: name and
// what the flag does, for the resource and the data sources alike.
var pgDumpOptionTable = []struct{ name, about string }{
	{"no_owner", "Pass `--no-owner`: do not restore object ownership."},
	{"clean", "Pass `--clean`: drop objects before recreating them."},
	{"if_exists", "Pass `--if-exists`: use IF EXISTS when dropping (needs `clean`)."},
	{"schema_only", "Pass `--schema-only`: dump only the schema."},
	{"data_only", "Pass `--data-only`: dump only the data."},
}

const pgDumpOptionsAbout = "Flags passed to pg_dump for backups (PostgreSQL only: with another type they are ignored, and the plan warns)."

// databaseAttributes is the resource's schema, from the table.
func databaseAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for _, a := range databaseAttributeTable() {
		attrs[a.name] = withDescription(a.resource, sentences(a.about, a.manage))
	}
	return attrs
}

// withDescription sets the description of the attribute kinds the table
// uses.
func withDescription(a schema.Attribute, desc string) schema.Attribute {
	switch a := a.(type) {
	case schema.StringAttribute:
		a.Description = desc
		return a
	case schema.Int64Attribute:
		a.Description = desc
		return a
	case schema.BoolAttribute:
		a.Description = desc
		return a
	}
	panic(fmt.Sprintf("databaseAttributeTable: unsupported attribute kind %T", a))
}

func sentences(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

var nonEmpty = []validator.String{stringvalidator.LengthAtLeast(1)}

// pathUsername is the attribute either password needs beside it: the
// platform stores credentials only as a pair.
var pathUsername = path.MatchRoot("username")

func pgDumpOptionsBlock() schema.SingleNestedBlock {
	attrs := map[string]schema.Attribute{}
	for _, o := range pgDumpOptionTable {
		attrs[o.name] = schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			Description: o.about + " Defaults to `false`."}
	}
	return schema.SingleNestedBlock{
		Description: pgDumpOptionsAbout + " All five are sent on every change, so unset ones are `false`; " +
			"removing the block clears them on the platform. pg_dump rejects `schema_only` with `data_only`, `clean` with `data_only`, " +
			"and `if_exists` without `clean`, so those combinations fail at plan time instead of at the first backup. Updates in place.",
		Attributes: attrs,
	}
}

// timeoutDescription says what a timeout bounds: the provider keeps retrying
// rate-limited and unavailable answers until then.
func timeoutDescription(op string, def time.Duration) string {
	return fmt.Sprintf("How long the %s may take, retries after rate limiting (429) or unavailability (503) included, "+
		"as a duration such as `30s` or `2h45m`. Defaults to `%s`.", op, strings.TrimSuffix(def.String(), "0s"))
}

// clearableString is an optional string without default, which removing
// from configuration clears on the platform (PATCH with "").
func clearableString(name, about, manage string) databaseAttribute {
	return databaseAttribute{name: name, about: about,
		manage:   sentences(manage, "Updates in place; removing it clears the value on the platform."),
		resource: schema.StringAttribute{Optional: true, Validators: nonEmpty}}
}

func enumWithDefault(name, what string, values []string, def string) databaseAttribute {
	return databaseAttribute{name: name,
		about:  fmt.Sprintf("%s. One of %s.", what, backticks(values)),
		manage: fmt.Sprintf("Defaults to `%q` (the platform's default). Updates in place.", def),
		resource: schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(def),
			Validators: []validator.String{stringvalidator.OneOf(values...)}}}
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
