package simdiff

import (
	"fmt"
	"strings"
)

// segment is one dot-separated part of a row's path pattern. A literal
// matches itself, "*" one key or index, "**" any run of them, "{a,b}" one
// of the names listed; a condition ("[status=completed]") narrows the
// segment to where the object it reaches holds that value on both sides,
// so a row can say which kind of object it is about.
type segment struct {
	names     []string // one literal, or the alternatives of {a,b}; nil for * and **
	anyRun    bool     // **
	condKey   string
	condValue string
}

func parsePattern(p string) ([]segment, error) {
	var out []segment
	for _, raw := range strings.Split(p, ".") {
		var seg segment
		if i := strings.IndexByte(raw, '['); i >= 0 {
			cond := raw[i:]
			raw = raw[:i]
			k, v, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(cond, "["), "]"), "=")
			if !ok || !strings.HasSuffix(cond, "]") || k == "" {
				return nil, fmt.Errorf("path %q: a condition reads [key=value]", p)
			}
			seg.condKey, seg.condValue = k, v
		}
		switch {
		case raw == "**":
			seg.anyRun = true
		case raw == "*":
		case strings.HasPrefix(raw, "{") && strings.HasSuffix(raw, "}"):
			seg.names = strings.Split(raw[1:len(raw)-1], ",")
		case raw == "" || strings.ContainsAny(raw, "{}*"):
			return nil, fmt.Errorf("path %q: segment %q is neither a name, *, ** nor {a,b}", p, raw)
		default:
			seg.names = []string{raw}
		}
		out = append(out, seg)
	}
	return out, nil
}

func (g segment) matchesName(s string) bool {
	if g.names == nil {
		return true
	}
	for _, n := range g.names {
		if n == s {
			return true
		}
	}
	return false
}

// values gives the two sides' values at a leading part of the path; nil
// when a pattern's conditions need not be checked (id numbering).
type values func(depth int) (platform, simulator any)

// holds reports whether the segment's condition is met at depth.
func (g segment) holds(at values, depth int) bool {
	if g.condKey == "" || at == nil {
		return true
	}
	p, s := at(depth)
	return fieldIs(p, g.condKey, g.condValue) && fieldIs(s, g.condKey, g.condValue)
}

func fieldIs(v any, key, want string) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	got, ok := m[key]
	return ok && fmt.Sprint(got) == want
}

// prefixMatch reports whether the pattern matches a leading part of segs
// (whose first done segments are already matched).
func prefixMatch(pattern []segment, segs []string, done int, at values) bool {
	if len(pattern) == 0 {
		return true
	}
	g := pattern[0]
	if g.anyRun {
		for i := done; i <= len(segs); i++ {
			if g.holds(at, i) && prefixMatch(pattern[1:], segs, i, at) {
				return true
			}
		}
		return false
	}
	if done >= len(segs) || !g.matchesName(segs[done]) || !g.holds(at, done+1) {
		return false
	}
	return prefixMatch(pattern[1:], segs, done+1, at)
}
