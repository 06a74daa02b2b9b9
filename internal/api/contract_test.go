package api

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// contractTable returns the rows of the first markdown table after the
// heading line, as trimmed cells with backticks removed; the header and
// separator rows are skipped.
func contractTable(t *testing.T, heading string) [][]string {
	t.Helper()
	raw, err := os.ReadFile("CONTRACT.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == heading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		t.Fatalf("CONTRACT.md has no heading %q", heading)
	}
	var rows [][]string
	inTable := false
	for _, l := range lines[start:] {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "|") {
			if inTable {
				break
			}
			if strings.HasPrefix(l, "#") {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i, c := range cells {
			cells[i] = strings.TrimSpace(strings.ReplaceAll(c, "`", ""))
		}
		if strings.HasPrefix(cells[0], "---") || len(rows) == 0 && isHeader(cells[0]) {
			continue
		}
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		t.Fatalf("no table rows after %q", heading)
	}
	return rows
}

func isHeader(cell string) bool { return cell == "key" || cell == "code" || cell == "fixture" }

// documented turns a two-or-more column table into key -> second cell,
// failing on a key written twice.
func documented(t *testing.T, heading string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, row := range contractTable(t, heading) {
		if len(row) < 2 {
			t.Fatalf("%s: short row %q", heading, row)
		}
		if _, dup := out[row[0]]; dup {
			t.Errorf("%s: %s documented twice", heading, row[0])
		}
		out[row[0]] = row[1]
	}
	return out
}

// compareBothWays reports every key whose value differs and every key one
// side has and the other lacks.
func compareBothWays(t *testing.T, what string, doc, code map[string]string) {
	t.Helper()
	for _, k := range sortedKeys(code) {
		d, ok := doc[k]
		switch {
		case !ok:
			t.Errorf("%s: %s = %q in Go is not documented in CONTRACT.md", what, k, code[k])
		case d != code[k]:
			t.Errorf("%s: %s is %q in CONTRACT.md but %q in Go", what, k, d, code[k])
		}
	}
	for _, k := range sortedKeys(doc) {
		if _, ok := code[k]; !ok {
			t.Errorf("%s: CONTRACT.md documents %s = %q, which the Go table lacks", what, k, doc[k])
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestErrorCodesMatchContract(t *testing.T) {
	code := map[string]string{}
	for _, c := range ErrorCodes() {
		code[c.Code] = strconv.Itoa(c.Status)
	}
	compareBothWays(t, "error codes", documented(t, "### Error codes"), code)
}

func TestStatusOfAndRetryable(t *testing.T) {
	for _, c := range ErrorCodes() {
		if s, ok := StatusOf(c.Code); !ok || s != c.Status {
			t.Errorf("StatusOf(%s) = %d, %v", c.Code, s, ok)
		}
	}
	if _, ok := StatusOf("TEAPOT"); ok {
		t.Error("StatusOf knows an invented code")
	}
	for code, want := range map[string]bool{CodeRateLimited: true, CodeServiceUnavailable: true, CodeInternal: false, CodeConflict: false} {
		if Retryable(code) != want {
			t.Errorf("Retryable(%s) = %v", code, !want)
		}
	}
}

func TestDefaultsMatchContract(t *testing.T) {
	code := map[string]string{}
	flatten(t, "", reflect.ValueOf(Platform), code)
	compareBothWays(t, "defaults and ranges", documented(t, "## Defaults and ranges"), code)
}

// flatten renders the Platform table as CONTRACT.md keys: field names in
// lowerCamelCase (or their contract tag) joined by dots, slice elements with a Name by that name.
// Walking every field means a value added to defaults.go cannot stay
// undocumented.
func flatten(t *testing.T, prefix string, v reflect.Value, out map[string]string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		if r, ok := v.Interface().(Range); ok {
			out[prefix] = fmt.Sprintf("%d–%d", r.Min, r.Max)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.Name == "Name" {
				continue // a slice element's key, see the slice case
			}
			// The keys are the API's names; a Go initialism (UseSSL)
			// spells its JSON name (useSsl) in a contract tag.
			key := f.Tag.Get("contract")
			if key == "" {
				key = lowerFirst(f.Name)
			}
			flatten(t, join(prefix, key), v.Field(i), out)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			out[prefix] = strings.Join(v.Interface().([]string), ", ")
			return
		}
		for i := 0; i < v.Len(); i++ {
			el := v.Index(i)
			flatten(t, join(prefix, el.FieldByName("Name").String()), el, out)
		}
	case reflect.String:
		out[prefix] = v.String()
	case reflect.Bool:
		out[prefix] = strconv.FormatBool(v.Bool())
	case reflect.Int64:
		out[prefix] = strconv.FormatInt(v.Int(), 10)
	default:
		t.Fatalf("%s: %s values cannot be documented yet; extend flatten", prefix, v.Kind())
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// TestDefaultsAreConsistent checks what the table implies about itself.
func TestDefaultsAreConsistent(t *testing.T) {
	db := Platform.Database
	mustContain(t, "backupStorageType", db.Enums.BackupStorageType, db.Defaults.BackupStorageType)
	mustContain(t, "backupFormat", db.Enums.BackupFormat, db.Defaults.BackupFormat)
	mustContain(t, "backupCompression", db.Enums.BackupCompression, db.Defaults.BackupCompression)
	if !db.Ranges.BackupCompressionLevel.Contains(db.Defaults.BackupCompressionLevel) ||
		!db.Ranges.PgDumpTimeoutMs.Contains(db.Defaults.PgDumpTimeoutMs) {
		t.Error("a database default lies outside its range")
	}
	for _, ty := range db.Types {
		if ty.DefaultPort != 0 && !db.Ranges.Port.Contains(ty.DefaultPort) {
			t.Errorf("%s default port %d", ty.Name, ty.DefaultPort)
		}
	}
	if !Platform.Schedule.Ranges.RetentionDays.Contains(Platform.Schedule.Defaults.RetentionDays) {
		t.Error("schedule retention default outside its range")
	}
	mustContain(t, "monitoring status", Platform.Monitoring.Statuses, Platform.Monitoring.FreshStatus)
	p := Platform.Policy
	mustContain(t, "global preset", p.PresetNames, p.GlobalDefault)
	if _, ok := p.Preset(p.GlobalDefault); !ok {
		t.Errorf("global default %q has no tiers", p.GlobalDefault)
	}
	for _, pr := range p.Presets {
		mustContain(t, "preset", p.PresetNames, pr.Name)
		tiers := map[string]struct {
			n int64
			r Range
		}{"keepLast": {pr.KeepLast, p.Ranges.KeepLast}, "daily": {pr.Daily, p.Ranges.Daily}, "weekly": {pr.Weekly, p.Ranges.Weekly},
			"monthly": {pr.Monthly, p.Ranges.Monthly}, "yearly": {pr.Yearly, p.Ranges.Yearly}, "minFloor": {pr.MinFloor, p.Ranges.MinFloor}}
		for name, tier := range tiers {
			if !tier.r.Contains(tier.n) {
				t.Errorf("preset %s: %s %d outside %v", pr.Name, name, tier.n, tier.r)
			}
		}
	}
	if _, ok := p.Preset("custom"); ok {
		t.Error("custom must have no fixed tiers")
	}
	if _, ok := db.Type("postgres"); !ok || len(db.TypeNames()) != len(db.Types) {
		t.Error("Type/TypeNames")
	}
	if _, ok := db.Type("cockroach"); ok {
		t.Error("Type knows an invented type")
	}
}

func mustContain(t *testing.T, what string, set []string, v string) {
	t.Helper()
	for _, s := range set {
		if s == v {
			return
		}
	}
	t.Errorf("%s: %q is not one of %q", what, v, set)
}

func TestFixturesAreDocumentedAndDecode(t *testing.T) {
	doc := documented(t, "## Fixtures")
	names := map[string]string{}
	for _, n := range FixtureNames() {
		names[n] = doc[n] // only the key set is compared
		var v any
		if err := json.Unmarshal(Fixture(n), &v); err != nil {
			t.Errorf("fixture %s: %v", n, err)
		}
	}
	for _, k := range sortedKeys(doc) {
		if _, ok := names[k]; !ok {
			t.Errorf("CONTRACT.md lists fixture %s, which testdata lacks", k)
		}
	}
	for _, k := range sortedKeys(names) {
		if _, ok := doc[k]; !ok {
			t.Errorf("fixture %s is not listed in CONTRACT.md", k)
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Fixture of an unknown name did not panic")
			}
		}()
		Fixture("no-such-fixture")
	}()
}

// fixtureDatabase is the part of a database body the checks below read.
type fixtureDatabase struct {
	Type              string `json:"type"`
	BackupStorageType string `json:"backupStorageType"`
	BackupFormat      string `json:"backupFormat"`
	BackupCompression string `json:"backupCompression"`
	DatabaseType      *struct {
		Name             string `json:"name"`
		DisplayName      string `json:"displayName"`
		HasBackupCommand bool   `json:"hasBackupCommand"`
	} `json:"databaseType"`
	MonitoringEnabled     bool  `json:"monitoringEnabled"`
	CollectionIntervalSec int64 `json:"collectionIntervalSec"`
}

// TestFixturesUseTheVocabulary: the recorded bodies only hold values the
// tables above allow, so a fixture cannot teach a test something the
// contract does not say.
func TestFixturesUseTheVocabulary(t *testing.T) {
	var one struct{ Database fixtureDatabase }
	var list struct{ Databases []fixtureDatabase }
	decode(t, FixtureDatabase, &one)
	decode(t, FixtureDatabaseList, &list)
	for _, d := range append(list.Databases, one.Database) {
		db := Platform.Database
		mustContain(t, "backupStorageType", db.Enums.BackupStorageType, d.BackupStorageType)
		mustContain(t, "backupFormat", db.Enums.BackupFormat, d.BackupFormat)
		mustContain(t, "backupCompression", db.Enums.BackupCompression, d.BackupCompression)
		ty, builtin := db.Type(d.Type)
		if builtin != (d.DatabaseType != nil) ||
			builtin && (d.DatabaseType.Name != ty.Name || d.DatabaseType.DisplayName != ty.DisplayName || d.DatabaseType.HasBackupCommand != ty.HasBackupCommand) {
			t.Errorf("%s: databaseType %+v, contract %+v", d.Type, d.DatabaseType, ty)
		}
		if d.MonitoringEnabled != db.Defaults.MonitoringEnabled || d.CollectionIntervalSec != db.Defaults.CollectionIntervalSec {
			t.Errorf("%s: monitoring %v/%d can only be the create default, nothing here changed it", d.Type, d.MonitoringEnabled, d.CollectionIntervalSec)
		}
	}

	for _, name := range []string{FixtureErrorValidation, FixtureErrorRateLimited} {
		var env struct{ Code, Message string }
		decode(t, name, &env)
		if _, ok := StatusOf(env.Code); !ok || env.Message == "" {
			t.Errorf("%s: code %q message %q", name, env.Code, env.Message)
		}
	}
	var conf map[string]any
	decode(t, FixtureBackupPolicyConfirmation, &conf)
	if _, has := conf["code"]; has || conf["confirmationRequired"] != true {
		t.Errorf("the confirmation 409 has no envelope: %v", conf)
	}

	var policy struct {
		Effective struct {
			KeepLast, Daily, Weekly, Monthly, Yearly, MinFloor int64
			Preset                                             string
		}
		Source string
	}
	decode(t, FixtureBackupPolicy, &policy)
	want, _ := Platform.Policy.Preset(Platform.Policy.GlobalDefault)
	e := policy.Effective
	got := PolicyPreset{Name: e.Preset, KeepLast: e.KeepLast, Daily: e.Daily, Weekly: e.Weekly, Monthly: e.Monthly, Yearly: e.Yearly, MinFloor: e.MinFloor}
	if got != want || policy.Source != "inherited" {
		t.Errorf("fresh policy %+v (%s), want the global default %+v", got, policy.Source, want)
	}
}

func decode(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(Fixture(name), v); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
}
