package simdiff

import (
	"fmt"
	"slices"
	"strings"
)

// The JSON types a row's type clause names; "absent" is a key one side
// does not send.
var jsonTypes = []string{"null", "boolean", "number", "string", "array", "object", "absent"}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, int:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case absent:
		return "absent"
	}
	return fmt.Sprintf("%T", v)
}

// typeClause is a row's "(platform T, simulator U)": the types each side's
// value may have where the row accepts a difference. Without one a row
// accepts only differences of value, both sides sending the same type.
type typeClause struct {
	platform, simulator []string
}

func (c *typeClause) allows(p, s any) bool {
	if c == nil {
		return jsonType(p) == jsonType(s)
	}
	return slices.Contains(c.platform, jsonType(p)) && slices.Contains(c.simulator, jsonType(s))
}

func (c *typeClause) String() string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf(" (platform %s, simulator %s)", strings.Join(c.platform, " or "), strings.Join(c.simulator, " or "))
}

// parseTypeClause reads "(platform null, simulator string or null)".
func parseTypeClause(s string) (*typeClause, error) {
	if s == "" {
		return nil, nil
	}
	inner, ok := strings.CutPrefix(s, "(")
	inner, ok2 := strings.CutSuffix(inner, ")")
	parts := strings.Split(inner, ",")
	if !ok || !ok2 || len(parts) != 2 {
		return nil, fmt.Errorf("type clause %q: want (platform T, simulator T)", s)
	}
	c := &typeClause{}
	for i, side := range []string{"platform", "simulator"} {
		rest, found := strings.CutPrefix(strings.TrimSpace(parts[i]), side+" ")
		if !found {
			return nil, fmt.Errorf("type clause %q: part %d must start with %q", s, i+1, side)
		}
		types := strings.Split(rest, " or ")
		for j, t := range types {
			types[j] = strings.TrimSpace(t)
			if !slices.Contains(jsonTypes, types[j]) {
				return nil, fmt.Errorf("type clause %q: %q is not one of %s", s, types[j], strings.Join(jsonTypes, ", "))
			}
		}
		if side == "platform" {
			c.platform = types
		} else {
			c.simulator = types
		}
	}
	return c, nil
}
