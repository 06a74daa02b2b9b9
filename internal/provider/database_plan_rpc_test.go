package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

// These tests and benchmarks drive platform_database's RPCs through
// providerserver, as Terraform does, on a fixed set of configurations and
// prior states: the benchmarks measure the provider's CPU per RPC without
// a CLI or the machine's load in the figure, and the fixtures pin what the
// plans are.

// planFixture is one PlanResourceChange: a configuration and the prior
// state (nil for a create).
type planFixture struct {
	name  string
	cfg   databaseResourceModel
	prior *databaseResourceModel
}

func dbResourceSchema(t testing.TB) schema.Schema {
	t.Helper()
	var sr resource.SchemaResponse
	NewDatabaseResource().Schema(context.Background(), resource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	return sr.Schema
}

// rawDatabase is m as the raw value of the resource's object type.
func rawDatabase(t testing.TB, s schema.Schema, m databaseResourceModel) tftypes.Value {
	t.Helper()
	st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(context.Background()), nil)}
	if diags := databaseCodec().Set(context.Background(), &st, &m); diags.HasError() {
		t.Fatal(diags)
	}
	return st.Raw
}

// proposedNew is what Terraform proposes to the provider (its
// objchange.ProposedNew) for this schema: configured values, and for
// computed attributes left out of configuration the prior value. A nested
// block is taken from configuration, its attributes merged the same way.
func proposedNew(s schema.Schema, cfg, prior tftypes.Value) tftypes.Value {
	if cfg.IsNull() {
		return cfg
	}
	return mergeProposed(cfg, prior, func(name string) (computed bool, nested map[string]schema.Attribute) {
		if a, ok := s.Attributes[name]; ok {
			return a.IsComputed(), nil
		}
		if b, ok := s.Blocks[name].(schema.SingleNestedBlock); ok {
			return false, b.Attributes
		}
		return false, nil
	})
}

func mergeProposed(cfg, prior tftypes.Value, lookup func(string) (bool, map[string]schema.Attribute)) tftypes.Value {
	var cv, pv map[string]tftypes.Value
	if err := cfg.As(&cv); err != nil {
		panic(err)
	}
	if !prior.IsNull() && prior.IsKnown() {
		if err := prior.As(&pv); err != nil {
			panic(err)
		}
	}
	out := make(map[string]tftypes.Value, len(cv))
	for name, c := range cv {
		computed, nested := lookup(name)
		p, hasPrior := pv[name]
		switch {
		case nested != nil && !c.IsNull() && c.IsKnown():
			if !hasPrior {
				p = tftypes.NewValue(c.Type(), nil)
			}
			out[name] = mergeProposed(c, p, func(n string) (bool, map[string]schema.Attribute) {
				return nested[n].IsComputed(), nil
			})
		case c.IsNull() && computed && hasPrior:
			out[name] = p
		default:
			out[name] = c
		}
	}
	return tftypes.NewValue(cfg.Type(), out)
}

