package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (r *databaseResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg databaseResourceModel
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.Config.Raw, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateDatabaseConfig(cfg)...)
}

// validateDatabaseConfig catches, before any request, the combinations the
// API would accept but that cannot work (half credentials, pg_dump flags
// pg_dump refuses, storage fields for the other storage type). Unknown
// values are skipped; they are checked again once known.
func validateDatabaseConfig(cfg databaseResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	validateCredentials(cfg, &diags)
	validateStorage(cfg, &diags)
	validatePgDumpOptions(cfg.PgDumpOptions, &diags)
	validateFilePath(cfg, &diags)
	return diags
}

func validateCredentials(cfg databaseResourceModel, diags *diag.Diagnostics) {
	user, pass, wo, woVersion := isSet(cfg.Username), isSet(cfg.Password), isSet(cfg.PasswordWO), isSet(cfg.PasswordWOVersion)
	if pass && wo {
		diags.AddAttributeError(path.Root("password_wo"), "Conflicting passwords",
			"Set either password or password_wo, not both.")
	}
	if user && !pass && !wo && known(cfg.Password) && known(cfg.PasswordWO) {
		diags.AddAttributeError(path.Root("username"), "Username without password",
			"The platform stores credentials only as a pair: set password (or password_wo) together with username.")
	}
	if (pass || wo) && !user && known(cfg.Username) {
		attr := "password"
		if wo {
			attr = "password_wo"
		}
		diags.AddAttributeError(path.Root(attr), "Password without username",
			"The platform stores credentials only as a pair: set username together with "+attr+".")
	}
	if wo && !woVersion && known(cfg.PasswordWOVersion) {
		diags.AddAttributeError(path.Root("password_wo_version"), "Missing password_wo_version",
			"password_wo is never stored, so Terraform cannot see when it changes: set password_wo_version and change it whenever a new password should be sent.")
	}
	if woVersion && !wo && known(cfg.PasswordWO) {
		diags.AddAttributeError(path.Root("password_wo_version"), "password_wo_version without password_wo",
			"password_wo_version only versions password_wo; remove it or set password_wo.")
	}
}

func validateStorage(cfg databaseResourceModel, diags *diag.Diagnostics) {
	storage := cfg.BackupStorageType
	if storage.IsUnknown() {
		return
	}
	kind := storage.ValueString()
	if storage.IsNull() {
		kind = databaseDefaults.BackupStorageType
	}
	if kind == "spaces" {
		if !isSet(cfg.BackupSpacesBucket) && known(cfg.BackupSpacesBucket) {
			diags.AddAttributeError(path.Root("backup_spaces_bucket"), "Missing backup bucket",
				`backup_storage_type = "spaces" needs backup_spaces_bucket: the platform accepts it without one, but backups then have nowhere to go.`)
		}
		if isSet(cfg.BackupLocalPath) {
			diags.AddAttributeError(path.Root("backup_local_path"), "Local path with spaces storage",
				`backup_local_path is only used with backup_storage_type = "local"; remove it or switch the storage type.`)
		}
		return
	}
	for _, attr := range []struct {
		name  string
		value types.String
	}{{"backup_spaces_bucket", cfg.BackupSpacesBucket}, {"backup_spaces_prefix", cfg.BackupSpacesPrefix}} {
		if isSet(attr.value) {
			diags.AddAttributeError(path.Root(attr.name), "Spaces setting with local storage",
				fmt.Sprintf(`%s is only used with backup_storage_type = "spaces" (it is %q); remove it or switch the storage type.`, attr.name, kind))
		}
	}
}

// validatePgDumpOptions rejects the flag combinations pg_dump itself
// refuses, which the platform would store and fail on at backup time.
func validatePgDumpOptions(o *pgDumpOptionsModel, diags *diag.Diagnostics) {
	if o == nil {
		return
	}
	at := pathPgDumpOptions.AtName
	if isTrue(o.SchemaOnly) && isTrue(o.DataOnly) {
		diags.AddAttributeError(at("data_only"), "Conflicting pg_dump options",
			"schema_only and data_only cannot both be true: pg_dump rejects --schema-only with --data-only.")
	}
	if isTrue(o.Clean) && isTrue(o.DataOnly) {
		diags.AddAttributeError(at("clean"), "Conflicting pg_dump options",
			"clean and data_only cannot both be true: pg_dump rejects --clean with --data-only.")
	}
	if isTrue(o.IfExists) && !isTrue(o.Clean) && known(o.Clean) {
		diags.AddAttributeError(at("if_exists"), "pg_dump option needs clean",
			"if_exists requires clean = true: pg_dump rejects --if-exists without --clean.")
	}
}

// validateFilePath: a file path only makes sense for SQLite. Types an admin
// added may be file-based too, so for those it is only a warning.
func validateFilePath(cfg databaseResourceModel, diags *diag.Diagnostics) {
	if !isSet(cfg.FilePath) || !isSet(cfg.Type) {
		return
	}
	typ := cfg.Type.ValueString()
	switch {
	case typ == "sqlite":
	case slices.Contains(builtinDatabaseTypes, typ):
		diags.AddAttributeError(path.Root("file_path"), "file_path needs type sqlite",
			fmt.Sprintf("file_path is only used by sqlite databases; this one has type %q. Use host, port and database_name instead.", typ))
	default:
		diags.AddAttributeWarning(path.Root("file_path"), "file_path with a custom type",
			fmt.Sprintf("file_path is only used by sqlite among the built-in types; check that type %q really reads it.", typ))
	}
}

type maybeValue interface {
	IsNull() bool
	IsUnknown() bool
}

// isSet: known and not null.
func isSet(v maybeValue) bool { return !v.IsNull() && !v.IsUnknown() }

// known: not unknown (null counts as known).
func known(v maybeValue) bool { return !v.IsUnknown() }

func isTrue(b types.Bool) bool { return isSet(b) && b.ValueBool() }
