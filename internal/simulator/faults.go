package simulator

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// FaultStats counts injected faults.
type FaultStats struct {
	Unavailable   int // contention answers (503; 500 on v2.3.0)
	DroppedBefore int // connections closed before the handler ran
	DroppedAfter  int // connections closed after the handler ran
}

type faultKind int

const (
	faultNone faultKind = iota
	faultUnavailable
	faultDropBefore
	faultDropAfter
)

// faultInjector decides, per /api request, which fault (if any) to inject.
// It draws from one seeded source in request order, so a run with the same
// seed and the same request sequence injects the same faults.
type faultInjector struct {
	mu    sync.Mutex
	cfg   Faults
	rnd   *rand.Rand
	stats FaultStats
	posts int // POSTs seen since the faults were set
	// routeHits counts requests to cfg.FailRoute since the faults were set.
	routeHits int
}

func newFaultInjector(seed uint64) *faultInjector {
	return &faultInjector{rnd: rand.New(rand.NewPCG(seed, 0x5eed))}
}

func (f *faultInjector) set(cfg Faults) {
	f.mu.Lock()
	f.cfg = cfg
	f.posts, f.routeHits = 0, 0
	f.mu.Unlock()
}

func (f *faultInjector) latency() (before, after time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg.Latency, f.cfg.LatencyAfter
}

// decide always draws three numbers, so changing one fraction does not
// shift the sequence seen by the others.
func (f *faultInjector) decide(method string) faultKind {
	f.mu.Lock()
	defer f.mu.Unlock()
	u1, u2, u3 := f.rnd.Float64(), f.rnd.Float64(), f.rnd.Float64()
	if method == http.MethodPost {
		f.posts++
		if f.posts <= f.cfg.DropAfterFirstPOSTs {
			f.stats.DroppedAfter++
			return faultDropAfter
		}
	}
	switch {
	case u1 < f.cfg.Unavailable:
		f.stats.Unavailable++
		return faultUnavailable
	case u2 < f.cfg.DropBefore:
		f.stats.DroppedBefore++
		return faultDropBefore
	case u3 < f.cfg.DropAfter:
		f.stats.DroppedAfter++
		return faultDropAfter
	}
	return faultNone
}

// failRoute reports whether this request to route is one FailRoute fails.
func (f *faultInjector) failRoute(route string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cfg.FailRoute == "" || route != f.cfg.FailRoute {
		return false
	}
	f.routeHits++
	return f.routeHits > f.cfg.FailAfter && f.routeHits <= f.cfg.FailAfter+f.cfg.FailTimes
}

func (f *faultInjector) snapshot() FaultStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stats
}

func (f *faultInjector) resetStats() {
	f.mu.Lock()
	f.stats = FaultStats{}
	f.mu.Unlock()
}

// sleep waits d, or less if the client goes away; false means it went away.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection closes the client's connection without a response, so the
// client sees a connection error (EOF / reset) rather than any status.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
