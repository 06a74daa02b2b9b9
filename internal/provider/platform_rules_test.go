package provider

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// TestSchemaFollowsThePlatform ties the provider's schemas to api.Platform,
// the one table CONTRACT.md (internal/api's contract_test.go) and the
// simulator (TestSimulatorFollowsThePlatform_*) are checked against too. It
// reads the schemas as Terraform sees them, so a default or bound typed into
// a schema by hand fails here when it differs: every default, every enum
// value (and one outside), every range at its bounds and one past them.
// Where the provider deliberately differs from the platform, the test states
// the relationship instead.
func TestSchemaFollowsThePlatform(t *testing.T) {
	db := api.Platform.Database
	t.Run("platform_database", func(t *testing.T) {
		attrs := resourceSchema(t, NewDatabaseResource())
		expectStringDefault(t, attrs, "backup_storage_type", db.Defaults.BackupStorageType)
		expectStringDefault(t, attrs, "backup_format", db.Defaults.BackupFormat)
		expectStringDefault(t, attrs, "backup_compression", db.Defaults.BackupCompression)
		expectInt64Default(t, attrs, "backup_compression_level", db.Defaults.BackupCompressionLevel)
		expectInt64Default(t, attrs, "pg_dump_timeout_ms", db.Defaults.PgDumpTimeoutMs)
		expectBoolDefault(t, attrs, "use_ssl", db.Defaults.UseSSL)
		expectBoolDefault(t, attrs, "monitoring_enabled", db.Defaults.MonitoringEnabled)
		expectInt64Default(t, attrs, "monitoring_interval_seconds", db.Defaults.CollectionIntervalSec)

		expectOneOf(t, attrs, "backup_storage_type", db.Enums.BackupStorageType)
		expectOneOf(t, attrs, "backup_format", db.Enums.BackupFormat)
		expectOneOf(t, attrs, "backup_compression", db.Enums.BackupCompression)
		expectBetween(t, attrs, "backup_compression_level", db.Ranges.BackupCompressionLevel)
		expectBetween(t, attrs, "pg_dump_timeout_ms", db.Ranges.PgDumpTimeoutMs)
		// The platform checks no port; api's Port range is the one the
		// provider enforces (see defaults.go).
		expectBetween(t, attrs, "port", db.Ranges.Port)

		// The platform checks no monitoring interval either; the provider's
		// own bounds must at least hold the platform's default, or a
		// database created without the attribute would fail its own plan.
		own := api.Range{Min: minMonitoringIntervalSec, Max: maxMonitoringIntervalSec}
		expectBetween(t, attrs, "monitoring_interval_seconds", own)
		if !own.Contains(db.Defaults.CollectionIntervalSec) {
			t.Errorf("the platform's default interval %d lies outside the provider's %v", db.Defaults.CollectionIntervalSec, own)
		}
	})

	t.Run("platform_database_backup_schedule", func(t *testing.T) {
		s := api.Platform.Schedule
		attrs := resourceSchema(t, NewBackupScheduleResource())
		expectNewScheduleRetention(t, attrs, s.Defaults.RetentionDays)
		expectBoolDefault(t, attrs, "enabled", s.Defaults.Enabled)
		expectBetween(t, attrs, "retention_days", s.Ranges.RetentionDays)
	})

	t.Run("platform_database_backup_policy", func(t *testing.T) {
		p := api.Platform.Policy
		attrs := resourceSchema(t, NewBackupPolicyResource())
		expectOneOf(t, attrs, "preset", p.PresetNames)
		expectBetween(t, attrs, "max_total_bytes", p.Ranges.MaxTotalBytes)
		ranges := map[string]api.Range{"keep_last": p.Ranges.KeepLast, "daily": p.Ranges.Daily, "weekly": p.Ranges.Weekly,
			"monthly": p.Ranges.Monthly, "yearly": p.Ranges.Yearly, "min_floor": p.Ranges.MinFloor}
		if len(ranges) != len(policyTiers) {
			t.Fatalf("%d tiers in the schema, %d in api.Platform", len(policyTiers), len(ranges))
		}
		for attr, r := range ranges {
			expectBetween(t, attrs, attr, r)
		}
		// A named preset's tiers, read from api.Platform by attribute name
		// (not through policyTiers' own accessors, which the provider's
		// preset table is built from): the plan shows them, they pass the
		// plan-time check, and a tier one off is refused (the platform
		// would store the preset's).
		for _, preset := range p.Presets {
			byName := map[string]int64{"keep_last": preset.KeepLast, "daily": preset.Daily, "weekly": preset.Weekly,
				"monthly": preset.Monthly, "yearly": preset.Yearly, "min_floor": preset.MinFloor}
			var tiers []int64
			for _, tier := range policyTiers {
				v, ok := byName[tier.attr]
				if !ok {
					t.Fatalf("tier %s has no value in api.PolicyPreset", tier.attr)
				}
				tiers = append(tiers, v)
			}
			if planned := backupPolicyPresets[preset.Name]; !slices.Equal(planned[:], tiers) {
				t.Errorf("preset %s plans tiers %v, api.Platform says %v", preset.Name, planned, tiers)
			}
			if diags := validatePolicyTiers(policyModel(preset.Name, tiers...)); diags.HasError() {
				t.Errorf("preset %s with api's tiers %v: %v", preset.Name, tiers, diags)
			}
			tiers[0]++
			if diags := validatePolicyTiers(policyModel(preset.Name, tiers...)); !diags.HasError() {
				t.Errorf("preset %s with keep_last %d, not api's: accepted", preset.Name, tiers[0])
			}
		}
	})
}

