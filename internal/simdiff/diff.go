package simdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Difference is one place where the two answers to a step differ.
type Difference struct {
	Step, Request       string
	Path                string
	Platform, Simulator any
	Accepted            *Accepted
}

// Compare pairs the two transcripts step by step and lists every
// difference in the masked answers, each marked with the accepted row
// that covers it, if any.
func Compare(platform, simulator []Exchange, accepted []*Accepted) []Difference {
	var out []Difference
	pn, sn := newNumbering(), newNumbering()
	n := max(len(platform), len(simulator))
	for i := 0; i < n; i++ {
		var p, s Exchange
		if i < len(platform) {
			p = platform[i]
		}
		if i < len(simulator) {
			s = simulator[i]
		}
		step := p.Step
		if step == "" {
			step = s.Step
		}
		if p.Step != s.Step {
			out = append(out, Difference{Step: step, Request: p.Request, Path: "step", Platform: p.Step, Simulator: s.Step})
			break // the transcripts no longer line up
		}
		free := func(at string) bool {
			for _, a := range accepted {
				if a.region(step, at, nil) {
					return true
				}
			}
			return false
		}
		pv, sv := view(p, pn, free), view(s, sn, free)
		var ds []Difference
		walk(&ds, "", pv, sv)
		for _, d := range ds {
			d.Step, d.Request = step, p.Request
			at := valuesAt(pv, sv, d.Path)
			for _, a := range accepted {
				if a.covers(step, d, at) {
					d.Accepted, a.used = a, true
					break
				}
			}
			out = append(out, d)
		}
	}
	return out
}

// view is what is compared of an exchange, masked in the order the
// exchange happened: the request line, then the answer.
func view(e Exchange, n *numbering, free skip) map[string]any {
	v := map[string]any{"request": n.request(e.Request), "status": float64(e.Status)}
	v["body"] = n.mask(e.Body, "body", free)
	if e.Headers != nil {
		v["headers"] = e.Headers
	}
	if e.Err != "" {
		v["error"] = e.Err
	}
	return v
}

// valuesAt looks up the two views along a difference's path.
func valuesAt(pv, sv any, diffPath string) values {
	segs := strings.Split(diffPath, ".")
	return func(depth int) (any, any) {
		return lookup(pv, segs[:depth]), lookup(sv, segs[:depth])
	}
}

func lookup(v any, segs []string) any {
	for _, k := range segs {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func walk(out *[]Difference, at string, p, s any) {
	join := func(k string) string {
		if at == "" {
			return k
		}
		return at + "." + k
	}
	pm, pIsMap := p.(map[string]any)
	sm, sIsMap := s.(map[string]any)
	if pIsMap && sIsMap {
		keys := map[string]bool{}
		for k := range pm {
			keys[k] = true
		}
		for k := range sm {
			keys[k] = true
		}
		for _, k := range sorted(keys) {
			pv, pok := pm[k]
			sv, sok := sm[k]
			switch {
			case !pok:
				*out = append(*out, Difference{Path: join(k), Platform: absent{}, Simulator: sv})
			case !sok:
				*out = append(*out, Difference{Path: join(k), Platform: pv, Simulator: absent{}})
			default:
				walk(out, join(k), pv, sv)
			}
		}
		return
	}
	pl, pIsList := p.([]any)
	sl, sIsList := s.([]any)
	if pIsList && sIsList && len(pl) == len(sl) {
		for i := range pl {
			walk(out, join(strconv.Itoa(i)), pl[i], sl[i])
		}
		return
	}
	if !reflect.DeepEqual(p, s) {
		*out = append(*out, Difference{Path: at, Platform: p, Simulator: s})
	}
}

// absent marks a key one side does not send.
type absent struct{}

func (absent) String() string { return "(absent)" }

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Report prints the differences, unaccepted ones first and in full, then
// the stale rows, and returns how many of both there were: each fails the
// run.
func Report(w io.Writer, diffs []Difference, stale []*Accepted, verbose bool) int {
	bad := 0
	for _, d := range diffs {
		if d.Accepted != nil {
			continue
		}
		bad++
		fmt.Fprintf(w, "DIFFERENT  %s  (%s)\n    at %s\n    platform:  %s\n    simulator: %s\n",
			d.Step, d.Request, orRoot(d.Path), showTyped(d.Platform, d.Simulator), showTyped(d.Simulator, d.Platform))
	}
	if verbose {
		for _, d := range diffs {
			if d.Accepted != nil {
				fmt.Fprintf(w, "accepted   %s at %s: %s\n", d.Step, orRoot(d.Path), d.Accepted.Reason)
			}
		}
	}
	for _, a := range stale {
		fmt.Fprintf(w, "STALE      accepted difference %s did not occur in this run: if the simulator now "+
			"answers as the platform, delete the row from CONTRACT.md\n", a)
	}
	return bad + len(stale)
}

func orRoot(p string) string {
	if p == "" {
		return "(the whole answer)"
	}
	return p
}

// showTyped is show, naming v's JSON type when other's differs: a row
// that accepts the values to differ still wants the types alike.
func showTyped(v, other any) string {
	if t := jsonType(v); t != jsonType(other) && t != "absent" {
		return show(v) + "  (" + t + ")"
	}
	return show(v)
}

func show(v any) string {
	if a, ok := v.(absent); ok {
		return a.String()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the masks' <id3> read better as they are
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}
