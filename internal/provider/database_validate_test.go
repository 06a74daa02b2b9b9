package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/validators"
)

// validateThroughFramework validates m as Terraform's validate would: the
// schema's attribute validators and the resource's ValidateConfig, so the
// cases cover both wherever a rule lives.
func validateThroughFramework(t *testing.T, m databaseResourceModel) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	r := NewDatabaseResource()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	// The zero timeouts.Value has no attribute types to write.
	tt, diags := sr.Schema.TypeAtPath(ctx, path.Root("timeouts"))
	if diags.HasError() {
		t.Fatal(diags)
	}
	m.Timeouts = timeouts.Value{Object: types.ObjectNull(tt.(attr.TypeWithAttributeTypes).AttributeTypes())}
	cfg := tfsdk.State{Schema: sr.Schema}
	if diags := cfg.Set(ctx, &m); diags.HasError() {
		t.Fatalf("building the configuration: %v", diags)
	}
	dv, err := tfprotov6.NewDynamicValue(sr.Schema.Type().TerraformType(ctx), cfg.Raw)
	if err != nil {
		t.Fatal(err)
	}
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
		TypeName: "platform_database", Config: &dv,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func TestValidateDatabaseConfig(t *testing.T) {
	tru, fls := types.BoolValue(true), types.BoolValue(false)
	opts := func(noOwner, clean, ifExists, schemaOnly, dataOnly types.Bool) *pgDumpOptionsModel {
		return &pgDumpOptionsModel{NoOwner: noOwner, Clean: clean, IfExists: ifExists, SchemaOnly: schemaOnly, DataOnly: dataOnly}
	}
	cases := []struct {
		name     string
		edit     func(m *databaseResourceModel)
		path     string // "" means valid
		severity diag.Severity
	}{
		{"minimal is valid", func(m *databaseResourceModel) {}, "", 0},
		{"credentials pair", func(m *databaseResourceModel) {
			m.Username, m.Password = types.StringValue("u"), types.StringValue("p")
		}, "", 0},
		{"write-only pair", func(m *databaseResourceModel) {
			m.Username, m.PasswordWO, m.PasswordWOVersion = types.StringValue("u"), types.StringValue("p"), fwtypes.WholeNumberValue(1)
		}, "", 0},
		{"username alone", func(m *databaseResourceModel) { m.Username = types.StringValue("u") }, "username", diag.SeverityError},
		{"unknown password is not judged", func(m *databaseResourceModel) {
			m.Username, m.Password = types.StringValue("u"), types.StringUnknown()
		}, "", 0},
		{"password alone", func(m *databaseResourceModel) { m.Password = types.StringValue("p") }, "password", diag.SeverityError},
		{"both passwords", func(m *databaseResourceModel) {
			m.Username, m.Password, m.PasswordWO, m.PasswordWOVersion = types.StringValue("u"), types.StringValue("p"), types.StringValue("w"), fwtypes.WholeNumberValue(1)
		}, "password_wo", diag.SeverityError},
		{"write-only without version", func(m *databaseResourceModel) {
			m.Username, m.PasswordWO = types.StringValue("u"), types.StringValue("w")
		}, "password_wo_version", diag.SeverityError},
		{"version without write-only", func(m *databaseResourceModel) {
			m.Username, m.Password, m.PasswordWOVersion = types.StringValue("u"), types.StringValue("p"), fwtypes.WholeNumberValue(1)
		}, "password_wo_version", diag.SeverityError},
		{"spaces without bucket", func(m *databaseResourceModel) { m.BackupStorageType = types.StringValue("spaces") }, "backup_spaces_bucket", diag.SeverityError},
		{"spaces with unknown bucket", func(m *databaseResourceModel) {
			m.BackupStorageType, m.BackupSpacesBucket = types.StringValue("spaces"), types.StringUnknown()
		}, "", 0},
		{"spaces with local path", func(m *databaseResourceModel) {
			m.BackupStorageType, m.BackupSpacesBucket, m.BackupLocalPath = types.StringValue("spaces"), types.StringValue("b"), types.StringValue("/x")
		}, "backup_local_path", diag.SeverityError},
		{"bucket with default local storage", func(m *databaseResourceModel) { m.BackupSpacesBucket = types.StringValue("b") }, "backup_spaces_bucket", diag.SeverityError},
		{"prefix with local storage", func(m *databaseResourceModel) {
			m.BackupStorageType, m.BackupSpacesPrefix = types.StringValue("local"), types.StringValue("p/")
		}, "backup_spaces_prefix", diag.SeverityError},
		{"unknown storage type is not judged", func(m *databaseResourceModel) {
			m.BackupStorageType, m.BackupSpacesBucket = types.StringUnknown(), types.StringValue("b")
		}, "", 0},
		{"schema_only with data_only", func(m *databaseResourceModel) { m.PgDumpOptions = opts(fls, fls, fls, tru, tru) }, "pg_dump_options.data_only", diag.SeverityError},
		{"clean with data_only", func(m *databaseResourceModel) { m.PgDumpOptions = opts(fls, tru, fls, fls, tru) }, "pg_dump_options.clean", diag.SeverityError},
		{"if_exists without clean", func(m *databaseResourceModel) { m.PgDumpOptions = opts(fls, fls, tru, fls, fls) }, "pg_dump_options.if_exists", diag.SeverityError},
		{"if_exists with clean", func(m *databaseResourceModel) { m.PgDumpOptions = opts(fls, tru, tru, fls, fls) }, "", 0},
		{"file_path for sqlite", func(m *databaseResourceModel) {
			m.Type, m.FilePath = types.StringValue("sqlite"), types.StringValue("/x.db")
		}, "", 0},
		{"file_path for mysql", func(m *databaseResourceModel) {
			m.Type, m.FilePath = types.StringValue("mysql"), types.StringValue("/x.db")
		}, "file_path", diag.SeverityError},
		{"file_path for a custom type warns", func(m *databaseResourceModel) {
			m.Type, m.FilePath = types.StringValue("duckdb"), types.StringValue("/x.db")
		}, "file_path", diag.SeverityWarning},
		{"sqlite without file_path", func(m *databaseResourceModel) { m.Type = types.StringValue("sqlite") }, "file_path", diag.SeverityError},
		{"sqlite with unknown file_path is not judged", func(m *databaseResourceModel) {
			m.Type, m.FilePath = types.StringValue("sqlite"), types.StringUnknown()
		}, "", 0},
		{"pg_dump_options for postgres", func(m *databaseResourceModel) { m.PgDumpOptions = opts(tru, fls, fls, fls, fls) }, "", 0},
		{"pg_dump_options for mysql warns", func(m *databaseResourceModel) {
			m.Type, m.PgDumpOptions = types.StringValue("mysql"), opts(tru, fls, fls, fls, fls)
		}, "pg_dump_options", diag.SeverityWarning},
		{"pg_dump_options for a custom type warns", func(m *databaseResourceModel) {
			m.Type, m.PgDumpOptions = types.StringValue("timescale"), opts(fls, fls, fls, fls, fls)
		}, "pg_dump_options", diag.SeverityWarning},
		{"pg_dump_options with unknown type are not judged", func(m *databaseResourceModel) {
			m.Type, m.PgDumpOptions = types.StringUnknown(), opts(tru, fls, fls, fls, fls)
		}, "", 0},
		{"host name", func(m *databaseResourceModel) { m.Host = types.StringValue("pg.example.test") }, "", 0},
		{"host as a URL", func(m *databaseResourceModel) { m.Host = types.StringValue("postgres://pg.example.test:5432/app") }, "host", diag.SeverityError},
		{"unknown host is not judged", func(m *databaseResourceModel) { m.Host = types.StringUnknown() }, "", 0},
		{"absolute backup path", func(m *databaseResourceModel) { m.BackupLocalPath = types.StringValue("/var/backups") }, "", 0},
		{"relative backup path", func(m *databaseResourceModel) { m.BackupLocalPath = types.StringValue("backups/orders") }, "backup_local_path", diag.SeverityError},
		{"home-relative backup path", func(m *databaseResourceModel) { m.BackupLocalPath = types.StringValue("~/backups") }, "backup_local_path", diag.SeverityError},
		{"unknown backup path is not judged", func(m *databaseResourceModel) { m.BackupLocalPath = types.StringUnknown() }, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := databaseResourceModel{databaseModel: databaseModel{EnvironmentID: types.StringValue("e"), Name: types.StringValue("n"), Type: types.StringValue("postgres")}}
			tc.edit(&m)
			diags := validateThroughFramework(t, m)
			if tc.path == "" {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostics, got %s", showDiagnostics(diags))
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic at %s, got %s", tc.path, showDiagnostics(diags))
			}
			d := diags[0]
			if want := map[diag.Severity]tfprotov6.DiagnosticSeverity{
				diag.SeverityError: tfprotov6.DiagnosticSeverityError, diag.SeverityWarning: tfprotov6.DiagnosticSeverityWarning,
			}[tc.severity]; d.Severity != want {
				t.Errorf("severity %v, want %v", d.Severity, want)
			}
			if got := diagnosticPath(d.Attribute); got != tc.path {
				t.Errorf("diagnostic at %q, want %s: %s: %s", got, tc.path, d.Summary, d.Detail)
			}
			if !strings.Contains(d.Detail, strings.Split(tc.path, ".")[len(strings.Split(tc.path, "."))-1]) {
				t.Errorf("detail %q does not name the attribute", d.Detail)
			}
		})
	}
}

