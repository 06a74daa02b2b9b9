package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

// codecCases are models covering what the resource writes and reads:
// nulls, unknowns (a plan), a nested block present and absent, timeouts
// null and set.
func codecCases(t *testing.T) map[string]databaseResourceModel {
	t.Helper()
	ctx := context.Background()
	timeoutsType := databaseCodec().Type().AttributeTypes()["timeouts"]
	tt := timeoutsType.TerraformType(ctx).(tftypes.Object)
	set := map[string]tftypes.Value{}
	first := true
	for name, typ := range tt.AttributeTypes {
		set[name] = tftypes.NewValue(typ, nil)
		if first {
			set[name], first = tftypes.NewValue(typ, "5m"), false
		}
	}
	withTimeouts, err := timeoutsType.ValueFromTerraform(ctx, tftypes.NewValue(tt, set))
	if err != nil {
		t.Fatal(err)
	}
	nullTimeouts, err := timeoutsType.ValueFromTerraform(ctx, tftypes.NewValue(tt, nil))
	if err != nil {
		t.Fatal(err)
	}

	full := databaseFromAPI(benchDatabase(), databaseResourceModel{
		Username: types.StringValue("u"), Password: types.StringValue("p"), PasswordWOVersion: fwtypes.WholeNumberValue(2),
	})
	full.Timeouts = withTimeouts.(timeouts.Value)
	bare := databaseFromAPI(&client.Database{ID: "d", EnvironmentID: "e", Name: "n", Type: "sqlite"}, databaseResourceModel{})
	bare.Timeouts = nullTimeouts.(timeouts.Value)
	plan := baseModel()
	plan.ID, plan.CreatedAt, plan.UpdatedAt = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	plan.HasCredentials, plan.BackupSpacesPrefix = types.BoolUnknown(), types.StringUnknown()
	plan.PgDumpOptions = &pgDumpOptionsModel{NoOwner: types.BoolValue(true), Clean: types.BoolUnknown()}
	plan.Timeouts = nullTimeouts.(timeouts.Value)
	return map[string]databaseResourceModel{"full": full, "bare": bare, "plan with unknowns": plan, "zero": {}}
}

func databaseSchema(t *testing.T) tfsdk.State {
	t.Helper()
	var resp resource.SchemaResponse
	(&databaseResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return tfsdk.State{Schema: resp.Schema}
}

// The codec must produce exactly what the framework's own State.Set and
// State.Get produce, or plans would differ from what Terraform expects.
func TestModelCodec_matchesFramework(t *testing.T) {
	ctx := context.Background()
	for name, m := range codecCases(t) {
		t.Run(name, func(t *testing.T) {
			fw := databaseSchema(t)
			if d := fw.Set(ctx, &m); d.HasError() {
				if name == "zero" {
					// The framework rejects a zero timeouts value; the codec
					// writes it as null, checked below.
					return
				}
				t.Fatal(d)
			}
			ours := databaseSchema(t)
			if d := databaseCodec().Set(ctx, &ours, m); d.HasError() {
				t.Fatal(d)
			}
			if !fw.Raw.Equal(ours.Raw) {
				t.Fatalf("encoded values differ:\nframework: %s\ncodec:     %s", fw.Raw, ours.Raw)
			}

			var want, got databaseResourceModel
			if d := fw.Get(ctx, &want); d.HasError() {
				t.Fatal(d)
			}
			if d := databaseCodec().Get(ctx, fw.Raw, &got); d.HasError() {
				t.Fatal(d)
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("decoded models differ:\nframework: %+v\ncodec:     %+v", want, got)
			}
		})
	}
}

func TestModelCodec_zeroTimeoutsWriteNull(t *testing.T) {
	ctx := context.Background()
	st := databaseSchema(t)
	if d := databaseCodec().Set(ctx, &st, databaseResourceModel{}); d.HasError() {
		t.Fatal(d)
	}
	var got databaseResourceModel
	if d := st.Get(ctx, &got); d.HasError() {
		t.Fatal(d)
	}
	if !got.Timeouts.IsNull() || !got.ID.IsNull() || got.PgDumpOptions != nil {
		t.Fatalf("a zero model must write nulls, got %+v", got)
	}
}

func TestModelCodec_rejectsMismatchedStruct(t *testing.T) {
	ctx := context.Background()
	type partial struct {
		ID types.String `tfsdk:"id"`
	}
	st := databaseSchema(t)
	if d := databaseCodec().Set(ctx, &st, partial{ID: types.StringValue("x")}); !d.HasError() {
		t.Error("Set of a struct missing attributes must fail")
	}
	full := databaseSchema(t)
	if d := databaseCodec().Set(ctx, &full, databaseResourceModel{}); d.HasError() {
		t.Fatal(d)
	}
	var p partial
	if d := databaseCodec().Get(ctx, full.Raw, &p); !d.HasError() {
		t.Error("Get into a struct missing attributes must fail")
	}

	// As the framework: an unknown block has no struct to go into.
	var vals map[string]tftypes.Value
	if err := full.Raw.As(&vals); err != nil {
		t.Fatal(err)
	}
	vals["pg_dump_options"] = tftypes.NewValue(vals["pg_dump_options"].Type(), tftypes.UnknownValue)
	var m databaseResourceModel
	if d := databaseCodec().Get(ctx, tftypes.NewValue(full.Raw.Type(), vals), &m); !d.HasError() {
		t.Error("Get of an unknown block must fail")
	}
}

func BenchmarkModelCodec(b *testing.B) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	(&databaseResource{}).Schema(ctx, resource.SchemaRequest{}, &resp)
	m := databaseFromAPI(benchDatabase(), databaseResourceModel{})
	b.Run("framework", func(b *testing.B) {
		for b.Loop() {
			st := tfsdk.State{Schema: resp.Schema}
			_ = st.Set(ctx, &m)
			var got databaseResourceModel
			_ = st.Get(ctx, &got)
		}
	})
	b.Run("codec", func(b *testing.B) {
		for b.Loop() {
			st := tfsdk.State{Schema: resp.Schema}
			_ = databaseCodec().Set(ctx, &st, m)
			var got databaseResourceModel
			_ = databaseCodec().Get(ctx, st.Raw, &got)
		}
	})
}
