// Package fwtypes holds the provider's custom Terraform value types.
package fwtypes

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// WholeNumberType is the type of every integer attribute a user sets
// (port, backup_compression_level, pg_dump_timeout_ms, password_wo_version,
// retention_days). Terraform's number type lets `port = 5432.5` through; the
// framework's own Int64 type then fails with "This is always an error in the
// provider". This type takes the fraction in, so validation can reject it
// with an error that names the attribute and blames the configuration.
type WholeNumberType struct {
	basetypes.Int64Type
}

var (
	_ basetypes.Int64Typable      = WholeNumberType{}
	_ basetypes.Int64Valuable     = WholeNumber{}
	_ xattr.ValidateableAttribute = WholeNumber{}
)

func (t WholeNumberType) Equal(o attr.Type) bool {
	_, ok := o.(WholeNumberType)
	return ok
}

func (t WholeNumberType) String() string { return "provider.WholeNumberType" }

func (t WholeNumberType) ValueType(context.Context) attr.Value { return WholeNumber{} }

func (t WholeNumberType) ValueFromInt64(_ context.Context, v basetypes.Int64Value) (basetypes.Int64Valuable, diag.Diagnostics) {
	return WholeNumber{Int64Value: v}, nil
}

func (t WholeNumberType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	if in.IsKnown() && !in.IsNull() {
		var f *big.Float
		if err := in.As(&f); err != nil {
			return nil, err
		}
		if !f.IsInt() {
			// Carried as unknown so nothing downstream mistakes it for a
			// value; ValidateAttribute reports it.
			return WholeNumber{Int64Value: types.Int64Unknown(), fraction: f.Text('g', -1)}, nil
		}
	}
	v, err := t.Int64Type.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	return WholeNumber{Int64Value: v.(basetypes.Int64Value)}, nil
}

// WholeNumber is an Int64 value that remembers a fractional configuration
// value until validation rejects it.
type WholeNumber struct {
	basetypes.Int64Value
	fraction string
}

func WholeNumberValue(v int64) WholeNumber { return WholeNumber{Int64Value: types.Int64Value(v)} }

func WholeNumberNull() WholeNumber { return WholeNumber{Int64Value: types.Int64Null()} }

func WholeNumberPointer(v *int64) WholeNumber {
	return WholeNumber{Int64Value: types.Int64PointerValue(v)}
}

func (v WholeNumber) Type(context.Context) attr.Type { return WholeNumberType{} }

func (v WholeNumber) Equal(o attr.Value) bool {
	other, ok := o.(WholeNumber)
	return ok && v.fraction == other.fraction && v.Int64Value.Equal(other.Int64Value)
}

func (v WholeNumber) ToInt64Value(context.Context) (basetypes.Int64Value, diag.Diagnostics) {
	return v.Int64Value, nil
}

func (v WholeNumber) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.fraction != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Not a whole number",
			fmt.Sprintf("%s must be a whole number, got %s.", req.Path, v.fraction))
	}
}
