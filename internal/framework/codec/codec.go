// Package codec converts between tfsdk-tagged model structs and raw
// Terraform values without the framework's per-call reflection.
package codec

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Codec converts between a tfsdk-tagged model struct and the raw
// value of its object type, doing what the framework's Plan.Get and
// State.Set do for the types our models use: attr.Value fields and
// pointers to nested model structs (single nested blocks, nil when null).
//
// The framework works the struct out by reflection on every call,
// compiling a regular expression per field to check its tag; for a
// 28-attribute model that was the largest share of the provider's own CPU
// time in a 500-database plan. Here the field layout is worked out once
// per model type. The result goes back through Set with a tftypes.Value,
// which still checks it against the schema's type.
type Codec struct {
	typ attr.TypeWithAttributeTypes
}

// New returns the codec of models of an object type, usually a schema's
// Type().
func New(typ attr.TypeWithAttributeTypes) Codec { return Codec{typ: typ} }

// Type is the object type the codec converts to and from.
func (c Codec) Type() attr.TypeWithAttributeTypes { return c.typ }

// structLayout is a model struct's tagged fields, in declaration order.
type structLayout struct {
	fields []layoutField
}

type layoutField struct {
	index  []int // through embedded structs, for FieldByIndex
	name   string
	nested reflect.Type // the struct type for a *struct field; nil otherwise
}

var layouts sync.Map // reflect.Type -> *structLayout

var attrValueType = reflect.TypeFor[attr.Value]()

func layoutOf(t reflect.Type) (*structLayout, error) {
	if l, ok := layouts.Load(t); ok {
		return l.(*structLayout), nil
	}
	l := &structLayout{}
	if err := l.add(t, nil); err != nil {
		return nil, err
	}
	layouts.Store(t, l)
	return l, nil
}

// add appends t's tagged fields; an untagged embedded struct contributes
// its own fields, as with the framework (models share their common part
// that way).
func (l *structLayout) add(t reflect.Type, prefix []int) error {
	for i := range t.NumField() {
		f := t.Field(i)
		index := append(slices.Clone(prefix), i)
		name := f.Tag.Get("tfsdk")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			if err := l.add(f.Type, index); err != nil {
				return err
			}
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		lf := layoutField{index: index, name: name}
		switch {
		case f.Type.Implements(attrValueType):
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
			lf.nested = f.Type.Elem()
		default:
			return fmt.Errorf("%s.%s: unsupported field type %s", t, f.Name, f.Type)
		}
		l.fields = append(l.fields, lf)
	}
	return nil
}

// get decodes raw into *target.
func (c Codec) get(ctx context.Context, raw tftypes.Value, target any) error {
	v := reflect.ValueOf(target)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("target must be a pointer to a struct, got %T", target)
	}
	return decodeStruct(ctx, raw, c.typ, v.Elem())
}

// value encodes model (a struct or a pointer to one).
func (c Codec) value(ctx context.Context, model any) (tftypes.Value, error) {
	v := reflect.Indirect(reflect.ValueOf(model))
	return encodeStruct(ctx, v, c.typ)
}

func decodeStruct(ctx context.Context, raw tftypes.Value, typ attr.TypeWithAttributeTypes, dst reflect.Value) error {
	l, err := layoutOf(dst.Type())
	if err != nil {
		return err
	}
	attrTypes := typ.AttributeTypes()
	if len(attrTypes) != len(l.fields) {
		return fmt.Errorf("%s has %d tagged fields, its object type %d attributes", dst.Type(), len(l.fields), len(attrTypes))
	}
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil {
		return err
	}
	for _, f := range l.fields {
		t, ok := attrTypes[f.name]
		if !ok {
			return fmt.Errorf("%s: the object type has no attribute %q", dst.Type(), f.name)
		}
		fv, val := dst.FieldByIndex(f.index), vals[f.name]
		if f.nested != nil {
			if err := decodeNested(ctx, val, t, f, fv); err != nil {
				return err
			}
			continue
		}
		av, err := t.ValueFromTerraform(ctx, val)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		rv := reflect.ValueOf(av)
		if !rv.Type().AssignableTo(fv.Type()) {
			return fmt.Errorf("%s: cannot assign %s to %s", f.name, rv.Type(), fv.Type())
		}
		fv.Set(rv)
	}
	return nil
}

