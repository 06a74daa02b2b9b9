package simdiff

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
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

// numbering masks one side's transcript. An id becomes <idN>, N counting
// the side's ids in order of first appearance, so that a reference (a
// backup's databaseId, a path's id) is compared as what it points at: the
// same object on both sides gets the same number as long as the two
// transcripts agree, and a reference to the wrong object shows up. Where an
// accepted row lets the two sides differ (the platform's other
// environments, say), an id not seen before stays <id> and takes no number,
// or the numbers of everything after it would shift on one side only.
type numbering struct {
	ids map[string]int
}

func newNumbering() *numbering { return &numbering{ids: map[string]int{}} }

// skip says whether a path of the exchange is one where the sides may
// differ; "" is the request line.
type skip func(path string) bool

func (n *numbering) id(raw string, free bool) string {
	prefix, bare := "", raw
	if strings.HasPrefix(raw, "sa:") {
		prefix, bare = "sa:", raw[3:]
	}
	k, ok := n.ids[bare]
	if !ok {
		if free {
			return prefix + "<id>"
		}
		k = len(n.ids) + 1
		n.ids[bare] = k
	}
	return prefix + "<id" + strconv.Itoa(k) + ">"
}

// request masks the ids among a request line's path segments.
func (n *numbering) request(line string) string {
	parts := strings.Split(line, "/")
	for i, p := range parts {
		seg, rest, _ := strings.Cut(p, "?")
		last, tail, _ := strings.Cut(seg, " ")
		if idPattern.MatchString(last) {
			parts[i] = n.id(last, false) + joinNonEmpty(" ", tail) + joinNonEmpty("?", rest)
		}
	}
	return strings.Join(parts, "/")
}

func joinNonEmpty(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}

// mask returns v with ids numbered and times, request ids and latencies
// replaced; maps are walked in key order, so the numbers do not depend on
// Go's map order.
func (n *numbering) mask(v any, at string, free skip) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(x))
		for _, k := range keys {
			e := x[k]
			if m, ok := maskedKeys[k]; ok && e != nil {
				out[k] = m
				continue
			}
			out[k] = n.mask(e, join(at, k), free)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = n.mask(e, join(at, strconv.Itoa(i)), free)
		}
		return out
	case string:
		switch {
		case idPattern.MatchString(x):
			return n.id(x, free != nil && free(at))
		case timePattern.MatchString(x):
			return "<time>"
		}
		return fileTimePattern.ReplaceAllString(x, "<time>")
	}
	return v
}

func join(at, k string) string {
	if at == "" {
		return k
	}
	return at + "." + k
}
