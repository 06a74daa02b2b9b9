// Package reader serves the provider's reads of platform objects from the
// platform's list routes, shared by every resource of a run, instead of one
// request per object.
package reader

import (
	"context"
	"fmt"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
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
// in that environment (see listsChangedBy). A database missing from a list is
// confirmed before it is reported gone, so a list racing a create or a
// shifting page never drops a live resource.
type Databases struct {
	api DatabaseAPI
	// canGet is false for environment-scoped tokens.
	canGet bool
	// scopeEnvs are where a scoped token looks for an id without an environment.
	scopeEnvs []string
	*lists[client.Database]
}

func NewDatabases(api DatabaseAPI, me *client.Me, batch bool) *Databases {
	r := &Databases{api: api, canGet: true}
	r.lists = newLists("databases of environment", func(ctx context.Context, envID string) ([]client.Database, error) {
		return api.ListAllDatabases(ctx, envID, 0)
	}, func(db *client.Database) string { return db.ID }, batch)
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
	db, err := r.lookup(ctx, envID, id)
	if err != nil || db != nil {
		return db, err
	}
	return r.confirmMissing(ctx, envID, id)
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

// listOnce serves a scoped token's read with its own list (batching off).
func (r *Databases) listOnce(ctx context.Context, envID, id string) (*client.Database, error) {
	dbs, err := r.api.ListAllDatabases(ctx, envID, 0)
	if err != nil {
		return nil, err
	}
	for i := range dbs {
		if dbs[i].ID == id {
			return &dbs[i], nil
		}
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

// notFound is the 404 a GET would have answered, so callers treat a
// database missing from a list exactly like one the API reports gone.
func notFound(envID, id string) error {
	msg := "Database not found"
	if envID != "" {
		msg = fmt.Sprintf("Database %s not found in the list of environment %s", id, envID)
	}
	return &client.APIError{Status: 404, Code: api.CodeNotFound, Message: msg}
}
