package simulator

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// replayStep is one request of the recorded exchange. Its answer is the
// golden file testdata/replay/<golden>.json, {"status": N, "body": {...}},
// written from internal/api/CONTRACT.md: never regenerate it from the
// simulator's output, or the test proves nothing.
type replayStep struct {
	golden       string
	method, path string
	token        string
	body         string // raw JSON; "" sends none
	// capture names ids of the answer, placeholder -> dotted path, so
	// later paths, bodies and goldens can refer to them.
	capture map[string]string
	// opaque are top-level keys whose value the contract leaves to the
	// server (any non-empty string); the golden says "<opaque>".
	opaque []string
}

// knownDrifts are keys where the simulator still differs from the
// contract. They are left out of the comparison (and the reason logged);
// when a drift stops occurring the test fails, so that its entry is
// deleted and the key compared again.
var knownDrifts = map[string]string{}

const noSuchID = "cnosuchid0000000000000000"

// replaySteps walk a database through create, get, list with paging, the
// PATCH quirks and the schedule, with the errors each route is known for.
func replaySteps() []replayStep {
	envDBs := "/api/environments/<env>/databases"
	orders := "/api/databases/<db:orders-pg>"
	full := `{"name":"orders-pg","type":"postgres","host":"pg.example.test","port":5432,"databaseName":"orders",
		"username":"app","password":"s3cret","useSsl":true,"backupLocalPath":"/var/backups/orders",
		"backupFormat":"custom","backupCompression":"gzip","backupCompressionLevel":9,
		"pgDumpOptions":{"noOwner":true,"clean":true,"ifExists":true,"schemaOnly":false,"dataOnly":false},
		"pgDumpTimeoutMs":600000,"monitoringEnabled":false,"collectionIntervalSec":60,"bogus":1}`
	return []replayStep{
		{golden: "01-create", method: "POST", path: envDBs, token: operatorTok, body: full, capture: map[string]string{"<db:orders-pg>": "database.id"}},
		{golden: "02-create-defaults", method: "POST", path: envDBs, token: operatorTok, body: `{"name":"cache","type":"redis"}`, capture: map[string]string{"<db:cache>": "database.id"}},
		{golden: "03-create-unknown-type", method: "POST", path: envDBs, token: operatorTok,
			body: `{"name":"warehouse","type":"cockroach","port":5432.5,"backupStorageType":"spaces"}`, capture: map[string]string{"<db:warehouse>": "database.id"}},
		{golden: "04-create-duplicate", method: "POST", path: envDBs, token: operatorTok, body: `{"name":"orders-pg","type":"postgres"}`},
		{golden: "05-create-invalid", method: "POST", path: envDBs, token: operatorTok, body: `{"type":"postgres","backupFormat":"zip"}`},
		{golden: "06-create-unknown-environment", method: "POST", path: "/api/environments/" + noSuchID + "/databases", token: operatorTok, body: `{"name":"x","type":"postgres"}`},
		{golden: "07-create-malformed-json", method: "POST", path: envDBs, token: operatorTok, body: `{"name":`},
		{golden: "08-create-as-viewer", method: "POST", path: envDBs, token: viewerTok, body: `{"name":"v","type":"postgres"}`},
		{golden: "09-get", method: "GET", path: orders, token: viewerTok},
		{golden: "10-get-unknown", method: "GET", path: "/api/databases/" + noSuchID, token: viewerTok},
		{golden: "11-get-without-token", method: "GET", path: orders},
		{golden: "12-get-with-scoped-token", method: "GET", path: orders, token: scopedTok},
		{golden: "13-list-other-environment-with-scoped-token", method: "GET", path: "/api/environments/<other>/databases", token: scopedTok},
		{golden: "14-list", method: "GET", path: envDBs, token: viewerTok},
		{golden: "15-list-page", method: "GET", path: envDBs + "?limit=1&offset=1", token: viewerTok},
		{golden: "16-list-limit-zero", method: "GET", path: envDBs + "?limit=0", token: viewerTok},
		{golden: "17-list-negative-limit", method: "GET", path: envDBs + "?limit=-1", token: viewerTok},
		{golden: "18-list-non-numeric-limit", method: "GET", path: envDBs + "?limit=ten", token: viewerTok},
		{golden: "19-list-unknown-environment", method: "GET", path: "/api/environments/" + noSuchID + "/databases", token: viewerTok},
		{golden: "20-patch-null", method: "PATCH", path: orders, token: operatorTok, body: `{"host":null}`},
		{golden: "21-patch-pgdump-options-replaced-whole", method: "PATCH", path: orders, token: operatorTok, body: `{"pgDumpOptions":{"noOwner":false}}`},
		{golden: "22-patch-username-alone", method: "PATCH", path: orders, token: operatorTok, body: `{"username":"other"}`},
		{golden: "23-patch-empty-string", method: "PATCH", path: orders, token: operatorTok, body: `{"host":""}`},
		{golden: "24-patch-type-keeps-type-id", method: "PATCH", path: orders, token: operatorTok, body: `{"type":"mysql","databaseTypeId":"<type:mysql>"}`},
		{golden: "25-patch-monitoring-dropped", method: "PATCH", path: orders, token: operatorTok, body: `{"monitoringEnabled":false,"collectionIntervalSec":60}`},
		{golden: "26-patch-readonly", method: "PATCH", path: orders, token: operatorTok, body: `{"id":"x","monitoringStatus":"connected","host":"h"}`},
		{golden: "27-patch-rename-onto-taken-name", method: "PATCH", path: orders, token: operatorTok, body: `{"name":"cache"}`},
		{golden: "28-patch-unknown-id", method: "PATCH", path: "/api/databases/" + noSuchID, token: operatorTok, body: `{"host":"x"}`},
		{golden: "29-patch-clear-credentials", method: "PATCH", path: orders, token: operatorTok, body: `{"username":"","password":""}`},
		{golden: "30-schedule-none", method: "GET", path: orders + "/schedule", token: viewerTok},
		{golden: "31-schedule-put-defaults", method: "PUT", path: orders + "/schedule", token: operatorTok, body: `{"cronExpression":"0 2 * * *"}`,
			capture: map[string]string{"<schedule>": "schedule.id"}},
		{golden: "32-schedule-put-replaces", method: "PUT", path: orders + "/schedule", token: operatorTok, body: `{"cronExpression":"not a cron","retentionDays":30,"enabled":false}`},
		{golden: "33-schedule-get", method: "GET", path: orders + "/schedule", token: viewerTok},
		{golden: "34-list-with-schedule", method: "GET", path: envDBs + "?limit=1&offset=1", token: viewerTok},
		{golden: "35-schedule-invalid", method: "PUT", path: orders + "/schedule", token: operatorTok, body: `{"retentionDays":0}`},
		{golden: "36-schedule-unknown-database", method: "PUT", path: "/api/databases/" + noSuchID + "/schedule", token: operatorTok, body: `{"cronExpression":"x"}`},
		{golden: "37-schedule-delete", method: "DELETE", path: orders + "/schedule", token: operatorTok},
		{golden: "38-schedule-delete-again", method: "DELETE", path: orders + "/schedule", token: operatorTok},
		{golden: "39-schedule-gone", method: "GET", path: orders + "/schedule", token: viewerTok},
		{golden: "40-delete", method: "DELETE", path: "/api/databases/<db:cache>", token: operatorTok},
		{golden: "41-delete-again", method: "DELETE", path: "/api/databases/<db:cache>", token: operatorTok},
		{golden: "42-health", method: "GET", path: "/health", opaque: []string{"version"}},
		{golden: "43-unknown-route", method: "GET", path: "/api/nope", token: viewerTok},
		{golden: "44-unknown-method", method: "DELETE", path: envDBs, token: operatorTok},
	}
}

