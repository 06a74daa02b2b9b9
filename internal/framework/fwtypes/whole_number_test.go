package fwtypes

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestWholeNumberType(t *testing.T) {
	ctx := context.Background()
	typ := WholeNumberType{}
	cases := map[string]struct {
		in        tftypes.Value
		want      WholeNumber
		wantError string // empty: validation passes
	}{
		"integer":  {tftypes.NewValue(tftypes.Number, big.NewFloat(5432)), WholeNumberValue(5432), ""},
		"null":     {tftypes.NewValue(tftypes.Number, nil), WholeNumberNull(), ""},
		"unknown":  {tftypes.NewValue(tftypes.Number, tftypes.UnknownValue), WholeNumber{Int64Value: WholeNumberNull().Int64Value}, ""},
		"fraction": {tftypes.NewValue(tftypes.Number, big.NewFloat(5.5)), WholeNumber{}, "port must be a whole number, got 5.5."},
		"negative fraction": {tftypes.NewValue(tftypes.Number, big.NewFloat(-0.25)), WholeNumber{},
			"port must be a whole number, got -0.25."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := typ.ValueFromTerraform(ctx, tc.in)
			if err != nil {
				t.Fatalf("ValueFromTerraform: %v", err)
			}
			v, ok := got.(WholeNumber)
			if !ok {
				t.Fatalf("got %T, want WholeNumber", got)
			}
			var resp xattr.ValidateAttributeResponse
			v.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root("port")}, &resp)
			if tc.wantError == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %v", resp.Diagnostics)
				}
				if name == "unknown" {
					if !v.IsUnknown() {
						t.Fatalf("want unknown, got %s", v)
					}
					return
				}
				if !v.Equal(tc.want) {
					t.Fatalf("got %s, want %s", v, tc.want)
				}
				return
			}
			if !v.IsUnknown() {
				t.Errorf("a fraction must not pass as a value, got %s", v)
			}
			if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Detail() != tc.wantError {
				t.Fatalf("want error %q, got %v", tc.wantError, resp.Diagnostics)
			}
		})
	}
}

// Converting back and forth keeps the value, so state written with this
// type reads back equal (no perpetual diff).
func TestWholeNumberRoundTrip(t *testing.T) {
	ctx := context.Background()
	v := WholeNumberValue(300000)
	tv, err := v.ToTerraformValue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	back, err := WholeNumberType{}.ValueFromTerraform(ctx, tv)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(v) || !v.Type(ctx).Equal(back.Type(ctx)) {
		t.Fatalf("round trip: got %s, want %s", back, v)
	}
	i, _ := WholeNumberType{}.ValueFromInt64(ctx, v.Int64Value)
	if !i.Equal(v) {
		t.Fatalf("ValueFromInt64: got %s, want %s", i, v)
	}
}