func decodeNested(ctx context.Context, val tftypes.Value, t attr.Type, f layoutField, fv reflect.Value) error {
	if val.IsNull() {
		fv.SetZero()
		return nil
	}
	if !val.IsKnown() {
		// As the framework: an unknown object has no struct to go into.
		return fmt.Errorf("%s: unknown value cannot be decoded into %s", f.name, fv.Type())
	}
	objType, ok := t.(attr.TypeWithAttributeTypes)
	if !ok {
		return fmt.Errorf("%s: %T is not an object type", f.name, t)
	}
	p := reflect.New(f.nested)
	if err := decodeStruct(ctx, val, objType, p.Elem()); err != nil {
		return fmt.Errorf("%s.%w", f.name, err)
	}
	fv.Set(p)
	return nil
}

func encodeStruct(ctx context.Context, src reflect.Value, typ attr.TypeWithAttributeTypes) (tftypes.Value, error) {
	l, err := layoutOf(src.Type())
	if err != nil {
		return tftypes.Value{}, err
	}
	attrTypes := typ.AttributeTypes()
	vals := make(map[string]tftypes.Value, len(l.fields))
	for _, f := range l.fields {
		t, ok := attrTypes[f.name]
		if !ok {
			return tftypes.Value{}, fmt.Errorf("%s: the object type has no attribute %q", src.Type(), f.name)
		}
		fv := src.FieldByIndex(f.index)
		if f.nested != nil {
			objType, ok := t.(attr.TypeWithAttributeTypes)
			if !ok {
				return tftypes.Value{}, fmt.Errorf("%s: %T is not an object type", f.name, t)
			}
			if fv.IsNil() {
				vals[f.name] = tftypes.NewValue(t.TerraformType(ctx), nil)
				continue
			}
			if vals[f.name], err = encodeStruct(ctx, fv.Elem(), objType); err != nil {
				return tftypes.Value{}, fmt.Errorf("%s.%w", f.name, err)
			}
			continue
		}
		av := fv.Interface().(attr.Value)
		if av.IsNull() && !av.Type(ctx).Equal(t) {
			// A zero value of an object-based type (timeouts) carries no
			// attribute types; null is null whatever its type says.
			vals[f.name] = tftypes.NewValue(t.TerraformType(ctx), nil)
			continue
		}
		if vals[f.name], err = av.ToTerraformValue(ctx); err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if len(vals) != len(attrTypes) {
		var missing []string
		for name := range attrTypes {
			if _, ok := vals[name]; !ok {
				missing = append(missing, name)
			}
		}
		return tftypes.Value{}, fmt.Errorf("%s has no field for %s", src.Type(), strings.Join(missing, ", "))
	}
	return tftypes.NewValue(typ.TerraformType(ctx), vals), nil
}

// Get decodes raw (a request's Plan.Raw, State.Raw or Config.Raw) into
// *target, as req.Plan.Get would.
func (c Codec) Get(ctx context.Context, raw tftypes.Value, target any) diag.Diagnostics {
	if err := c.get(ctx, raw, target); err != nil {
		return conversionError(err)
	}
	return nil
}

// Set writes model into dst (a response's State or Plan), as dst.Set would.
func (c Codec) Set(ctx context.Context, dst interface {
	Set(context.Context, any) diag.Diagnostics
}, model any) diag.Diagnostics {
	v, err := c.value(ctx, model)
	if err != nil {
		return conversionError(err)
	}
	return dst.Set(ctx, v)
}

func conversionError(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError("Value Conversion Error",
		"An unexpected error was encountered converting between the model and its Terraform value. "+
			"This is always an error in the provider. Please report the following to the provider developer:\n\n"+err.Error())
	return diags
}
