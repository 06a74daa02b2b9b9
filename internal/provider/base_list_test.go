package provider

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// streamed is what a consumer reading the whole stream sees, one line per
// result: its display name, or "warning: <summary>: <detail>" for a result
// carrying only diagnostics.
func streamed(results iter.Seq[list.ListResult]) []string {
	var got []string
	for r := range results {
		got = append(got, describeResult(r))
	}
	return got
}

func describeResult(r list.ListResult) string {
	if r.DisplayName != "" {
		return r.DisplayName
	}
	var lines []string
	for _, d := range r.Diagnostics {
		lines = append(lines, fmt.Sprintf("%s: %s: %s", strings.ToLower(d.Severity().String()), d.Summary(), d.Detail()))
	}
	return strings.Join(lines, "; ")
}

// A stream stops at the limit, after the warning that says results were cut
// off (pushed before the last result, since Terraform reads no further); an
// item that turned out to be gone leaves its warning and lets the next item
// take its place; items past the limit are never turned into results (for
// the schedule list, never fetched).
func TestStreamResults(t *testing.T) {
	const cut = "warning: Results cut off at the list block's limit: "
	cases := map[string]struct {
		items  []string
		gone   []string // items whose result is only a warning
		limit  int64
		diags  diag.Diagnostics
		want   []string
		called []string // items whose result was asked for; nil means every item
	}{
		"fewer than the limit": {
			items: []string{"a", "b"}, limit: 100,
			want: []string{"a", "b"},
		},
		"exactly the limit": {
			items: []string{"a", "b", "c"}, limit: 3,
			want: []string{"a", "b", "c"},
		},
		"more than the limit": {
			items: []string{"a", "b", "c", "d", "e"}, limit: 3,
			want: []string{"a", "b",
				cut + "5 things match, but the list block's limit is 3 (Terraform's default is 100): only the first 3 are listed. " +
					"Set limit in the list block to see them all.",
				"c"},
			called: []string{"a", "b", "c"},
		},
		"warnings about the whole list come first": {
			items: []string{"a"}, limit: 100,
			diags: diag.Diagnostics{diag.NewWarningDiagnostic("Credentials not imported", "a has some")},
			want:  []string{"warning: Credentials not imported: a has some", "a"},
		},
		"a gone item's place is taken by the next": {
			items: []string{"a", "b", "c", "d", "e"}, gone: []string{"b"}, limit: 3,
			want: []string{"a", "warning: b is gone: ", "c",
				cut + "4 things match, but the list block's limit is 3 (Terraform's default is 100): only the first 3 are listed. " +
					"Set limit in the list block to see them all.",
				"d"},
			called: []string{"a", "b", "c", "d"},
		},
		"gone items at the end leave fewer results, without a cut-off": {
			items: []string{"a", "b", "c"}, gone: []string{"b", "c"}, limit: 2,
			want: []string{"a", "warning: b is gone: ", "warning: c is gone: "},
		},
		"the last item fills the limit: nothing was cut off": {
			items: []string{"a", "b", "c"}, gone: []string{"a"}, limit: 2,
			want: []string{"warning: a is gone: ", "b", "c"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var called []string
			results := streamResults(tc.diags, tc.items, tc.limit, "things", func(item string) (list.ListResult, bool) {
				called = append(called, item)
				var r list.ListResult
				if slices.Contains(tc.gone, item) {
					r.Diagnostics.AddWarning(item+" is gone", "")
					return r, false
				}
				r.DisplayName = item
				return r, true
			})
			if got := streamed(results); !slices.Equal(got, tc.want) {
				t.Errorf("stream:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			want := tc.called
			if want == nil {
				want = tc.items
			}
			if !slices.Equal(called, want) {
				t.Errorf("results asked for %v, want %v", called, want)
			}
		})
	}
}

// A consumer that stops reading (Terraform at its limit, or gone) stops
// the stream: no further result is asked for.
func TestStreamResultsStopsWithItsConsumer(t *testing.T) {
	var called []string
	results := streamResults(nil, []string{"a", "b", "c"}, 100, "things", func(item string) (list.ListResult, bool) {
		called = append(called, item)
		return list.ListResult{DisplayName: item}, true
	})
	for r := range results {
		if r.DisplayName == "a" {
			break
		}
	}
	if !slices.Equal(called, []string{"a"}) {
		t.Errorf("results asked for %v after the consumer stopped at a", called)
	}
}

// listRPC drives the provider's list resources as Terraform does, over the
// plugin protocol, against an in-process simulator whose requests it
// counts.
type listRPC struct {
	t      *testing.T
	sim    *simulator.Simulator
	envID  string
	lists  tfprotov6.ListResourceServer
	schema *tfprotov6.GetProviderSchemaResponse

	mu        sync.Mutex
	onRequest func(*http.Request)
}

const listRPCToken = "bport_pat_list_rpc"

func newListRPC(t *testing.T) *listRPC {
	t.Helper()
	sim := simulator.New(simulator.Options{
		Tokens:       []simulator.Token{{Value: listRPCToken, Role: simulator.RoleOperator}},
		Environments: []string{"acc"},
	})
	h := &listRPC{t: t, sim: sim, envID: sim.EnvironmentID("acc")}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		hook := h.onRequest
		h.mu.Unlock()
		if hook != nil {
			hook(r)
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	server, err := NewProtocol6Server("test")()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ok bool
	if h.lists, ok = server.(tfprotov6.ListResourceServer); !ok {
		t.Fatal("the provider server serves no list resources")
	}
	if h.schema, err = server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	cfg := h.dynamicValue(h.schema.Provider, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, srv.URL),
		"token":    tftypes.NewValue(tftypes.String, listRPCToken),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("configuring the provider: %s: %s", d.Summary, d.Detail)
		}
	}
	sim.ResetRequests()
	return h
}

// setOnRequest runs hook before the simulator sees each request.
func (h *listRPC) setOnRequest(hook func(*http.Request)) {
	h.mu.Lock()
	h.onRequest = hook
	h.mu.Unlock()
}

// dynamicValue is an object of s's type with the given attributes set and
// every other one null, as Terraform sends an attribute left out.
func (h *listRPC) dynamicValue(s *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	h.t.Helper()
	typ := s.ValueType().(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		if _, ok := vals[name]; !ok {
			h.t.Fatalf("the schema has no attribute %q", name)
		}
		vals[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		h.t.Fatal(err)
	}
	return &dv
}

// listConfig is a list block's config with the given string attributes.
func (h *listRPC) listConfig(typeName string, set map[string]string) *tfprotov6.DynamicValue {
	h.t.Helper()
	s, ok := h.schema.ListResourceSchemas[typeName]
	if !ok {
		h.t.Fatalf("no list resource %s", typeName)
	}
	vals := map[string]tftypes.Value{}
	for name, v := range set {
		vals[name] = tftypes.NewValue(tftypes.String, v)
	}
	return h.dynamicValue(s, vals)
}

// validate is ValidateListResourceConfig, as Terraform sends it before a
// query: a block that fails it is never listed.
func (h *listRPC) validate(typeName string, cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.lists.ValidateListResourceConfig(context.Background(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: typeName, Config: cfg})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.Diagnostics
}

// list reads a ListResource stream as Terraform does: up to limit results
// with an identity; diagnostics-only events do not count, and an error
// ends the stream.
func (h *listRPC) list(typeName string, cfg *tfprotov6.DynamicValue, limit int64, includeResource bool) []tfprotov6.ListResourceResult {
	h.t.Helper()
	stream, err := h.lists.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: cfg, Limit: limit, IncludeResource: includeResource,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	var events []tfprotov6.ListResourceResult
	listed := int64(0)
	for ev := range stream.Results {
		if listed >= limit {
			break
		}
		events = append(events, ev)
		if slices.ContainsFunc(ev.Diagnostics, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError }) {
			break
		}
		if ev.Identity != nil {
			listed++
		}
	}
	return events
}

// describeEvents is one line per event: its display name, or its
// diagnostics' severities and summaries.
func describeEvents(events []tfprotov6.ListResourceResult) []string {
	var out []string
	for _, ev := range events {
		if ev.DisplayName != "" {
			out = append(out, ev.DisplayName)
			continue
		}
		var lines []string
		for _, d := range ev.Diagnostics {
			line := fmt.Sprintf("%s: %s", strings.ToLower(d.Severity.String()), d.Summary)
			if d.Attribute != nil {
				line += " (on " + d.Attribute.String() + ")"
			}
			lines = append(lines, line)
		}
		out = append(out, strings.Join(lines, "; "))
	}
	return out
}

func describeDiagnostics(diags []*tfprotov6.Diagnostic) string {
	lines := make([]string, len(diags))
	for i, d := range diags {
		lines[i] = fmt.Sprintf("%s %q: %q on %v", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	return "[" + strings.Join(lines, "; ") + "]"
}

func (h *listRPC) addDatabase(name string) string {
	h.t.Helper()
	id, err := h.sim.CreateDatabase(h.envID, map[string]any{"name": name, "type": "postgres"})
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

func (h *listRPC) addSchedule(dbID, cron string) {
	h.t.Helper()
	if err := h.sim.PutSchedule(dbID, map[string]any{"cronExpression": cron}); err != nil {
		h.t.Fatal(err)
	}
}

// A list block with limit = 0 gets nothing, and the platform is not asked:
// Terraform would read no result anyway.
func TestListLimitZeroSendsNoRequest(t *testing.T) {
	t.Parallel()
	blocks := map[string]func(h *listRPC, dbID string) map[string]string{
		"platform_database":                 func(h *listRPC, _ string) map[string]string { return map[string]string{"environment_id": h.envID} },
		"platform_database_backup_schedule": func(h *listRPC, _ string) map[string]string { return map[string]string{"environment_id": h.envID} },
		"platform_database_backup":          func(_ *listRPC, dbID string) map[string]string { return map[string]string{"database_id": dbID} },
	}
	for typeName, config := range blocks {
		t.Run(typeName, func(t *testing.T) {
			t.Parallel()
			h := newListRPC(t)
			dbID := h.addDatabase("orders")
			h.addSchedule(dbID, "0 2 * * *")
			if _, err := h.sim.AddBackup(dbID); err != nil {
				t.Fatal(err)
			}
			cfg := h.listConfig(typeName, config(h, dbID))
			for _, include := range []bool{false, true} {
				if events := h.list(typeName, cfg, 0, include); len(events) != 0 {
					t.Errorf("limit 0, include_resource %t: %v, want nothing", include, describeEvents(events))
				}
				if n := h.sim.TotalRequests(); n != 0 {
					t.Errorf("limit 0, include_resource %t: sent %v, want no request", include, h.sim.Requests())
				}
			}
			// The same block with limit = 1 does reach the platform: the
			// counters above would have seen it.
			if events := h.list(typeName, cfg, 1, true); len(events) != 1 || h.sim.TotalRequests() == 0 {
				t.Errorf("limit 1: %v after %v, want one result from the platform", describeEvents(events), h.sim.Requests())
			}
		})
	}
}

// A name_regex Go cannot compile is an error on name_regex when Terraform
// validates the block, and also when a block is listed without that
// validation: never a panic, and nothing is asked of the platform.
func TestListBadNameRegexIsAnAttributeError(t *testing.T) {
	t.Parallel()
	h := newListRPC(t)
	h.addSchedule(h.addDatabase("orders"), "0 2 * * *")
	nameRegex := tftypes.NewAttributePath().WithAttributeName("name_regex")
	for _, typeName := range []string{"platform_database", "platform_database_backup_schedule"} {
		cfg := h.listConfig(typeName, map[string]string{"environment_id": h.envID, "name_regex": "^(orders"})
		checkError := func(when string, diags []*tfprotov6.Diagnostic) {
			t.Helper()
			if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
				diags[0].Summary != "Invalid regular expression" || !nameRegex.Equal(diags[0].Attribute) ||
				!strings.Contains(diags[0].Detail, "name_regex is not a valid regular expression (Go RE2 syntax): "+
					"error parsing regexp: missing closing ): `^(orders`") {
				t.Errorf("%s %s: diagnostics %s, want one error on name_regex saying what is wrong", typeName, when, describeDiagnostics(diags))
			}
		}
		checkError("validated", h.validate(typeName, cfg))

		h.sim.ResetRequests()
		events := h.list(typeName, cfg, 100, false)
		if len(events) != 1 {
			t.Fatalf("%s listed without validation: %v, want one error", typeName, describeEvents(events))
		}
		checkError("listed without validation", events[0].Diagnostics)
		if n := h.sim.TotalRequests(); n != 0 {
			t.Errorf("%s with a bad name_regex sent %v, want no request", typeName, h.sim.Requests())
		}

		good := h.listConfig(typeName, map[string]string{"environment_id": h.envID, "name_regex": "^ord"})
		if diags := h.validate(typeName, good); len(diags) != 0 {
			t.Errorf("%s with a good name_regex: %s", typeName, describeDiagnostics(diags))
		}
		if got := describeEvents(h.list(typeName, good, 100, false)); len(got) != 1 || !strings.HasPrefix(got[0], "acc/orders") {
			t.Errorf("%s with a good name_regex: %v, want acc/orders", typeName, got)
		}
	}
}
