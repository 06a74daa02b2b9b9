package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	// DefaultStartupTimeout bounds the token check a provider makes when it
	// starts. A mistyped endpoint or a firewall that drops packets should
	// fail a plan in seconds; a platform that is restarting is usually back
	// within that time.
	DefaultStartupTimeout = 15 * time.Second
	// StartupAttemptShare: each attempt of the start-up check may take this
	// fraction of its time, so a server that accepts connections and never
	// answers is still tried more than once.
	StartupAttemptShare = 3
)

// CheckToken is Me under a start-up bound: the whole check, retries
// included, ends within within, each attempt after within/3 (at most
// Config.RequestTimeout). Each retry is logged at WARN as it happens.
//
// The rate limit with retry-after (a 429, or BridgePort 2.x's 500) is
// waited out once beyond the bound: it proves the platform is there, and
// its rate limit is shared with every other client on this address (a
// previous run may have spent the window).
func (c *Client) CheckToken(ctx context.Context, within time.Duration) (*Me, error) {
	me, err := c.checkTokenWithin(ctx, within)
	apiErr, ok := AsAPIError(err)
	if !ok || !IsRateLimited(err) || apiErr.RetryAfter <= 0 {
		return me, err
	}
	tflog.Warn(ctx, fmt.Sprintf("platform rate limit used up at start-up; waiting %s as the platform asks before checking the token again",
		formatWait(apiErr.RetryAfter)), map[string]any{"wait": formatWait(apiErr.RetryAfter)})
	if c.sleep(ctx, apiErr.RetryAfter) != nil {
		return nil, err
	}
	return c.checkTokenWithin(ctx, within)
}

func (c *Client) checkTokenWithin(ctx context.Context, within time.Duration) (*Me, error) {
	// The deadline is taken from c.now so that tests with a fake clock see
	// the bound the way a real run does.
	ctx, cancel := context.WithDeadline(ctx, c.now().Add(within))
	defer cancel()
	var out meResponse
	cl := call{method: http.MethodGet, path: apiPath("auth", "me"), timeout: within / StartupAttemptShare}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	return out.me(), nil
}
