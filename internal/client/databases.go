package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

const (
	// defaultPageSize lists a typical environment in one request: the
	// platform has no upper cap on limit, and every request counts against
	// its 100-per-minute rate limit.
	defaultPageSize = 500
	// maxPages stops ListAllDatabases should a server keep raising total.
	maxPages = 10000
)

// databaseEnvelope is how every single-database endpoint wraps its answer.
type databaseEnvelope struct {
	Database *Database `json:"database"`
}

// CreateDatabase creates a database in environment envID. The call carries
// one fresh Idempotency-Key, reused only by its own retries, so a retry
// after a lost response cannot create a second database. When ctx ends
// while an attempt's answer is outstanding or was lost, it returns the
// settled database (see createOnce) together with the context's error.
func (c *Client) CreateDatabase(ctx context.Context, envID string, in DatabaseInput) (*Database, error) {
	if err := requireIDs("environment id", envID); err != nil {
		return nil, err
	}
	key, err := newIdempotencyKey()
	if err != nil {
		return nil, err
	}
	cl := call{
		method: http.MethodPost, path: apiPath("environments", envID, "databases"),
		body: in, idempotencyKey: key, secrets: in.secrets(),
		write: &Write{Kind: WriteCreateDatabase, EnvironmentID: envID},
	}
	return createOnce(ctx, c, cl, "a database", c.databaseCall)
}

// GetDatabase reads one database; 404 (IsNotFound) when it is gone, 403
// FORBIDDEN_SCOPE for an environment-scoped token.
func (c *Client) GetDatabase(ctx context.Context, id string) (*Database, error) {
	if err := requireIDs("database id", id); err != nil {
		return nil, err
	}
	return c.databaseCall(ctx, call{method: http.MethodGet, path: apiPath("databases", id)})
}

// UpdateDatabase PATCHes only the fields set in in. Beware the platform
// answers 500, not 404, for an unknown id, and 500, not 409, for a rename
// onto a taken name.
func (c *Client) UpdateDatabase(ctx context.Context, id string, in DatabaseInput) (*Database, error) {
	if err := requireIDs("database id", id); err != nil {
		return nil, err
	}
	return c.databaseCall(ctx, call{
		method: http.MethodPatch, path: apiPath("databases", id), body: in, secrets: in.secrets(),
		write: &Write{Kind: WriteUpdateDatabase, DatabaseID: id},
	})
}

// DeleteDatabase deletes a database; 404 when already gone, 400 while it
// still has backups.
func (c *Client) DeleteDatabase(ctx context.Context, id string) error {
	if err := requireIDs("database id", id); err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: apiPath("databases", id),
		write: &Write{Kind: WriteDeleteDatabase, DatabaseID: id}}, nil)
}

func (c *Client) databaseCall(ctx context.Context, cl call) (*Database, error) {
	var out databaseEnvelope
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Database == nil {
		return nil, missingObject(&cl, "database")
	}
	return out.Database, nil
}

// ListDatabases reads one page, sorted by name. Negative values are refused
// here because the platform answers a negative limit with items from the
// end instead of an error.
func (c *Client) ListDatabases(ctx context.Context, envID string, limit, offset int) (*DatabasePage, error) {
	if err := requireIDs("environment id", envID); err != nil {
		return nil, err
	}
	if limit < 0 || offset < 0 {
		return nil, fmt.Errorf("list databases: limit (%d) and offset (%d) must not be negative", limit, offset)
	}
	cl := call{
		method: http.MethodGet, path: apiPath("environments", envID, "databases"),
		query: url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}},
	}
	var out DatabasePage
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Databases == nil {
		out.Databases = []Database{}
	}
	return &out, nil
}

// ListAllDatabases pages through an environment (pageSize 0 means 500).
// It advances by the items actually received, so a server that caps page
// sizes still works, and fails rather than loop or return a silently short
// list when the server stops before the total it announced.
func (c *Client) ListAllDatabases(ctx context.Context, envID string, pageSize int) ([]Database, error) {
	if pageSize <= 0 {
		pageSize = defaultPageSize
	}
	all := []Database{}
	for range maxPages {
		page, err := c.ListDatabases(ctx, envID, pageSize, len(all))
		if err != nil {
			return nil, err
		}
		all = append(all, page.Databases...)
		if len(all) >= page.Total {
			return all, nil
		}
		if len(page.Databases) == 0 {
			return nil, fmt.Errorf("listing databases of environment %s: the platform announced %d but returned only %d",
				envID, page.Total, len(all))
		}
	}
	return nil, fmt.Errorf("listing databases of environment %s: gave up after %d pages", envID, maxPages)
}
