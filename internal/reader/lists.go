package reader

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/protocol"
)

// Defaults of the readers.
const (
	// defaultCoalesceWindow: Terraform starts its (10 parallel) refreshes
	// within a few milliseconds of each other; waiting this long lets them
	// share the first list request.
	defaultCoalesceWindow = 20 * time.Millisecond
	// defaultSnapshotTTL bounds how old a listed copy may be when it answers
	// a read. A refresh of hundreds of objects runs in a few seconds, and
	// each read is then as fresh as a one-GET-per-resource refresh would be
	// somewhere in its run.
	defaultSnapshotTTL = 15 * time.Second
)

// lists shares one list request per key (an environment's databases, a
// database's backups) among the reads that want it: reads arriving while
// the key's list is being collected or is in flight share it (single
// flight per key), and its result answers later reads for ttl, until this
// process changes something under the key (forget).
type lists[T any] struct {
	// what names a key's list in errors and logs: "databases of environment".
	what  string
	fetch func(ctx context.Context, key string) ([]T, error)
	id    func(*T) string
	// batch false: every read is its own request (the provider's
	// batch_reads), for debugging.
	batch bool

	window time.Duration
	ttl    time.Duration

	mu   sync.Mutex
	keys map[string]*keyReads[T]
	// home is the key each row ever listed was listed under (a database's
	// environment, a backup's database), so a write that names only a row
	// finds the list that holds it. Rows never move between keys.
	home map[string]string
}

// keyReads is one key's last list and the list being made.
type keyReads[T any] struct {
	snap   *listing[T] // last list that answered (see fly); nil until one arrives
	flight *listing[T] // collecting or in flight; nil when idle
}

// listing is one list request and, once done is closed, its outcome.
type listing[T any] struct {
	done  chan struct{}
	all   []T // as listed; shared, read-only
	byID  map[string]*T
	at    time.Time
	err   error // a 404 (the key's object is gone) is an answer too, kept like a list
	stale bool  // forgotten while in flight: may predate a change, so never cached
}

func newLists[T any](what string, fetch func(context.Context, string) ([]T, error), id func(*T) string, batch bool) *lists[T] {
	return &lists[T]{what: what, fetch: fetch, id: id, batch: batch, window: defaultCoalesceWindow, ttl: defaultSnapshotTTL,
		keys: map[string]*keyReads[T]{}, home: map[string]string{}}
}

// fresh returns the key's snapshot while it is young enough, else nil.
// Call with mu held.
func (l *lists[T]) fresh(key string) *listing[T] {
	k := l.keys[key]
	if k == nil || k.snap == nil || time.Since(k.snap.at) > l.ttl {
		return nil
	}
	return k.snap
}

// current is the key's fresh snapshot, or the list reads share.
func (l *lists[T]) current(ctx context.Context, key string) (*listing[T], error) {
	l.mu.Lock()
	snap := l.fresh(key)
	l.mu.Unlock()
	if snap != nil {
		return snap, snap.err
	}
	return l.join(ctx, key)
}

// lookup finds id under key. Nil with no error means the list does not
// hold it; the caller confirms.
func (l *lists[T]) lookup(ctx context.Context, key, id string) (*T, error) {
	got, err := l.current(ctx, key)
	if err != nil {
		return nil, err
	}
	return got.byID[id], nil
}

// List returns everything under key (an environment's databases as the
// platform lists them, by name; a database's backups, newest first), from
// a fresh snapshot or the list reads share; without batching, from a
// request of its own. The slice is shared: read it, never change it.
func (l *lists[T]) List(ctx context.Context, key string) ([]T, error) {
	if !l.batch {
		return l.fetch(ctx, key)
	}
	got, err := l.current(ctx, key)
	if err != nil {
		return nil, err
	}
	return got.all, nil
}

// forget drops what is known under key, so reads after a change this
// process made there never see a list from before it. Only the readers'
// write hook calls it (see listsChangedBy).
func (l *lists[T]) forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forgetLocked(key)
}

func (l *lists[T]) forgetLocked(key string) {
	if k := l.keys[key]; k != nil {
		k.snap = nil
		if k.flight != nil {
			// Readers from now on start a list of their own.
			k.flight.stale = true
			k.flight = nil
		}
	}
}

// forgetRow drops the list that holds row id. A row no list has shown
// yet is in no snapshot (every listed row is in home), but it may be in
// a list still in flight: those are dropped, whatever their key.
func (l *lists[T]) forgetRow(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if key, ok := l.home[id]; ok {
		l.forgetLocked(key)
		return
	}
	for key, k := range l.keys {
		if k.flight != nil {
			l.forgetLocked(key)
		}
	}
}

// forgetAll drops every key's list.
func (l *lists[T]) forgetAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for key := range l.keys {
		l.forgetLocked(key)
	}
}

// homeOf is the key row id was listed under, or "".
func (l *lists[T]) homeOf(id string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.home[id]
}

// join waits for the key's current list, starting one if none is being
// collected or in flight. A waiter whose ctx ends stops waiting; the list
// goes on for the others.
func (l *lists[T]) join(ctx context.Context, key string) (*listing[T], error) {
	l.mu.Lock()
	k := l.keys[key]
	if k == nil {
		k = &keyReads[T]{}
		l.keys[key] = k
	}
	f := k.flight
	if f == nil {
		f = &listing[T]{done: make(chan struct{})}
		k.flight = f
		// Detached from this caller's cancellation, which must not fail the
		// other waiters, but keeping its logger and log masks.
		fctx, release := protocol.Outlive(ctx)
		go func() {
			defer release()
			l.fly(fctx, key, k, f)
		}()
	}
	l.mu.Unlock()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("listing %s %s: %w", l.what, key, ctx.Err())
	case <-f.done:
		return f, f.err
	}
}

// joinFresh is join, but never returns a list that was already in flight
// when it was called.
func (l *lists[T]) joinFresh(ctx context.Context, key string) (*listing[T], error) {
	l.mu.Lock()
	var prior *listing[T]
	if k := l.keys[key]; k != nil {
		prior = k.flight
	}
	l.mu.Unlock()
	if prior != nil {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-prior.done:
		}
	}
	return l.join(ctx, key)
}

// fly waits the coalescing window, lists the key once and hands the result
// to every waiter.
func (l *lists[T]) fly(ctx context.Context, key string, k *keyReads[T], f *listing[T]) {
	if l.window > 0 {
		time.Sleep(l.window)
	}
	all, err := l.fetch(ctx, key)
	l.mu.Lock()
	defer l.mu.Unlock()
	f.at, f.err = time.Now(), err
	if err == nil {
		f.all, f.byID = all, l.index(all)
		for id := range f.byID {
			l.home[id] = key
		}
		tflog.Debug(ctx, "listed platform "+l.what+" for batched reads", map[string]any{"key": key, "count": len(all)})
	}
	// A 404 says the key's object (a database, for its backups) is gone:
	// as definite as a list, so later reads take it from the snapshot
	// instead of each asking again. Other errors may pass; they are not kept.
	if (err == nil || client.IsNotFound(err)) && !f.stale {
		k.snap = f
	}
	if k.flight == f {
		k.flight = nil
	}
	close(f.done)
}

func (l *lists[T]) index(all []T) map[string]*T {
	byID := make(map[string]*T, len(all))
	for i := range all {
		byID[l.id(&all[i])] = &all[i]
	}
	return byID
}
