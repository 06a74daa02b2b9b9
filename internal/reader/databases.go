// Package reader serves the provider's reads of platform objects from the
// platform's list routes, shared by every resource of a run, instead of one
// request per object.
package reader

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/protocol"
)

// Defaults of the database reader.
const (
	// defaultCoalesceWindow: Terraform starts its (10 parallel) refreshes
	// within a few milliseconds of each other; waiting this long lets them
	// share the first list request.
	defaultCoalesceWindow = 20 * time.Millisecond
	// defaultSnapshotTTL bounds how old a listed copy may be when it answers
	// a read. A refresh of hundreds of databases runs in a few seconds, and
	// each read is then as fresh as a one-GET-per-resource refresh would be
	// somewhere in its run.
	defaultSnapshotTTL = 15 * time.Second
)

// DatabaseAPI is what the reader needs from the client (*client.Client).
type DatabaseAPI interface {
	GetDatabase(ctx context.Context, id string) (*client.Database, error)
	ListAllDatabases(ctx context.Context, envID string, pageSize int) ([]client.Database, error)
}

// Databases serves database reads from one list request per
// environment instead of one GET per database: the platform allows 100
// requests per minute, so 500 GETs would take five minutes. It is also the
// only way to read at all with an environment-scoped token, which the
// platform refuses on every /api/databases/{id} route.
//
// Reads arriving while an environment's list is being collected or is in
// flight share it (single flight per environment); its result answers
// later reads for defaultSnapshotTTL, until this process changes a database
// in that environment (Invalidate). A database missing from a list is
// confirmed before it is reported gone, so a list racing a create or a
// shifting page never drops a live resource.
type Databases struct {
	api DatabaseAPI
	// batch false: every read is its own request (the batch_reads attribute).
	batch bool
	// canGet is false for environment-scoped tokens.
	canGet bool
	// scopeEnvs are where a scoped token looks for an id without an environment.
	scopeEnvs []string
	window    time.Duration
	ttl       time.Duration

	mu   sync.Mutex
	envs map[string]*envReads
}

// envReads is one environment's last list and the list being made.
type envReads struct {
	snap   *listing // last successful list; nil until one arrives
	flight *listing // collecting or in flight; nil when idle
}

// listing is one list request and, once done is closed, its outcome.
type listing struct {
	done  chan struct{}
	all   []client.Database // as listed, sorted by name; shared, read-only
	byID  map[string]*client.Database
	at    time.Time
	err   error
	stale bool // invalidated while in flight: may predate a change, so never cached
}

func NewDatabases(api DatabaseAPI, me *client.Me, batch bool) *Databases {
	r := &Databases{
		api: api, batch: batch, canGet: true,
		window: defaultCoalesceWindow, ttl: defaultSnapshotTTL,
		envs: map[string]*envReads{},
	}
	if me != nil && !me.AllEnvironments {
		r.canGet, r.scopeEnvs = false, me.EnvironmentIDs
	}
	return r
}

// CanGet reports whether the token may read a database by its id
// (environment-scoped tokens may not: the platform refuses them on
// /api/databases/{id}).
func (r *Databases) CanGet() bool { return r.canGet }

// Get returns database id of environment envID ("" when unknown, as after
// an import by id). A database that does not exist is a client 404
// (client.IsNotFound), whichever way it was looked up.
func (r *Databases) Get(ctx context.Context, envID, id string) (*client.Database, error) {
	if envID == "" {
		return r.getWithoutEnv(ctx, id)
	}
	if !r.batch {
		if r.canGet {
			return r.api.GetDatabase(ctx, id)
		}
		return r.listOnce(ctx, envID, id)
	}
	if db, fresh := r.cached(envID, id); db != nil {
		return db, nil
	} else if !fresh {
		l, err := r.join(ctx, envID)
		if err != nil {
			return nil, err
		}
		if db := l.byID[id]; db != nil {
			return db, nil
		}
	}
	return r.confirmMissing(ctx, envID, id)
}

// List returns every database of envID as the platform lists them (sorted
// by name), from the same list reads share. The slice is shared: read it,
// never change it.
func (r *Databases) List(ctx context.Context, envID string) ([]client.Database, error) {
	if !r.batch {
		return r.api.ListAllDatabases(ctx, envID, 0)
	}
	r.mu.Lock()
	e := r.envs[envID]
	if e != nil && e.snap != nil && time.Since(e.snap.at) <= r.ttl {
		all := e.snap.all
		r.mu.Unlock()
		return all, nil
	}
	r.mu.Unlock()
	l, err := r.join(ctx, envID)
	if err != nil {
		return nil, err
	}
	return l.all, nil
}

