package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

func TestAttributePath(t *testing.T) {
	cases := map[string]struct {
		in   []string
		want path.Path
		ok   bool
	}{
		"top level":    {[]string{"backupCompressionLevel"}, path.Root("backup_compression_level"), true},
		"nested":       {[]string{"pgDumpOptions", "clean"}, path.Root("pg_dump_options").AtName("clean"), true},
		"unknown":      {[]string{"Idempotency-Key"}, path.Empty(), false},
		"empty":        {nil, path.Empty(), false},
		"unknown step": {[]string{"pgDumpOptions", "verbose"}, path.Empty(), false},
		"id suffix":    {[]string{"databaseTypeId"}, path.Root("database_type_id"), true},
		"acronym":      {[]string{"useSsl"}, path.Root("use_ssl"), true},
		"credentials":  {[]string{"password"}, path.Root("password"), true},
		"environment":  {[]string{"environmentId"}, path.Root("environment_id"), true},
		"schedule":     {[]string{"retentionDays"}, path.Root("retention_days"), true},
		"policy":       {[]string{"maxTotalBytes"}, path.Root("max_total_bytes"), true},
		"nested last":  {[]string{"pgDumpOptions", "dataOnly"}, path.Root("pg_dump_options").AtName("data_only"), true},
		"ms suffix":    {[]string{"pgDumpTimeoutMs"}, path.Root("pg_dump_timeout_ms"), true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := attributePath(tc.in)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Errorf("attributePath(%q) = %s, %t; want %s, %t", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// noPath stands for a diagnostic that points at no attribute.
var noPath = path.Root("(no attribute)")

func TestAddAPIError(t *testing.T) {
	validation := &client.APIError{Status: 400, Code: "VALIDATION_ERROR", Message: "Invalid input", RequestID: "req-16",
		Details: []client.ErrorDetail{
			{Path: []string{"backupCompressionLevel"}, Message: "Too big"},
			{Path: []string{"pgDumpOptions", "clean"}, Message: "expected boolean"},
		}}
	readonly := &client.APIError{Status: 422, Code: "READONLY_FIELD", Message: "Field is read-only", Field: "environmentId", Hint: "Move it instead", RequestID: "req-2"}
	server := &client.APIError{Status: 500, Code: "INTERNAL", Message: "Internal Server Error", RequestID: "req-3"}

	cases := map[string]struct {
		err      error
		paths    []path.Path
		inDetail []string
		advice   string
	}{
		"details map to attributes": {validation,
			[]path.Path{path.Root("backup_compression_level"), path.Root("pg_dump_options").AtName("clean")},
			[]string{"Too big", "Request id: req-16"}, ""},
		"field maps to attribute": {readonly, []path.Path{path.Root("environment_id")},
			[]string{"READONLY_FIELD", "Hint: Move it instead", "Request id: req-2"}, ""},
		"server error keeps advice": {server, []path.Path{noPath},
			[]string{"500 INTERNAL", "req-3", "check the name"}, "check the name"},
		"plain error": {errors.New("dial tcp: refused"), []path.Path{noPath}, []string{"dial tcp: refused"}, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			addAPIError(&diags, "Could not create database", tc.err, tc.advice)
			if len(diags) != len(tc.paths) {
				t.Fatalf("got %d diagnostics, want %d: %v", len(diags), len(tc.paths), diags)
			}
			for i, d := range diags {
				got := noPath
				if wp, ok := d.(diag.DiagnosticWithPath); ok {
					got = wp.Path()
				}
				if !got.Equal(tc.paths[i]) {
					t.Errorf("diagnostic %d at %s, want %s", i, got, tc.paths[i])
				}
				if d.Summary() != "Could not create database" {
					t.Errorf("summary %q", d.Summary())
				}
			}
			detail := diags[0].Detail()
			for _, want := range tc.inDetail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail %q lacks %q", detail, want)
				}
			}
		})
	}
}
