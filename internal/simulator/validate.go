package simulator

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// kind is the JSON type a body field must have.
type kind int

const (
	kindString kind = iota
	kindNumber
	kindBool
	kindEnum
	kindPgDump
)

// rule is one field of a zod-like object schema. Issues come out in rule
// order (zod walks the schema, not the body), and unknown keys are dropped
// silently because the real schemas are not `.strict()`.
type rule struct {
	name     string
	kind     kind
	required bool // only when validating a full (create) body
	minLen   int  // strings: zod .min(n) in characters
	maxLen   int  // strings: 0 = none
	min, max *float64
	values   []string // enums
}

func num(f float64) *float64 { return &f }

// lo and hi are an api.Range's bounds as a rule's min and max.
func lo(r api.Range) *float64 { return num(float64(r.Min)) }
func hi(r api.Range) *float64 { return num(float64(r.Max)) }

// values is a validated body: only fields that were sent, already typed
// (string, float64, bool or *PgDumpOptions).
type values map[string]any

func (v values) str(name string) (string, bool) {
	s, ok := v[name].(string)
	return s, ok
}

func (v values) number(name string) (float64, bool) {
	f, ok := v[name].(float64)
	return f, ok
}

func (v values) boolean(name string) (bool, bool) {
	b, ok := v[name].(bool)
	return b, ok
}

// validate checks body against rules; partial makes every field optional
// (zod's .partial(), used by PATCH). It returns the issues for a 400, or
// the typed values.
func validate(body any, present bool, rules []rule, partial bool) (values, []Issue) {
	obj, notObject := asObject(body, present)
	if notObject != nil {
		return nil, notObject
	}
	out := values{}
	var issues []Issue
	for _, r := range rules {
		raw, sent := obj.vals[r.name]
		if !sent {
			if r.required && !partial {
				issues = append(issues, typeIssue([]string{r.name}, expectedName(r.kind), "undefined"))
			}
			continue
		}
		v, errs := r.check(raw)
		if len(errs) > 0 {
			issues = append(issues, errs...)
			continue
		}
		out[r.name] = v
	}
	return out, issues
}

func expectedName(k kind) string {
	switch k {
	case kindNumber:
		return "number"
	case kindBool:
		return "boolean"
	case kindPgDump:
		return "object"
	default:
		return "string"
	}
}

func (r rule) check(raw any) (any, []Issue) {
	path := []string{r.name}
	switch r.kind {
	case kindString:
		return checkString(raw, path, r.minLen, r.maxLen)
	case kindNumber:
		return checkNumber(raw, path, r.min, r.max)
	case kindBool:
		return checkBool(raw, path)
	case kindEnum:
		return checkEnum(raw, path, r.values)
	default:
		return checkPgDump(raw, path)
	}
}

func checkString(raw any, path []string, minLen, maxLen int) (any, []Issue) {
	s, ok := raw.(string)
	if !ok {
		return nil, []Issue{typeIssue(path, "string", jsType(raw))}
	}
	n := jsLength(s)
	if n < minLen {
		return nil, []Issue{sizeIssue(path, "string", "too_small", float64(minLen))}
	}
	if maxLen > 0 && n > maxLen {
		return nil, []Issue{sizeIssue(path, "string", "too_big", float64(maxLen))}
	}
	return s, nil
}

func checkNumber(raw any, path []string, lo, hi *float64) (any, []Issue) {
	n, ok := raw.(json.Number)
	if !ok {
		return nil, []Issue{typeIssue(path, "number", jsType(raw))}
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) {
		return nil, []Issue{typeIssue(path, "number", "Infinity")}
	}
	if lo != nil && f < *lo {
		return nil, []Issue{sizeIssue(path, "number", "too_small", *lo)}
	}
	if hi != nil && f > *hi {
		return nil, []Issue{sizeIssue(path, "number", "too_big", *hi)}
	}
	return f, nil
}

func checkBool(raw any, path []string) (any, []Issue) {
	b, ok := raw.(bool)
	if !ok {
		return nil, []Issue{typeIssue(path, "boolean", jsType(raw))}
	}
	return b, nil
}

// checkEnum: zod v4 answers invalid_value for any non-member, whatever its
// JSON type.
func checkEnum(raw any, path []string, allowed []string) (any, []Issue) {
	s, ok := raw.(string)
	if ok {
		for _, a := range allowed {
			if s == a {
				return s, nil
			}
		}
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(a)
	}
	return nil, []Issue{{
		Code:    "invalid_value",
		Values:  allowed,
		Path:    path,
		Message: "Invalid option: expected one of " + strings.Join(quoted, "|"),
	}}
}

// checkPgDump: an object of five optional booleans, not nullable; unknown
// keys are stripped like zod does.
func checkPgDump(raw any, path []string) (any, []Issue) {
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, []Issue{typeIssue(path, "object", jsType(raw))}
	}
	opts := &PgDumpOptions{}
	var issues []Issue
	for _, f := range opts.fields() {
		v, sent := m[f.key]
		if !sent {
			continue
		}
		b, ok := v.(bool)
		if !ok {
			issues = append(issues, typeIssue(append(append([]string{}, path...), f.key), "boolean", jsType(v)))
			continue
		}
		*f.ptr = &b
	}
	if len(issues) > 0 {
		return nil, issues
	}
	return opts, nil
}

// asObject is the body as an object, or zod's one issue for a body that
// is none (absent: "received undefined").
func asObject(body any, present bool) (*jsonObject, []Issue) {
	if obj, ok := body.(*jsonObject); ok {
		return obj, nil
	}
	received := "undefined"
	if present {
		received = jsType(body)
	}
	return nil, []Issue{typeIssue(nil, "object", received)}
}

func typeIssue(path []string, expected, received string) Issue {
	if path == nil {
		path = []string{}
	}
	return Issue{
		Expected: expected,
		Code:     "invalid_type",
		Path:     path,
		Message:  fmt.Sprintf("Invalid input: expected %s, received %s", expected, received),
	}
}

// sizeIssue builds zod's too_small / too_big issue for numbers and strings.
func sizeIssue(path []string, origin, code string, bound float64) Issue {
	inclusive := true
	is := Issue{Origin: origin, Code: code, Inclusive: &inclusive, Path: path}
	b := strconv.FormatFloat(bound, 'f', -1, 64)
	word, op := "small", ">="
	if code == "too_big" {
		word, op = "big", "<="
		is.Maximum = num(bound)
	} else {
		is.Minimum = num(bound)
	}
	if origin == "string" {
		is.Message = fmt.Sprintf("Too %s: expected string to have %s%s characters", word, op, b)
	} else {
		is.Message = fmt.Sprintf("Too %s: expected number to be %s%s", word, op, b)
	}
	return is
}