func dynamicValue(t testing.TB, s schema.Schema, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(s.Type().TerraformType(context.Background()), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// planRequest is the PlanResourceChange Terraform sends for f.
func planRequest(t testing.TB, s schema.Schema, f planFixture) *tfprotov6.PlanResourceChangeRequest {
	t.Helper()
	null := tftypes.NewValue(s.Type().TerraformType(context.Background()), nil)
	cfg, prior := null, null
	if f.name != "destroy" {
		cfg = rawDatabase(t, s, f.cfg)
	}
	if f.prior != nil {
		prior = rawDatabase(t, s, *f.prior)
	}
	return &tfprotov6.PlanResourceChangeRequest{
		TypeName:         "platform_database",
		Config:           dynamicValue(t, s, cfg),
		PriorState:       dynamicValue(t, s, prior),
		ProposedNewState: dynamicValue(t, s, proposedNew(s, cfg, prior)),
		ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{
			DeferralAllowed: true,
		},
	}
}

func testServer(t testing.TB) tfprotov6.ProviderServer {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	// The framework answers resource RPCs only after GetProviderSchema.
	if _, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	return server
}

// benchConfig is the bench's configuration (internal/bench/cmd/bench):
// what make bench plans 500 times per phase.
func benchConfig() databaseResourceModel {
	m := allNull()
	m.EnvironmentID, m.Name, m.Type = types.StringValue("cmwxsejuk002c1h7dp19myyf8"), types.StringValue("bench-1"), types.StringValue("postgres")
	m.Host, m.Port, m.DatabaseName = types.StringValue("pg.bench.internal"), fwtypes.WholeNumberValue(5432), types.StringValue("bench")
	return m
}

// allNull is a configuration with nothing set, every field a typed null.
func allNull() databaseResourceModel {
	var m databaseResourceModel
	if diags := databaseCodec().Get(context.Background(),
		tftypes.NewValue(databaseCodec().Type().TerraformType(context.Background()), nil), &m); diags.HasError() {
		panic(diags)
	}
	return m
}

// benchState is the state a create of benchConfig leaves, as the read
// after it and every refresh return it.
func benchState() databaseResourceModel {
	cfg := benchConfig()
	db := benchDatabase()
	db.Name, db.EnvironmentID, db.Host, db.DatabaseName = cfg.Name.ValueString(), cfg.EnvironmentID.ValueString(), strPtr("pg.bench.internal"), strPtr("bench")
	db.BackupLocalPath, db.PgDumpOptions, db.HasCredentials = nil, nil, false
	db.UseSSL, db.BackupFormat, db.BackupCompression = databaseDefaults.UseSSL, databaseDefaults.BackupFormat, databaseDefaults.BackupCompression
	db.BackupCompressionLevel, db.PgDumpTimeoutMs = databaseDefaults.BackupCompressionLevel, databaseDefaults.PgDumpTimeoutMs
	db.MonitoringEnabled, db.CollectionIntervalSec = databaseDefaults.MonitoringEnabled, databaseDefaults.CollectionIntervalSec
	st := databaseFromAPI(db, cfg)
	return st
}

func BenchmarkPlanRefresh(b *testing.B) {
	s := dbResourceSchema(b)
	prior := benchState()
	req := planRequest(b, s, planFixture{cfg: benchConfig(), prior: &prior})
	server := testServer(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := server.PlanResourceChange(ctx, req)
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics)
		}
	}
}

func BenchmarkPlanCreate(b *testing.B) {
	s := dbResourceSchema(b)
	req := planRequest(b, s, planFixture{cfg: benchConfig()})
	server := testServer(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := server.PlanResourceChange(ctx, req)
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics)
		}
	}
}

func BenchmarkValidateConfig(b *testing.B) {
	s := dbResourceSchema(b)
	req := &tfprotov6.ValidateResourceConfigRequest{TypeName: "platform_database",
		Config:             dynamicValue(b, s, rawDatabase(b, s, benchConfig())),
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true}}
	server := testServer(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := server.ValidateResourceConfig(ctx, req)
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics)
		}
	}
}

func strPtr(s string) *string { return &s }

// referenceDatabaseResource is platform_database with the ModifyPlan it
// had before plans that change nothing stopped writing the plan back: the
// fixtures' plans must not tell the two apart.
type referenceDatabaseResource struct{ *databaseResource }

