package simulator

import (
	"reflect"
	"testing"
)

func TestRequestCounters(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.RateLimit = 4 })
	id := h.createDB(`{"name":"c","type":"postgres"}`)
	h.mustCall("GET", "/api/databases/"+id, viewerTok, nil)
	h.mustCall("GET", "/api/environments/"+h.env+"/databases", viewerTok, nil)
	h.mustCall("GET", "/api/nope", viewerTok, nil)
	h.mustCall("GET", "/api/databases/"+id, viewerTok, nil) // 429
	h.mustCall("GET", "/health", "", nil)
	want := map[string]int{
		"POST /api/environments/{envId}/databases": 1,
		"GET /api/databases/{id}":                  2,
		"GET /api/environments/{envId}/databases":  1,
		"GET (unmatched)":                          1,
		"GET /health":                              1,
	}
	if got := h.sim.Requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("Requests() = %v", got)
	}
	if h.sim.TotalRequests() != 6 {
		t.Errorf("total = %d", h.sim.TotalRequests())
	}
	if got := h.sim.StatusCounts(); !reflect.DeepEqual(got, map[int]int{200: 4, 404: 1, 429: 1}) {
		t.Errorf("StatusCounts() = %v", got)
	}
	h.sim.ResetRequests()
	if h.sim.TotalRequests() != 0 || len(h.sim.Requests()) != 0 || len(h.sim.StatusCounts()) != 0 {
		t.Error("reset left counts")
	}
}

func TestRequestIDsCountUp(t *testing.T) {
	h := newHarness(t)
	a := h.mustCall("GET", "/api/databases/x", viewerTok, nil).str("requestId")
	b := h.mustCall("GET", "/api/databases/y", viewerTok, nil).str("requestId")
	if a != "req-1" || b != "req-2" {
		t.Fatalf("request ids %q, %q", a, b)
	}
	ok := h.mustCall("GET", "/api/environments", viewerTok, nil)
	if ok.has("requestId") || ok.header.Get("X-Request-Id") != "" {
		t.Fatal("request id outside an error body")
	}
}
