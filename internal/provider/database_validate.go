package provider

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

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
	validatePgDumpOptionsType(cfg, &diags)
	validateFilePath(cfg, &diags)
	validateHost(cfg.Host, &diags)
	validateBackupLocalPath(cfg.BackupLocalPath, &diags)
	return diags
}

// validateCredentials holds the credential rules the schema's combinators
// cannot say as precisely. Those they can are on the attributes (see
// databaseAttributeTable): password_wo ConflictsWith password, either
// password AlsoRequires username, and password_wo_version AlsoRequires
// password_wo, each reported at the attribute that is set.
func validateCredentials(cfg databaseResourceModel, diags *diag.Diagnostics) {
	user, pass, wo, woVersion := isSet(cfg.Username), isSet(cfg.Password), isSet(cfg.PasswordWO), isSet(cfg.PasswordWOVersion)
	// "username needs password or password_wo": AlsoRequires takes only
	// all of its paths, and AtLeastOneOf counts username itself, so no
	// combinator says "one of the two" at username.
	if user && !pass && !wo && known(cfg.Password) && known(cfg.PasswordWO) {
		diags.AddAttributeError(path.Root("username"), "Username without password",
			"The platform stores credentials only as a pair: set password (or password_wo) together with username.")
	}
	// password_wo AlsoRequires password_wo_version would report at
	// password_wo, and RequiredTogether at whichever of the two comes
	// first, with neither saying why a version is needed; the error
	// belongs on the missing attribute, with the reason.
	if wo && !woVersion && known(cfg.PasswordWOVersion) {
		diags.AddAttributeError(path.Root("password_wo_version"), "Missing password_wo_version",
			"password_wo is never stored, so Terraform cannot see when it changes: set password_wo_version and change it whenever a new password should be sent.")
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

// validateFilePath: a file path only makes sense for SQLite, and SQLite
// needs one: the platform accepts a sqlite database without it but has no
// file to back up. Types an admin added may be file-based too, so for those
// it is only a warning.
func validateFilePath(cfg databaseResourceModel, diags *diag.Diagnostics) {
	if !isSet(cfg.Type) || !known(cfg.FilePath) {
		return
	}
	typ := cfg.Type.ValueString()
	switch {
	case typ == "sqlite" && cfg.FilePath.IsNull():
		diags.AddAttributeError(path.Root("file_path"), "Missing file_path",
			`type = "sqlite" needs file_path, the path of the database file on its server: the platform accepts `+
				"a sqlite database without one, but can then never back it up.")
	case typ == "sqlite" || cfg.FilePath.IsNull():
	case slices.Contains(builtinDatabaseTypes, typ):
		diags.AddAttributeError(path.Root("file_path"), "file_path needs type sqlite",
			fmt.Sprintf("file_path is only used by sqlite databases; this one has type %q. Use host, port and database_name instead.", typ))
	default:
		diags.AddAttributeWarning(path.Root("file_path"), "file_path with a custom type",
			fmt.Sprintf("file_path is only used by sqlite among the built-in types; check that type %q really reads it.", typ))
	}
}

// validatePgDumpOptionsType: the platform passes these flags only to
// pg_dump, which it runs for PostgreSQL; any other type stores and ignores
// them. A warning, since an admin's custom type might run pg_dump too.
func validatePgDumpOptionsType(cfg databaseResourceModel, diags *diag.Diagnostics) {
	if cfg.PgDumpOptions == nil || !isSet(cfg.Type) || cfg.Type.ValueString() == "postgres" {
		return
	}
	diags.AddAttributeWarning(pathPgDumpOptions, "pg_dump_options ignored",
		fmt.Sprintf(`pg_dump_options only affect backups made with pg_dump, which the platform runs for type = "postgres"; `+
			"this database has type %q, so the options are stored but ignored. Remove the pg_dump_options block.", cfg.Type.ValueString()))
}

// validateHost: the platform hands host unchanged to its database drivers
// and to pg_dump -h, which take a bare name or address. A URL, a port or a
// path is stored without complaint and every connection then fails.
// Unbracketed IPv6 literals (::1, fe80::1%eth0) are fine.
func validateHost(host types.String, diags *diag.Diagnostics) {
	if !isSet(host) {
		return
	}
	if problem := hostProblem(host.ValueString()); problem != "" {
		diags.AddAttributeError(path.Root("host"), "Invalid host",
			fmt.Sprintf("host must be a host name or IP address only, got %s: %s.", shownHost(host.ValueString()), problem))
	}
}

// shownHost quotes h for an error, without the password a connection URL
// may carry.
func shownHost(h string) string {
	if !strings.Contains(h, "@") {
		return strconv.Quote(h)
	}
	if u, err := url.Parse(h); err == nil && u.User != nil && u.Host != "" {
		return strconv.Quote(u.Redacted())
	}
	return "a value with user information (not repeated here)"
}

// hostProblem says what is wrong with h as a host, or "" when nothing is.
func hostProblem(h string) string {
	switch colons := strings.Count(h, ":"); {
	case strings.ContainsFunc(h, unicode.IsSpace):
		return "it contains whitespace"
	case strings.Contains(h, "://"):
		return "it is a URL; " + splitAdvice(urlHostPort(h))
	case strings.Contains(h, "/"):
		return "it contains a path (/)"
	case strings.Contains(h, "@"):
		return "it contains user information (@); set username and password instead"
	case strings.HasPrefix(h, "["):
		return "write an IPv6 address without brackets; " + splitAdvice(bracketedHostPort(h))
	case colons == 1:
		return "it includes a port; " + splitAdvice(strings.Cut(h, ":"))
	case colons > 1:
		if _, err := netip.ParseAddr(h); err != nil {
			return "it has several colons but is not an IPv6 address"
		}
	}
	return ""
}

// splitAdvice tells where the parts of a combined host go.
func splitAdvice(host, port string, ok bool) string {
	switch {
	case !ok || host == "":
		return "set only the host name or address here, and the port in port"
	case port == "":
		return fmt.Sprintf("set host = %q", host)
	default:
		return fmt.Sprintf("set host = %q and port = %s", host, port)
	}
}

func urlHostPort(s string) (string, string, bool) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", false
	}
	return u.Hostname(), u.Port(), true
}

// bracketedHostPort splits "[::1]" or "[::1]:5432".
func bracketedHostPort(s string) (string, string, bool) {
	inner, rest, ok := strings.Cut(strings.TrimPrefix(s, "["), "]")
	if !ok {
		return "", "", false
	}
	port, hasPort := strings.CutPrefix(rest, ":")
	if rest != "" && !hasPort {
		return "", "", false
	}
	return inner, port, true
}

// validateBackupLocalPath: a relative directory would be resolved against
// whatever working directory the platform's backup process has (no shell
// expands ~ either), so backups land somewhere nobody chose.
func validateBackupLocalPath(p types.String, diags *diag.Diagnostics) {
	if !isSet(p) || strings.HasPrefix(p.ValueString(), "/") {
		return
	}
	diags.AddAttributeError(path.Root("backup_local_path"), "Relative backup path",
		fmt.Sprintf("backup_local_path must be an absolute directory on the host that runs the backup, such as "+
			"/var/backups/orders; got %q, which the platform would resolve against its own working directory.", p.ValueString()))
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
