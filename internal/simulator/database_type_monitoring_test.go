package simulator

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// platformMonitoring is what the platform's plugin definitions give each
// type: its connection mode, driver and query names, in order.
var platformMonitoring = map[string]struct {
	mode, driver string
	queries      []string
}{
	"mysql":    {"sql", "mysql2", []string{"dbSize", "tableCount", "bufferPoolHitRatio", "slowQueries", "topTableSizes"}},
	"postgres": {"sql", "pg", []string{"dbSize", "tableCount", "totalRows", "totalIndexSize", "deadTuples", "deadTupleRatio", "oldestUnvacuumed", "topTableSizes"}},
	"redis":    {"redis", "", []string{"usedMemory", "peakMemory", "memFragRatio", "totalKeys"}},
	"sqlite":   {"ssh", "", []string{"fileSize", "tableCount", "pageCount", "freelistCount", "topTableSizes"}},
}

// postgresMonitoringStart is the platform's stored postgres config as
// JSON.stringify wrote it, up to its first query: key order and escaping
// are part of what a client sees in the string.
const postgresMonitoringStart = `{"connectionMode":"sql","driver":"pg","queries":[{"name":"dbSize","displayName":"Database Size",` +
	`"query":"SELECT pg_database_size(current_database()) AS value","resultType":"scalar","unit":"bytes"},`

// TestDatabaseTypes_monitoringConfigIsThePlatforms: both type routes
// serve the platform's monitoring queries, as the compact JSON string it
// stores; mongodb has none. v2.3.0 bundles the same ones.
func TestDatabaseTypes_monitoringConfigIsThePlatforms(t *testing.T) {
	for _, release := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(release.String(), func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Release = release })
			list := h.mustCall("GET", "/api/settings/database-types", viewerTok, nil)
			list.expectOK(t)
			for i, item := range list.at("databaseTypes").([]any) {
				name := item.(map[string]any)["name"].(string)
				config := item.(map[string]any)["monitoringConfig"]
				one := h.mustCall("GET", "/api/settings/database-types/"+h.sim.DatabaseTypeID(name), viewerTok, nil)
				if got := one.at("databaseType", "monitoringConfig"); got != config {
					t.Errorf("%s: the type's own route serves %#v, the list %#v", name, got, config)
				}
				want, monitored := platformMonitoring[name]
				if !monitored {
					if config != nil {
						t.Errorf("databaseTypes.%d (%s): monitoringConfig %#v, want null", i, name, config)
					}
					continue
				}
				text, isString := config.(string)
				if !isString {
					t.Fatalf("%s: monitoringConfig must be a JSON string, got %#v", name, config)
				}
				var compact bytes.Buffer
				if err := json.Compact(&compact, []byte(text)); err != nil || compact.String() != text {
					t.Errorf("%s: not compact JSON (%v): %s", name, err, text)
				}
				var got struct {
					ConnectionMode string `json:"connectionMode"`
					Driver         string `json:"driver"`
					Queries        []struct {
						Name, DisplayName, Query, ResultType string
					} `json:"queries"`
				}
				if err := json.Unmarshal([]byte(text), &got); err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, q := range got.Queries {
					names = append(names, q.Name)
					if q.DisplayName == "" || q.Query == "" || q.ResultType == "" {
						t.Errorf("%s: query %s lacks a field: %+v", name, q.Name, q)
					}
				}
				if got.ConnectionMode != want.mode || got.Driver != want.driver || !reflect.DeepEqual(names, want.queries) {
					t.Errorf("%s: %s/%s %v, want the platform's %s/%s %v", name, got.ConnectionMode, got.Driver, names,
						want.mode, want.driver, want.queries)
				}
				if name == "postgres" && !strings.HasPrefix(text, postgresMonitoringStart) {
					t.Errorf("postgres: %s\nwant it to start as the platform's: %s", text, postgresMonitoringStart)
				}
			}
			// A shell redirection as the platform sends it, not as \u003e.
			if !bytes.Contains(list.raw, []byte(`2>/dev/null`)) {
				t.Errorf("sqlite's fileSize query is not served as written")
			}
		})
	}
}

// TestMonitoringSummary_carriesTheTypesConfig: the summary gives each
// database its type's config parsed into an object; null for a type
// without one and for a database bound to no type.
func TestMonitoringSummary_carriesTheTypesConfig(t *testing.T) {
	h := newHarness(t)
	h.createDB(`{"name":"a","type":"postgres"}`)
	h.createDB(`{"name":"b","type":"mongodb"}`)
	h.createDB(`{"name":"c","type":"cockroach"}`)
	res := h.mustCall("GET", "/api/environments/"+h.env+"/databases/monitoring-summary", viewerTok, nil)
	res.expectFields(t, map[string]any{"databases.0.name": "a", "databases.1.monitoringConfig": nil, "databases.2.monitoringConfig": nil})
	types := h.mustCall("GET", "/api/settings/database-types/"+h.sim.DatabaseTypeID("postgres"), viewerTok, nil)
	var want any
	if err := json.Unmarshal([]byte(types.str("databaseType", "monitoringConfig")), &want); err != nil {
		t.Fatal(err)
	}
	if got := res.at("databases", "0", "monitoringConfig"); !reflect.DeepEqual(got, want) {
		t.Errorf("postgres database's monitoringConfig %#v, want its type's %#v", got, want)
	}
	start := bytes.Index(res.raw, []byte(`"monitoringConfig":{`))
	if start < 0 || !bytes.HasPrefix(res.raw[start+len(`"monitoringConfig":`):], []byte(postgresMonitoringStart)) {
		t.Errorf("the summary's object is not in the platform's key order: %s", res.raw)
	}
}
