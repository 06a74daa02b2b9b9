package client

import (
	"context"
	"net/http"
)

// ConnectionTest is the platform's answer to a connection test. The
// platform answers 200 whether or not it reached the database: Success
// says which, and Error carries its driver's message when it did not
// ("connect ECONNREFUSED 127.0.0.1:5432", "timeout expired",
// "Unsupported database type: mongodb").
type ConnectionTest struct {
	Success bool `json:"success"`
	// LatencyMs is null on failure.
	LatencyMs *int64 `json:"latencyMs"`
	// ServerVersion is what the database reported, when the platform says.
	ServerVersion *string `json:"serverVersion"`
	Error         *string `json:"error"`
}

// TestConnection asks the platform to connect to the database with the
// credentials it holds. The route carries the environment id, so an
// environment-scoped token may call it. It changes nothing, so the POST
// carries an Idempotency-Key to make its retries safe under the
// transport's POST rule. The platform's drivers give up after 10 to 22
// seconds, within one attempt's default 30.
func (c *Client) TestConnection(ctx context.Context, envID, dbID string) (*ConnectionTest, error) {
	if err := requireIDs("environment id", envID, "database id", dbID); err != nil {
		return nil, err
	}
	key, err := newIdempotencyKey()
	if err != nil {
		return nil, err
	}
	var out struct {
		ConnectionTest
		Success *bool `json:"success"`
	}
	cl := call{method: http.MethodPost, path: apiPath("environments", envID, "databases", dbID, "test-connection"),
		idempotencyKey: key, asks: true}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Success == nil {
		return nil, missingObject(&cl, "success")
	}
	out.ConnectionTest.Success = *out.Success
	return &out.ConnectionTest, nil
}
