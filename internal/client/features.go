package client

import (
	"context"
	"net/http"
	"sync"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// routes is the platform's route list, read once per client from its
// /openapi.json when a feature must be checked before a write.
type routes struct {
	mu    sync.Mutex
	paths map[string]bool // nil until read; empty when the platform serves no spec
}

// Supports reports whether the platform has feature f, from the routes its
// /openapi.json lists (one request per client, only when asked). A
// platform that serves no spec is taken to have it: the feature's own
// route then answers for itself (see MissingFeature).
func (c *Client) Supports(ctx context.Context, f api.Feature) (bool, error) {
	c.routes.mu.Lock()
	defer c.routes.mu.Unlock()
	if c.routes.paths == nil {
		var spec struct {
			Paths map[string]any `json:"paths"`
		}
		err := c.do(ctx, call{method: http.MethodGet, path: "/openapi.json"}, &spec)
		switch {
		case IsNotFound(err) || IsRouteMissing(err):
			c.routes.paths = map[string]bool{}
		case err != nil:
			return false, err
		default:
			c.routes.paths = make(map[string]bool, len(spec.Paths))
			for p := range spec.Paths {
				c.routes.paths[p] = true
			}
		}
	}
	if len(c.routes.paths) == 0 {
		return true, nil
	}
	for _, p := range f.Paths {
		if !c.routes.paths[p] {
			return false, nil
		}
	}
	return true, nil
}

// IsRouteMissing: the platform has no route for the request's path (its
// catch-all 404), as a release older than the route's answers. It is not
// IsNotFound: no object is gone.
func IsRouteMissing(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.RouteMissing
}

// MissingFeature is the feature whose route the platform lacks, when err
// is that route's catch-all 404.
func MissingFeature(err error) (api.Feature, bool) {
	e, ok := AsAPIError(err)
	if !ok || !e.RouteMissing {
		return api.Feature{}, false
	}
	return api.FeatureOfPath(e.Path)
}
