package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
)

// jsonObject is a decoded JSON object that remembers its key order: the
// READONLY_FIELD answer names the first offending key in body order.
type jsonObject struct {
	keys []string
	vals map[string]any
}

var errTrailingData = errors.New("trailing data after JSON value")

// decodeBody parses a request body. present is false for an empty body
// (the server sees `undefined`). Numbers stay json.Number so integers and
// fractions can be told apart; the top-level object keeps its key order.
func decodeBody(raw []byte) (value any, present bool, err error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		if _, err := dec.Token(); err != nil {
			return nil, false, err
		}
		value, err = decodeObject(dec)
	} else {
		err = dec.Decode(&value)
	}
	if err != nil {
		return nil, false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, errTrailingData
	}
	return value, true, nil
}

func decodeObject(dec *json.Decoder) (*jsonObject, error) {
	obj := &jsonObject{vals: map[string]any{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if _, dup := obj.vals[key]; !dup {
			obj.keys = append(obj.keys, key)
		}
		obj.vals[key] = v
	}
	if _, err := dec.Token(); err != nil { // closing brace
		return nil, err
	}
	return obj, nil
}

// objectFromMap turns a Go map (the out-of-band helpers' input) into a
// jsonObject with sorted keys, normalising values through JSON.
func objectFromMap(fields map[string]any) (*jsonObject, error) {
	if fields == nil {
		fields = map[string]any{}
	}
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	v, _, err := decodeBody(raw)
	if err != nil {
		return nil, err
	}
	return v.(*jsonObject), nil
}

// jsType names a decoded JSON value the way zod's "received ..." does.
func jsType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		if f, err := x.Float64(); err != nil && math.IsInf(f, 0) {
			return "Infinity"
		}
		return "number"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// jsLength is a JavaScript string length (UTF-16 code units), which is
// what zod's min/max character checks count.
func jsLength(s string) int {
	return len(utf16.Encode([]rune(s)))
}

// parseIntJS mimics JavaScript's parseInt(s, 10): leading whitespace and a
// sign are accepted and parsing stops at the first non-digit ("10abc" is
// 10, "1.5" is 1). ok is false where parseInt gives NaN, or for values no
// database driver would take.
func parseIntJS(s string) (n int64, ok bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(s[:end], 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// marshal renders JSON the way JSON.stringify does (no HTML escaping).
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only our own view types are marshalled
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// jsTime renders a timestamp like JavaScript's Date.toISOString.
func jsTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func jsTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := jsTime(*t)
	return &s
}
