package client

import (
	"context"
	"net/http"
)

// ListEnvironments lists the environments the token may see (only its own
// for a scoped token).
func (c *Client) ListEnvironments(ctx context.Context) ([]Environment, error) {
	var out struct {
		Environments []Environment `json:"environments"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: apiPath("environments")}, &out); err != nil {
		return nil, err
	}
	if out.Environments == nil {
		return []Environment{}, nil
	}
	return out.Environments, nil
}

// GetEnvironment reads one environment; 404 (IsNotFound) when unknown.
func (c *Client) GetEnvironment(ctx context.Context, id string) (*Environment, error) {
	if err := requireIDs("environment id", id); err != nil {
		return nil, err
	}
	var out struct {
		Environment *Environment `json:"environment"`
	}
	cl := call{method: http.MethodGet, path: apiPath("environments", id)}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Environment == nil {
		return nil, missingObject(&cl, "environment")
	}
	return out.Environment, nil
}
