package simdiff

import (
	"regexp"
)

// What differs between any two servers and says nothing about behaviour:
// ids (cuid-shaped on both, "sa:"-prefixed for service accounts), times
// (ISO, and the dashed form inside backup file names), request ids and
// measured latencies. Masking replaces them before the comparison.
var (
	idPattern       = regexp.MustCompile(`^(sa:)?[a-z][a-z0-9]{24}$`)
	timePattern     = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	fileTimePattern = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z`)
	maskedKeys      = map[string]string{"requestId": "<requestId>", "latencyMs": "<latency>"}
)

// mask returns v with ids, times, request ids and latencies replaced.
func mask(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if m, ok := maskedKeys[k]; ok && e != nil {
				out[k] = m
				continue
			}
			out[k] = mask(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = mask(e)
		}
		return out
	case string:
		switch {
		case idPattern.MatchString(x):
			return "<id>"
		case timePattern.MatchString(x):
			return "<time>"
		}
		return fileTimePattern.ReplaceAllString(x, "<time>")
	}
	return v
}
