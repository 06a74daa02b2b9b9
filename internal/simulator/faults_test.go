package simulator

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultUnavailable(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Faults.Unavailable = 1 })
	res := h.mustCall("GET", "/api/environments", viewerTok, nil)
	res.expectError(t, 503, "SERVICE_UNAVAILABLE", "Internal Server Error")
	if res.header.Get("Retry-After") != "1" {
		t.Errorf("retry-after = %q", res.header.Get("Retry-After"))
	}
	h.mustCall("GET", "/health", "", nil).expectOK(t)
	if got := h.sim.FaultStats().Unavailable; got != 1 {
		t.Errorf("Unavailable = %d", got)
	}
	h.sim.SetFaults(Faults{})
	h.mustCall("GET", "/api/environments", viewerTok, nil).expectOK(t)
}

// TestFaultFractionIsSeeded: a fraction is honoured roughly, and exactly
// reproduced by the same seed.
func TestFaultFractionIsSeeded(t *testing.T) {
	run := func(seed int64) []int {
		h := newHarness(t, func(o *Options) { o.Faults.Unavailable = 0.3; o.Seed = seed })
		var out []int
		for i := 0; i < 200; i++ {
			out = append(out, h.mustCall("GET", "/api/environments", viewerTok, nil).status)
		}
		return out
	}
	a, b, c := run(42), run(42), run(7)
	n503 := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed differs at request %d", i)
		}
		if a[i] == 503 {
			n503++
		}
	}
	if n503 < 40 || n503 > 80 {
		t.Errorf("%d of 200 requests got 503, want about 60", n503)
	}
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Error("different seeds gave the same sequence")
	}
}

func TestFaultDropBefore(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Faults.DropBefore = 1 })
	res := h.call("POST", "/api/environments/"+h.env+"/databases", operatorTok, `{"name":"dropped","type":"postgres"}`)
	if res.err == nil {
		t.Fatalf("got a response: %d %s", res.status, res.raw)
	}
	if len(h.sim.Databases(h.env)) != 0 {
		t.Fatal("write applied although the connection was dropped before the handler")
	}
	if h.sim.FaultStats().DroppedBefore != 1 || h.sim.TotalRequests() != 1 {
		t.Errorf("stats %+v, total %d", h.sim.FaultStats(), h.sim.TotalRequests())
	}
	h.mustCall("GET", "/health", "", nil).expectOK(t)
}

func TestFaultDropAfter(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Faults.DropAfter = 1 })
	body := `{"name":"applied","type":"postgres"}`
	res := h.call("POST", "/api/environments/"+h.env+"/databases", operatorTok, body, "Idempotency-Key: drop-1")
	if res.err == nil {
		t.Fatalf("got a response: %d %s", res.status, res.raw)
	}
	dbs := h.sim.Databases(h.env)
	if len(dbs) != 1 || dbs[0].Name != "applied" {
		t.Fatalf("write not applied: %+v", dbs)
	}
	if h.sim.FaultStats().DroppedAfter != 1 {
		t.Errorf("stats %+v", h.sim.FaultStats())
	}
	h.sim.SetFaults(Faults{})
	retry := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, body, "Idempotency-Key: drop-1")
	retry.expectOK(t)
	if retry.header.Get("Idempotent-Replayed") != "true" || retry.str("database", "id") != dbs[0].ID {
		t.Fatalf("retry after a dropped response: %s", retry.raw)
	}
	plain := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, body)
	plain.expectError(t, 409, "CONFLICT", "Database with this name already exists")
}

func TestFaultLatency(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Faults.Latency = 80 * time.Millisecond })
	start := time.Now()
	h.mustCall("GET", "/api/environments", viewerTok, nil).expectOK(t)
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("request took %v", d)
	}
	start = time.Now()
	h.mustCall("GET", "/health", "", nil).expectOK(t)
	if d := time.Since(start); d >= 80*time.Millisecond {
		t.Errorf("health delayed %v", d)
	}
}

// TestFaultDropAfterFirstPOSTs: exactly the first n POSTs lose their
// response after the write; GETs and later POSTs are untouched.
func TestFaultDropAfterFirstPOSTs(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Faults.DropAfterFirstPOSTs = 2 })
	h.mustCall("GET", "/api/environments", viewerTok, nil).expectOK(t)
	for _, name := range []string{"a", "b"} {
		if res := h.call("POST", "/api/environments/"+h.env+"/databases", operatorTok, `{"name":"`+name+`","type":"postgres"}`); res.err == nil {
			t.Fatalf("POST %s got a response: %d", name, res.status)
		}
	}
	h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, `{"name":"c","type":"postgres"}`).expectOK(t)
	if n := len(h.sim.Databases(h.env)); n != 3 {
		t.Fatalf("%d databases, want the 3 writes applied", n)
	}
	if got := h.sim.FaultStats().DroppedAfter; got != 2 {
		t.Errorf("DroppedAfter = %d, want 2", got)
	}
}

// TestFaultLatencyAfter: the write is applied before the slow response, so
// a client that gives up early leaves the database behind.
func TestFaultLatencyAfter(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Faults.LatencyAfter = 2 * time.Second })
	h.client.Timeout = 200 * time.Millisecond
	if res := h.call("POST", "/api/environments/"+h.env+"/databases", operatorTok, `{"name":"late","type":"postgres"}`); res.err == nil {
		t.Fatalf("got a response before the latency: %d", res.status)
	}
	if dbs := h.sim.Databases(h.env); len(dbs) != 1 || dbs[0].Name != "late" {
		t.Fatalf("write not applied before the slow response: %+v", dbs)
	}
}

func TestStartTLS(t *testing.T) {
	sim := New(Options{Environments: []string{"main"}})
	url, caPEM, stop := sim.StartTLS()
	defer stop()
	pool := x509.NewCertPool()
	if !strings.HasPrefix(url, "https://") || !pool.AppendCertsFromPEM([]byte(caPEM)) {
		t.Fatalf("url %q, CA PEM %q", url, caPEM)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := http.Get(url + "/health"); err == nil {
		t.Error("an untrusting client connected")
	}
}
