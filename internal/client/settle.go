package client

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// settleTimeout bounds the replay that settles an interrupted create.
const settleTimeout = 30 * time.Second

// createOnce sends a creating POST (one that carries its own fresh
// Idempotency-Key) through send, and settles it when the caller's context
// ends while an attempt's answer is outstanding or was lost: the platform
// keeps processing a request whose client went away, so the object may
// exist without anyone knowing its id. what names the object for the logs
// and the error ("a database", "a backup").
//
// A settled create returns the object together with the context's error,
// so the caller can record what the platform made instead of orphaning it.
func createOnce[T any](ctx context.Context, c *Client, cl call, what string,
	send func(context.Context, call) (T, error)) (T, error) {
	cl.unanswered = new(atomic.Bool)
	out, err := send(ctx, cl)
	// Only an attempt whose answer was lost can have created something
	// unseen: a 429 or 503 that was read did nothing the key remembers.
	if err == nil || ctx.Err() == nil || !cl.unanswered.Load() {
		return out, err
	}
	return settle(ctx, c, cl, what, err, send)
}

// settle sends the same Idempotency-Key once more, on a short context of
// its own: the platform replays the first answer if it acted on it, or
// acts now. Either way the caller learns the object's id.
func settle[T any](ctx context.Context, c *Client, cl call, what string, cause error,
	send func(context.Context, call) (T, error)) (T, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	cl.unanswered = nil
	tflog.Warn(ctx, "create interrupted after it was sent; replaying its Idempotency-Key to learn whether "+what+" exists",
		map[string]any{"path": cl.target(), "cause": cause.Error()})
	out, err := send(sctx, cl)
	for attempt := 1; keyInProgress(err); attempt++ {
		// The first attempt is still running on the platform; its answer
		// will be replayed once it finishes.
		if c.sleep(sctx, c.backoff(attempt)) != nil {
			break
		}
		out, err = send(sctx, cl)
	}
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%w (settling the interrupted create also failed, so %s may exist on the platform "+
			"that Terraform does not know about: %v)", cause, what, err)
	}
	return out, cause
}

// keyInProgress: the platform is still working on the first request that
// carried this Idempotency-Key.
func keyInProgress(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.Status == http.StatusConflict && e.Field == "Idempotency-Key" && e.Code == api.CodeConflict
}
