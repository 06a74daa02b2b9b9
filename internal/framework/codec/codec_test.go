package codec

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A tiny model with what the codec must handle: an embedded common part,
// a nested block as a pointer, and fields the codec must leave alone.
type common struct {
	ID types.String `tfsdk:"id"`
}

type inner struct {
	Flag types.Bool  `tfsdk:"flag"`
	N    types.Int64 `tfsdk:"n"`
}

type model struct {
	common
	Name   types.String `tfsdk:"name"`
	Inner  *inner       `tfsdk:"inner"`
	Cached string       `tfsdk:"-"`
	Note   string       // untagged: not an attribute either
}

var (
	innerType = types.ObjectType{AttrTypes: map[string]attr.Type{"flag": types.BoolType, "n": types.Int64Type}}
	modelType = types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "name": types.StringType, "inner": innerType}}
)

func raw(id, name, inner tftypes.Value) tftypes.Value {
	ctx := context.Background()
	return tftypes.NewValue(modelType.TerraformType(ctx), map[string]tftypes.Value{"id": id, "name": name, "inner": inner})
}

func rawInner(flag, n tftypes.Value) tftypes.Value {
	return tftypes.NewValue(innerType.TerraformType(context.Background()), map[string]tftypes.Value{"flag": flag, "n": n})
}

var (
	str        = func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	nullStr    = tftypes.NewValue(tftypes.String, nil)
	unknownStr = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	nullInner  = tftypes.NewValue(innerType.TerraformType(context.Background()), nil)
)

// Each model encodes to its raw value and decodes back to itself.
func TestCodecRoundTrip(t *testing.T) {
	cases := map[string]struct {
		model model
		raw   tftypes.Value
	}{
		"known, nested present": {
			model{common: common{ID: types.StringValue("i")}, Name: types.StringValue("n"),
				Inner: &inner{Flag: types.BoolValue(true), N: types.Int64Value(7)}},
			raw(str("i"), str("n"), rawInner(tftypes.NewValue(tftypes.Bool, true), tftypes.NewValue(tftypes.Number, 7))),
		},
		"null values, nested absent": {
			model{common: common{ID: types.StringNull()}, Name: types.StringNull()},
			raw(nullStr, nullStr, nullInner),
		},
		"unknown values, inside the nested block too": {
			model{common: common{ID: types.StringUnknown()}, Name: types.StringValue(""),
				Inner: &inner{Flag: types.BoolUnknown(), N: types.Int64Null()}},
			raw(unknownStr, str(""), rawInner(tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue), tftypes.NewValue(tftypes.Number, nil))),
		},
	}
	c := New(modelType)
	ctx := context.Background()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := c.value(ctx, tc.model)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tc.raw) {
				t.Fatalf("encoded\n got  %s\n want %s", got, tc.raw)
			}
			back := model{Cached: "kept", Note: "kept"}
			if err := c.get(ctx, tc.raw, &back); err != nil {
				t.Fatal(err)
			}
			want := tc.model
			want.Cached, want.Note = "kept", "kept" // the caller's fields, never written
			if !reflect.DeepEqual(back, want) {
				t.Fatalf("decoded\n got  %+v\n want %+v", back, want)
			}
		})
	}
}

// A model that does not match its object type, or a value that cannot go
// into it, is an error naming the field, never a panic or a partial value.
func TestCodecErrors(t *testing.T) {
	ctx := context.Background()
	type extra struct {
		model
		Extra types.String `tfsdk:"extra"`
	}
	type missing struct {
		ID   types.String `tfsdk:"id"`
		Name types.String `tfsdk:"name"`
	}
	type unsupported struct {
		ID    types.String `tfsdk:"id"`
		Name  string       `tfsdk:"name"`
		Inner *inner       `tfsdk:"inner"`
	}
	type wrongType struct {
		ID    types.Bool   `tfsdk:"id"`
		Name  types.String `tfsdk:"name"`
		Inner *inner       `tfsdk:"inner"`
	}
	unknownInner := raw(str("i"), str("n"), tftypes.NewValue(innerType.TerraformType(ctx), tftypes.UnknownValue))
	known := raw(str("i"), str("n"), nullInner)
	c := New(modelType)
	cases := map[string]struct {
		encode func() error
		want   string
	}{
		"decode: a field the type lacks":       {func() error { return c.get(ctx, known, &extra{}) }, "has 4 tagged fields, its object type 3"},
		"encode: a field the type lacks":       {func() error { _, err := c.value(ctx, extra{}); return err }, `no attribute "extra"`},
		"decode: an attribute without a field": {func() error { return c.get(ctx, known, &missing{}) }, "has 2 tagged fields, its object type 3"},
		"encode: an attribute without a field": {func() error { _, err := c.value(ctx, missing{}); return err }, "has no field for inner"},
		"a field of a plain Go type":           {func() error { _, err := c.value(ctx, unsupported{}); return err }, "Name: unsupported field type string"},
		"a field of another attribute type":    {func() error { return c.get(ctx, known, &wrongType{}) }, "id: cannot assign basetypes.StringValue to basetypes.BoolValue"},
		"an unknown nested block":              {func() error { return c.get(ctx, unknownInner, &model{}) }, "inner: unknown value cannot be decoded"},
		"a target that is not a pointer":       {func() error { return c.get(ctx, known, model{}) }, "target must be a pointer to a struct"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.encode()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