// Invalidate forgets what is known about envID, so reads after a change
// made by this process never see a list from before it.
func (r *Databases) Invalidate(envID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e := r.envs[envID]; e != nil {
		e.snap = nil
		if e.flight != nil {
			// Readers from now on start a list of their own.
			e.flight.stale = true
			e.flight = nil
		}
	}
}

// cached looks id up in a fresh snapshot. fresh reports whether there was
// one, so a miss in it goes straight to confirmation.
func (r *Databases) cached(envID, id string) (db *client.Database, fresh bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.envs[envID]
	if e == nil || e.snap == nil || time.Since(e.snap.at) > r.ttl {
		return nil, false
	}
	return e.snap.byID[id], true
}

// confirmMissing double-checks a database a list did not show: with a GET,
// or, for a scoped token, with a list started after the miss.
func (r *Databases) confirmMissing(ctx context.Context, envID, id string) (*client.Database, error) {
	if r.canGet {
		return r.api.GetDatabase(ctx, id)
	}
	l, err := r.joinFresh(ctx, envID)
	if err != nil {
		return nil, err
	}
	if db := l.byID[id]; db != nil {
		return db, nil
	}
	return nil, notFound(envID, id)
}

// join waits for the environment's current list, starting one if none is
// being collected or in flight. A waiter whose ctx ends stops waiting; the
// list goes on for the others.
func (r *Databases) join(ctx context.Context, envID string) (*listing, error) {
	r.mu.Lock()
	e := r.envs[envID]
	if e == nil {
		e = &envReads{}
		r.envs[envID] = e
	}
	l := e.flight
	if l == nil {
		l = &listing{done: make(chan struct{})}
		e.flight = l
		// Detached from this caller's cancellation, which must not fail the
		// other waiters, but keeping its logger and log masks.
		fctx, release := protocol.Outlive(ctx)
		go func() {
			defer release()
			r.fly(fctx, envID, e, l)
		}()
	}
	r.mu.Unlock()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("listing databases of environment %s: %w", envID, ctx.Err())
	case <-l.done:
		return l, l.err
	}
}

// joinFresh is join, but never returns a list that was already in flight
// when it was called.
func (r *Databases) joinFresh(ctx context.Context, envID string) (*listing, error) {
	r.mu.Lock()
	var prior *listing
	if e := r.envs[envID]; e != nil {
		prior = e.flight
	}
	r.mu.Unlock()
	if prior != nil {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-prior.done:
		}
	}
	return r.join(ctx, envID)
}

// fly waits the coalescing window, lists the environment once and hands
// the result to every waiter.
func (r *Databases) fly(ctx context.Context, envID string, e *envReads, l *listing) {
	if r.window > 0 {
		time.Sleep(r.window)
	}
	dbs, err := r.api.ListAllDatabases(ctx, envID, 0)
	r.mu.Lock()
	defer r.mu.Unlock()
	l.at, l.err = time.Now(), err
	if err == nil {
		l.all, l.byID = dbs, indexDatabases(dbs)
		if !l.stale {
			e.snap = l
		}
		tflog.Debug(ctx, "listed platform databases for batched reads", map[string]any{
			"environment_id": envID, "count": len(dbs),
		})
	}
	if e.flight == l {
		e.flight = nil
	}
	close(l.done)
}

// listOnce serves a scoped token's read with its own list (batching off).
func (r *Databases) listOnce(ctx context.Context, envID, id string) (*client.Database, error) {
	dbs, err := r.api.ListAllDatabases(ctx, envID, 0)
	if err != nil {
		return nil, err
	}
	if db := indexDatabases(dbs)[id]; db != nil {
		return db, nil
	}
	return nil, notFound(envID, id)
}

// getWithoutEnv: a GET when the token allows it, otherwise a search of
// every environment the scoped token may see.
func (r *Databases) getWithoutEnv(ctx context.Context, id string) (*client.Database, error) {
	if r.canGet {
		return r.api.GetDatabase(ctx, id)
	}
	for _, envID := range r.scopeEnvs {
		db, err := r.Get(ctx, envID, id)
		if err == nil || !client.IsNotFound(err) {
			return db, err
		}
	}
	return nil, notFound("", id)
}

func indexDatabases(dbs []client.Database) map[string]*client.Database {
	byID := make(map[string]*client.Database, len(dbs))
	for i := range dbs {
		byID[dbs[i].ID] = &dbs[i]
	}
	return byID
}

// notFound is the 404 a GET would have answered, so callers treat a
// database missing from a list exactly like one the API reports gone.
func notFound(envID, id string) error {
	msg := "Database not found"
	if envID != "" {
		msg = fmt.Sprintf("Database %s not found in the list of environment %s", id, envID)
	}
	return &client.APIError{Status: 404, Code: api.CodeNotFound, Message: msg}
}
