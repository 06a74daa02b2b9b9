package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

const (
	// defaultPageSize lists a typical environment in one request: the
	// platform has no upper cap on limit, and every request counts against
	// its 100-per-minute rate limit.
	defaultPageSize = 500
	// maxPages stops ListAllDatabases should a server keep raising total.
	maxPages = 10000
	// settleTimeout bounds the replay that settles an interrupted create.
	settleTimeout = 30 * time.Second
)

// databaseEnvelope is how every single-database endpoint wraps its answer.
type databaseEnvelope struct {
	Database *Database `json:"database"`
}

// CreateDatabase creates a database in environment envID. The call carries
// one fresh Idempotency-Key, reused only by its own retries, so a retry
// after a lost response cannot create a second database. When ctx ends
// while an attempt's answer is outstanding or was lost, it returns the
// settled database (see settleCreate) together with the context's error.
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
		unanswered: new(atomic.Bool),
	}
	db, err := c.databaseCall(ctx, cl)
	// Only an attempt whose answer was lost can have created a database
	// unseen: a 429 or 503 that was read did nothing the key remembers.
	if err == nil || ctx.Err() == nil || !cl.unanswered.Load() {
		return db, err
	}
	return c.settleCreate(ctx, cl, err)
}

// settleCreate runs when the caller's context ended (interrupt or timeout)
// after a create attempt left: the platform keeps processing a request
// whose client went away, so the database may exist without anyone knowing
// its id. One more send of the same Idempotency-Key, on a short context of
// its own, learns the outcome: the platform replays the first answer if it
// created the database, or creates it now. Either way the caller gets the
// database to record, together with the original error.
func (c *Client) settleCreate(ctx context.Context, cl call, cause error) (*Database, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	cl.unanswered = nil
	tflog.Warn(ctx, "create interrupted after it was sent; replaying its Idempotency-Key to learn whether the database exists",
		map[string]any{"path": cl.target(), "cause": cause.Error()})
	db, err := c.databaseCall(sctx, cl)
	for attempt := 1; keyInProgress(err); attempt++ {
		// The first attempt is still running on the platform; its answer
		// will be replayed once it finishes.
		if c.sleep(sctx, c.backoff(attempt)) != nil {
			break
		}
		db, err = c.databaseCall(sctx, cl)
	}
	if err != nil {
		return nil, fmt.Errorf("%w (settling the interrupted create also failed, so a database may exist on the platform "+
			"that Terraform does not know about: %v)", cause, err)
	}
	return db, cause
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
	})
}

// DeleteDatabase deletes a database; 404 when already gone, 400 while it
// still has backups.
func (c *Client) DeleteDatabase(ctx context.Context, id string) error {
	if err := requireIDs("database id", id); err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: apiPath("databases", id)}, nil)
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

// keyInProgress: the platform is still working on the first request that
// carried this Idempotency-Key.
func keyInProgress(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.Status == http.StatusConflict && e.Field == "Idempotency-Key" && e.Code == api.CodeConflict
}