func (r referenceDatabaseResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.warnForceDestroy(ctx, req, resp)
		return
	}
	var plan, cfg databaseResourceModel
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(databaseCodec().Get(ctx, req.Config.Raw, &cfg)...)
	var state *databaseResourceModel
	if !req.State.Raw.IsNull() {
		state = &databaseResourceModel{}
		resp.Diagnostics.Append(databaseCodec().Get(ctx, req.State.Raw, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	r.checkDatabaseType(ctx, cfg, state, &resp.Diagnostics)
	keepUnclearable(cfg, state, &plan, resp)
	plan.HasCredentials = plannedHasCredentials(cfg, state)
	plan.BackupSpacesPrefix = r.plannedSpacesPrefix(ctx, cfg, plan)
	resp.Diagnostics.Append(databaseCodec().Set(ctx, &resp.Plan, &plan)...)
	if state != nil && !plan.UpdatedAt.IsUnknown() && !resp.Plan.Raw.Equal(req.State.Raw) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), types.StringUnknown())...)
	}
}

type referenceProvider struct{ *platformProvider }

func (p referenceProvider) Resources(ctx context.Context) []func() resource.Resource {
	rs := p.platformProvider.Resources(ctx)
	for i, newResource := range rs {
		if _, ok := newResource().(*databaseResource); ok {
			rs[i] = func() resource.Resource {
				return referenceDatabaseResource{NewDatabaseResource().(*databaseResource)}
			}
		}
	}
	return rs
}

func referenceServer(t testing.TB) tfprotov6.ProviderServer {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(referenceProvider{New("test")().(*platformProvider)})()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	return server
}

// planFixtures are creates, refreshes, updates and destroys over the
// values ModifyPlan plans (kept port and server, credentials, the spaces
// prefix, updated_at) and the ones the framework's defaults fill in.
func planFixtures() []planFixture {
	bench, state := benchConfig(), benchState()
	full := benchConfig()
	full.Username, full.Password = types.StringValue("u"), types.StringValue("p")
	full.ServerID, full.BackupStorageType, full.BackupSpacesBucket = types.StringValue("srv"), types.StringValue("spaces"), types.StringValue("b")
	full.UseSSL, full.BackupCompressionLevel = types.BoolValue(false), fwtypes.WholeNumberValue(9)
	full.PgDumpOptions = &pgDumpOptionsModel{NoOwner: types.BoolValue(true), Clean: types.BoolNull(), IfExists: types.BoolNull(),
		SchemaOnly: types.BoolNull(), DataOnly: types.BoolValue(false)}
	fullState := state
	fullState.Username, fullState.Password, fullState.HasCredentials = full.Username, full.Password, types.BoolValue(true)
	fullState.ServerID, fullState.BackupStorageType, fullState.BackupSpacesBucket = full.ServerID, full.BackupStorageType, full.BackupSpacesBucket
	fullState.BackupSpacesPrefix, fullState.UseSSL, fullState.BackupCompressionLevel = types.StringValue("env/bench-1/"), full.UseSSL, full.BackupCompressionLevel
	fullState.BackupLocalPath = types.StringNull()
	fullState.PgDumpOptions = &pgDumpOptionsModel{NoOwner: types.BoolValue(true), Clean: types.BoolValue(false), IfExists: types.BoolValue(false),
		SchemaOnly: types.BoolValue(false), DataOnly: types.BoolValue(false)}
	unknowns := bench
	unknowns.Name, unknowns.Port, unknowns.Host = types.StringUnknown(), fwtypes.WholeNumber{Int64Value: types.Int64Unknown()}, types.StringUnknown()
	writeOnly := bench
	writeOnly.Username, writeOnly.PasswordWO, writeOnly.PasswordWOVersion = types.StringValue("u"), types.StringValue("w"), fwtypes.WholeNumberValue(1)

	edit := func(m databaseResourceModel, f func(*databaseResourceModel)) databaseResourceModel { f(&m); return m }
	ptr := func(m databaseResourceModel) *databaseResourceModel { return &m }
	return []planFixture{
		{name: "create bench", cfg: bench},
		{name: "create full", cfg: full},
		{name: "create with unknowns", cfg: unknowns},
		{name: "create write-only", cfg: writeOnly},
		{name: "refresh bench", cfg: bench, prior: ptr(state)},
		{name: "refresh full", cfg: full, prior: ptr(fullState)},
		{name: "refresh with unknowns", cfg: unknowns, prior: ptr(state)},
		{name: "update port", cfg: edit(bench, func(m *databaseResourceModel) { m.Port = fwtypes.WholeNumberValue(6543) }), prior: ptr(state)},
		{name: "port and server removed: kept", cfg: edit(full, func(m *databaseResourceModel) {
			m.Port, m.ServerID = fwtypes.WholeNumberNull(), types.StringNull()
		}), prior: ptr(fullState)},
		{name: "defaults back after removal", cfg: edit(full, func(m *databaseResourceModel) {
			m.UseSSL, m.BackupCompressionLevel, m.PgDumpOptions = types.BoolNull(), fwtypes.WholeNumberNull(), nil
		}), prior: ptr(fullState)},
		{name: "drifted default", cfg: bench, prior: ptr(edit(state, func(m *databaseResourceModel) {
			m.UseSSL, m.MonitoringIntervalSec, m.ForceDestroy = types.BoolValue(!databaseDefaults.UseSSL), fwtypes.WholeNumberValue(60), types.BoolValue(true)
		}))},
		{name: "credentials removed", cfg: edit(full, func(m *databaseResourceModel) {
			m.Username, m.Password = types.StringNull(), types.StringNull()
		}), prior: ptr(fullState)},
		{name: "credentials cleared outside", cfg: full, prior: ptr(edit(fullState, func(m *databaseResourceModel) {
			m.HasCredentials = types.BoolValue(false)
		}))},
		{name: "imported credentials left alone", cfg: bench, prior: ptr(edit(state, func(m *databaseResourceModel) {
			m.HasCredentials = types.BoolValue(true)
		}))},
		{name: "rename with spaces", cfg: edit(full, func(m *databaseResourceModel) { m.Name = types.StringValue("renamed") }), prior: ptr(fullState)},
		{name: "type change replaces", cfg: edit(bench, func(m *databaseResourceModel) { m.Type = types.StringValue("mysql") }), prior: ptr(state)},
		{name: "destroy", prior: ptr(fullState)},
	}
}