func resourceSchema(t *testing.T, r resource.Resource) map[string]schema.Attribute {
	t.Helper()
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema.Attributes
}

func expectStringDefault(t *testing.T, attrs map[string]schema.Attribute, name, want string) {
	t.Helper()
	a, ok := attrs[name].(schema.StringAttribute)
	if !ok || a.Default == nil {
		t.Errorf("%s: no string default", name)
		return
	}
	var resp defaults.StringResponse
	a.Default.DefaultString(context.Background(), defaults.StringRequest{}, &resp)
	if got := resp.PlanValue.ValueString(); got != want {
		t.Errorf("%s defaults to %q, api.Platform says %q", name, got, want)
	}
}

func expectInt64Default(t *testing.T, attrs map[string]schema.Attribute, name string, want int64) {
	t.Helper()
	a, ok := attrs[name].(schema.Int64Attribute)
	if !ok || a.Default == nil {
		t.Errorf("%s: no number default", name)
		return
	}
	var resp defaults.Int64Response
	a.Default.DefaultInt64(context.Background(), defaults.Int64Request{}, &resp)
	if got := resp.PlanValue.ValueInt64(); got != want {
		t.Errorf("%s defaults to %d, api.Platform says %d", name, got, want)
	}
}

// expectNewScheduleRetention: retention_days has no schema default (an
// unset one keeps what the platform holds), but a new schedule is planned
// with the platform's.
func expectNewScheduleRetention(t *testing.T, attrs map[string]schema.Attribute, want int64) {
	t.Helper()
	a, ok := attrs["retention_days"].(schema.Int64Attribute)
	if !ok || len(a.PlanModifiers) != 1 {
		t.Error("retention_days: want one plan modifier")
		return
	}
	req := planmodifier.Int64Request{
		ConfigValue: types.Int64Null(), StateValue: types.Int64Null(), PlanValue: types.Int64Unknown(),
		Plan: tfsdk.Plan{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})},
	}
	resp := planmodifier.Int64Response{PlanValue: req.PlanValue}
	a.PlanModifiers[0].PlanModifyInt64(context.Background(), req, &resp)
	if got := resp.PlanValue.ValueInt64(); resp.PlanValue.IsUnknown() || got != want {
		t.Errorf("a new schedule's retention_days is planned as %s, api.Platform says %d", resp.PlanValue, want)
	}
}

func expectBoolDefault(t *testing.T, attrs map[string]schema.Attribute, name string, want bool) {
	t.Helper()
	a, ok := attrs[name].(schema.BoolAttribute)
	if !ok || a.Default == nil {
		t.Errorf("%s: no bool default", name)
		return
	}
	var resp defaults.BoolResponse
	a.Default.DefaultBool(context.Background(), defaults.BoolRequest{}, &resp)
	if got := resp.PlanValue.ValueBool(); got != want {
		t.Errorf("%s defaults to %t, api.Platform says %t", name, got, want)
	}
}

// expectOneOf: every value api lists passes the attribute's validators,
// and a value it does not list fails them.
func expectOneOf(t *testing.T, attrs map[string]schema.Attribute, name string, values []string) {
	t.Helper()
	a, ok := attrs[name].(schema.StringAttribute)
	if !ok {
		t.Errorf("%s: not a string attribute", name)
		return
	}
	check := func(v string) bool {
		var resp validator.StringResponse
		for _, val := range a.Validators {
			val.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(name), ConfigValue: types.StringValue(v)}, &resp)
		}
		return !resp.Diagnostics.HasError()
	}
	for _, v := range values {
		if !check(v) {
			t.Errorf("%s refuses %q, which api.Platform accepts", name, v)
		}
	}
	if check("bogus") {
		t.Errorf("%s accepts \"bogus\", which api.Platform does not list", name)
	}
}

// expectBetween: the attribute's validators accept r's bounds and refuse
// one past each.
func expectBetween(t *testing.T, attrs map[string]schema.Attribute, name string, r api.Range) {
	t.Helper()
	a, ok := attrs[name].(schema.Int64Attribute)
	if !ok {
		t.Errorf("%s: not a number attribute", name)
		return
	}
	for _, c := range []struct {
		n      int64
		inside bool
	}{{r.Min, true}, {r.Max, true}, {r.Min - 1, false}, {r.Max + 1, false}} {
		var resp validator.Int64Response
		for _, val := range a.Validators {
			val.ValidateInt64(context.Background(), validator.Int64Request{Path: path.Root(name), ConfigValue: types.Int64Value(c.n)}, &resp)
		}
		if accepted := !resp.Diagnostics.HasError(); accepted != c.inside {
			t.Errorf("%s = %d: accepted %t, want %t (range %d–%d)", name, c.n, accepted, c.inside, r.Min, r.Max)
		}
	}
}