// TestContractReplay replays the exchange against a fresh simulator and
// compares each answer, ids, times and request ids normalised, with its
// golden file.
func TestContractReplay(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) { o.Now = clock.Now })
	ids := map[string]string{"<env>": h.env, "<other>": h.other}
	for _, ty := range api.Platform.Database.Types {
		if ids["<type:"+ty.Name+">"] = h.sim.DatabaseTypeID(ty.Name); ids["<type:"+ty.Name+">"] == "" {
			t.Fatalf("the simulator lacks the built-in type %s", ty.Name)
		}
	}
	driftSeen := map[string]bool{}
	used := map[string]bool{}
	for _, st := range replaySteps() {
		used[st.golden+".json"] = true
		var body any
		if st.body != "" {
			body = substitute(st.body, ids)
		}
		res := h.mustCall(st.method, substitute(st.path, ids), st.token, body)
		clock.Advance(time.Second)
		for name, path := range st.capture {
			if ids[name] = res.str(strings.Split(path, ".")...); ids[name] == "" {
				t.Fatalf("%s: no %s in %s", st.golden, path, res.raw)
			}
		}
		checkEnvelope(t, st.golden, res)
		want := readGolden(t, st.golden)
		got := map[string]any{"status": float64(res.status), "body": normalise(decodeAny(t, st.golden, res.raw), "", ids, st.opaque)}
		if matches(got, want) {
			continue
		}
		if matches(withoutDrifts(got, driftSeen), withoutDrifts(want, nil)) {
			t.Logf("%s: matches the contract except for known drifts", st.golden)
			continue
		}
		t.Errorf("%s %s: answer differs from the contract\n got: %s\nwant: %s", st.golden, st.path, pretty(got), pretty(want))
	}
	for key, why := range knownDrifts {
		if driftSeen[key] {
			t.Logf("known drift %s left out of the comparison: %s", key, why)
		} else {
			t.Errorf("known drift %s no longer occurs: delete it from knownDrifts so it is compared again", key)
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "replay", "*.json"))
	for _, f := range files {
		if !used[filepath.Base(f)] {
			t.Errorf("golden %s belongs to no replay step", f)
		}
	}
}

