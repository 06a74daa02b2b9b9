package client

import (
	"context"
	"net/http"
)

type meResponse struct {
	User struct {
		ID         string `json:"id"`
		Email      string `json:"email"`
		Name       string `json:"name"`
		Role       string `json:"role"`
		APITokenID string `json:"apiTokenId"`
		Scope      *struct {
			AllEnvironments *bool    `json:"allEnvironments"`
			EnvironmentIDs  []string `json:"environmentIds"`
		} `json:"scope"`
	} `json:"user"`
	Role         string   `json:"role"`
	Environments []string `json:"environments"`
	Scopes       []string `json:"scopes"`
}

// Me identifies the token: its role, and whether it is scoped to some
// environments (then every /api/databases/{id} route answers 403
// FORBIDDEN_SCOPE). Works for every valid token, scoped ones included.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var out meResponse
	if err := c.do(ctx, call{method: http.MethodGet, path: apiPath("auth", "me")}, &out); err != nil {
		return nil, err
	}
	return out.me(), nil
}

// me flattens the answer. A login JWT may carry no scope at all, which
// means no environment restriction.
func (r *meResponse) me() *Me {
	m := &Me{
		Role:            orDefault(r.Role, r.User.Role),
		AllEnvironments: true,
		EnvironmentIDs:  r.Environments,
		UserID:          r.User.ID,
		Email:           r.User.Email,
		Name:            r.User.Name,
		APITokenID:      r.User.APITokenID,
		Scopes:          r.Scopes,
	}
	if s := r.User.Scope; s != nil && s.AllEnvironments != nil && !*s.AllEnvironments {
		m.AllEnvironments = false
		m.EnvironmentIDs = s.EnvironmentIDs
	}
	if m.EnvironmentIDs == nil {
		m.EnvironmentIDs = []string{}
	}
	return m
}