// TestPlansMatchReference plans every fixture through the provider and
// through the reference, comparing the planned state byte for byte, the
// replacement paths and the diagnostics.
func TestPlansMatchReference(t *testing.T) {
	s := dbResourceSchema(t)
	got, want := testServer(t), referenceServer(t)
	ctx := context.Background()
	for _, f := range planFixtures() {
		t.Run(f.name, func(t *testing.T) {
			req := planRequest(t, s, f)
			g, err := got.PlanResourceChange(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			w, err := want.PlanResourceChange(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if string(g.PlannedState.MsgPack) != string(w.PlannedState.MsgPack) {
				t.Errorf("planned state differs from the reference:\n got %s\nwant %s", planString(t, s, g), planString(t, s, w))
			}
			if fmt.Sprint(g.RequiresReplace) != fmt.Sprint(w.RequiresReplace) {
				t.Errorf("requires replace %v, reference %v", g.RequiresReplace, w.RequiresReplace)
			}
			if fmt.Sprint(diagStrings(g.Diagnostics)) != fmt.Sprint(diagStrings(w.Diagnostics)) {
				t.Errorf("diagnostics %v, reference %v", diagStrings(g.Diagnostics), diagStrings(w.Diagnostics))
			}
			if string(g.PlannedPrivate) != string(w.PlannedPrivate) {
				t.Errorf("private %q, reference %q", g.PlannedPrivate, w.PlannedPrivate)
			}
		})
	}
}

func planString(t *testing.T, s schema.Schema, resp *tfprotov6.PlanResourceChangeResponse) string {
	v, err := resp.PlannedState.Unmarshal(s.Type().TerraformType(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return v.String()
}

func diagStrings(ds []*tfprotov6.Diagnostic) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%v %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	return out
}