// diagnosticPath writes p as path.Path.String does for attribute names
// ("pg_dump_options.data_only").
func diagnosticPath(p *tftypes.AttributePath) string {
	if p == nil {
		return ""
	}
	var names []string
	for _, step := range p.Steps() {
		if name, ok := step.(tftypes.AttributeName); ok {
			names = append(names, string(name))
		}
	}
	return strings.Join(names, ".")
}

func TestCheckAbsoluteHTTPURL(t *testing.T) {
	for in, ok := range map[string]bool{
		"https://deploy.example.com":      true,
		"http://127.0.0.1:8080":           true,
		"https://deploy.example.com/base": true,
		"deploy.example.com":              false,
		"ftp://deploy.example.com":        false,
		"https://":                        false,
		"https://x.example?q=1":           false,
		"":                                false,
	} {
		if got := validators.CheckAbsoluteHTTPURL(in) == ""; got != ok {
			t.Errorf("validators.CheckAbsoluteHTTPURL(%q) ok = %t, want %t", in, got, ok)
		}
	}
}

func TestHostProblem(t *testing.T) {
	cases := []struct {
		host string
		want string // "" = a usable host; otherwise a part of the reason
	}{
		{"pg.example.test", ""},
		{"localhost", ""},
		{"db_1", ""},
		{"10.0.0.5", ""},
		{"::1", ""},
		{"2001:db8::10", ""},
		{"fe80::1%eth0", ""},
		{"::ffff:10.0.0.5", ""},
		{"pg.example.test:5432", `it includes a port; set host = "pg.example.test" and port = 5432`},
		{"pg.example.test:", `set host = "pg.example.test"`},
		{":5432", "set only the host name or address here, and the port in port"},
		{"postgres://pg.example.test:5432/app", `it is a URL; set host = "pg.example.test" and port = 5432`},
		{"https://pg.example.test", `it is a URL; set host = "pg.example.test"`},
		{"postgres://u:secret@pg.example.test/app", "it is a URL"},
		{"pg.example.test/app", "it contains a path"},
		{"u@pg.example.test", "user information"},
		{"pg example", "whitespace"},
		{" pg.example.test", "whitespace"},
		{"pg.example.test\n", "whitespace"},
		{"[::1]", `write an IPv6 address without brackets; set host = "::1"`},
		{"[2001:db8::1]:5432", `set host = "2001:db8::1" and port = 5432`},
		{"[::1", "set only the host name or address here"},
		{"[::1]x", "set only the host name or address here"},
		{"fe80::1::2", "not an IPv6 address"},
	}
	for _, tc := range cases {
		got := hostProblem(tc.host)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("hostProblem(%q) = %q, want %q", tc.host, got, tc.want)
		}
	}
}

// A connection URL's password never reaches the error text.
func TestValidateHost_hidesPasswords(t *testing.T) {
	for _, host := range []string{"postgres://app:s3cret@pg.example.test:5432/app", "app:s3cret@pg.example.test"} {
		var diags diag.Diagnostics
		validateHost(types.StringValue(host), &diags)
		if len(diags) != 1 {
			t.Fatalf("%q: want one diagnostic, got %v", host, diags)
		}
		if d := diags[0].Detail(); strings.Contains(d, "s3cret") || !strings.Contains(d, "host") {
			t.Errorf("%q: detail %q shows the password or does not name host", host, d)
		}
	}
}

func showDiagnostics(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("\n  " + diagnosticPath(d.Attribute) + ": " + d.Summary + ": " + d.Detail)
	}
	return b.String()
}