// substitute puts the captured ids in place of their placeholders.
func substitute(s string, ids map[string]string) string {
	for name, id := range ids {
		s = strings.ReplaceAll(s, name, id)
	}
	return s
}

var (
	isoTime   = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	requestID = regexp.MustCompile(`^req-[0-9a-z]+$`)
)

// normalise replaces what the contract cannot fix: known ids by their
// placeholders, timestamps by "<time>", request ids by "<requestId>" and
// the step's opaque keys by "<opaque>". Any other value stays as sent.
func normalise(v any, key string, ids map[string]string, opaque []string) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, el := range x {
			out[k] = normalise(el, k, ids, nil)
			if s, isStr := el.(string); isStr && s != "" && contains(opaque, k) {
				out[k] = "<opaque>"
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = normalise(el, key, ids, nil)
		}
		return out
	case string:
		for name, id := range ids {
			if x == id {
				return name
			}
		}
		switch {
		case isoTime.MatchString(x):
			return "<time>"
		case key == "requestId" && requestID.MatchString(x):
			return "<requestId>"
		}
	}
	return v
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// matches is deep equality, except that an entry of a validation error's
// `details` only has to carry the keys the golden lists: the contract
// records path, code and message (and some issue keys), not every key
// the server's validator adds.
func matches(got, want any) bool { return match(got, want, false) }

func match(got, want any, subset bool) bool {
	switch w := want.(type) {
	case map[string]any:
		g, isMap := got.(map[string]any)
		if !isMap || !subset && len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, has := g[k]
			if !has || !match(gv, wv, k == "details") {
				return false
			}
		}
		return true
	case []any:
		g, isList := got.([]any)
		if !isList || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !match(g[i], w[i], subset) {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(got, want)
	}
}

// withoutDrifts drops the knownDrifts keys everywhere in v, noting in seen
// (when given) each one whose removal was needed.
func withoutDrifts(v any, seen map[string]bool) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, el := range x {
			if _, drift := knownDrifts[k]; drift {
				if seen != nil {
					seen[k] = true
				}
				continue
			}
			out[k] = withoutDrifts(el, seen)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = withoutDrifts(el, seen)
		}
		return out
	}
	return v
}

func readGolden(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "replay", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]any
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("golden %s: %v", name, err)
	}
	return g
}

func decodeAny(t *testing.T, name string, raw []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: answer is not JSON: %v: %s", name, err, raw)
	}
	return v
}

func pretty(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// checkEnvelope: every error the simulator sends is an envelope whose code
// is one of the platform's, with the status that code always has.
func checkEnvelope(t *testing.T, step string, res result) {
	t.Helper()
	if res.status < 400 {
		return
	}
	code := res.str("code")
	status, known := api.StatusOf(code)
	if !known || status != res.status || res.str("message") == "" {
		t.Errorf("%s: %d with code %q (the contract says %d): %s", step, res.status, code, status, res.raw)
	}
}

// TestEmittedErrorCodesAreThePlatforms reads the simulator's source: every
// error code it can send (the Code of an APIError literal, or a "code" key
// of a map it marshals) must be one of api's code constants, so the
// simulator spells no code of its own. A string literal fails the test even
// when its text is right, and so does a code computed at run time, since
// nothing could then vouch for it.
func TestEmittedErrorCodesAreThePlatforms(t *testing.T) {
	known := map[string]bool{}
	for _, c := range api.ErrorCodes() {
		known[c.Code] = true
	}
	constants := apiConstants(t)
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, isLit := n.(*ast.CompositeLit)
			if !isLit {
				return true
			}
			for _, el := range lit.Elts {
				kv, isKV := el.(*ast.KeyValueExpr)
				if !isKV || !isCodeKey(lit, kv.Key) {
					continue
				}
				checked++
				code, ok := codeValue(kv.Value, constants)
				switch {
				case isStringLiteral(kv.Value):
					t.Errorf("%s: error code %s written as a literal; use its api.Code… constant", fset.Position(kv.Pos()), kv.Value.(*ast.BasicLit).Value)
				case !ok:
					t.Errorf("%s: error code set from an expression this test cannot read; use a literal or an api constant", fset.Position(kv.Pos()))
				case !known[code]:
					t.Errorf("%s: error code %q is not one of the platform's (internal/api/codes.go)", fset.Position(kv.Pos()), code)
				}
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("found only %d error codes in the simulator's source; is the scan still looking in the right place?", checked)
	}
}

func isStringLiteral(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.STRING
}

// isCodeKey: the Code field of an APIError literal, or a "code" map key.
func isCodeKey(lit *ast.CompositeLit, key ast.Expr) bool {
	switch k := key.(type) {
	case *ast.Ident:
		typ, isIdent := lit.Type.(*ast.Ident)
		return k.Name == "Code" && isIdent && typ.Name == "APIError"
	case *ast.BasicLit:
		return k.Kind == token.STRING && k.Value == `"code"`
	}
	return false
}

func codeValue(e ast.Expr, constants map[string]string) (string, bool) {
	if v, isSel := e.(*ast.SelectorExpr); isSel {
		if pkg, isIdent := v.X.(*ast.Ident); isIdent && pkg.Name == "api" {
			s, ok := constants[v.Sel.Name]
			return s, ok
		}
	}
	return "", false
}

// apiConstants reads the string constants of internal/api/codes.go.
func apiConstants(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "api", "codes.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, decl := range f.Decls {
		gen, isGen := decl.(*ast.GenDecl)
		if !isGen || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if lit, isLit := vs.Values[i].(*ast.BasicLit); isLit && lit.Kind == token.STRING {
					out[name.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	return out
}
