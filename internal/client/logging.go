package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxLoggedBody keeps TRACE logs of large lists readable.
const maxLoggedBody = 64 << 10

// sensitiveKeyParts: a JSON string, object or array whose key
// contains one of these is replaced before a body is logged. Besides the
// request's username and password this covers the environment's
// sshPrivateKey, which GET /api/environments returns in clear, and the
// database row's encryptedCredentials and credentialsNonce, which
// GET /api/backups/{id} returns.
var sensitiveKeyParts = []string{"password", "username", "token", "secret", "privatekey", "authorization", "credentialsnonce", "encryptedcredentials"}

// sensitiveFieldKeys are log field names whose values are always masked,
// should anyone ever log them.
var sensitiveFieldKeys = []string{"password", "username", "token", "authorization"}

// logContext masks the token and this call's secrets in every log line
// written with the returned context. Only the client's logs see it; the
// caller's context is not changed.
func (c *Client) logContext(ctx context.Context, secrets []string) context.Context {
	masked := []string{c.token}
	for _, s := range secrets {
		if s != "" {
			masked = append(masked, s)
		}
	}
	ctx = tflog.MaskLogStrings(ctx, masked...)
	return tflog.MaskFieldValuesWithFieldKeys(ctx, sensitiveFieldKeys...)
}

// logRequest never logs headers: the Authorization header is the token.
func (c *Client) logRequest(ctx context.Context, cl *call, payload []byte, attempt int) {
	fields := map[string]any{"method": cl.method, "path": cl.target(), "attempt": attempt}
	if cl.idempotencyKey != "" {
		fields["idempotency_key"] = cl.idempotencyKey
	}
	tflog.Debug(ctx, "platform API request", fields)
	if payload != nil && tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "platform API request body", map[string]any{
			"method": cl.method, "path": cl.target(), "body": redactBody(payload),
		})
	}
}

// logResponse logs the platform's requestId, which appears only in error
// bodies, so a failure can be matched with the server's logs.
func (c *Client) logResponse(ctx context.Context, cl *call, resp *response, attempt int, took time.Duration) {
	fields := map[string]any{
		"method": cl.method, "path": cl.target(), "status": resp.status,
		"duration_ms": took.Milliseconds(), "attempt": attempt,
	}
	if id := requestID(resp); id != "" {
		fields["request_id"] = id
	}
	if v := resp.header.Get("X-Ratelimit-Remaining"); v != "" {
		fields["ratelimit_remaining"] = v
	}
	if resp.header.Get("Idempotent-Replayed") == "true" {
		fields["idempotent_replayed"] = true
	}
	tflog.Debug(ctx, "platform API response", fields)
	if len(resp.body) > 0 && tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "platform API response body", map[string]any{
			"method": cl.method, "path": cl.target(), "status": resp.status, "body": redactBody(resp.body),
		})
	}
}

func (c *Client) logTransportError(ctx context.Context, cl *call, err error, attempt int, took time.Duration) {
	tflog.Debug(ctx, "platform API request failed", map[string]any{
		"method": cl.method, "path": cl.target(), "error": err.Error(),
		"duration_ms": took.Milliseconds(), "attempt": attempt,
	})
}

// logRetry is WARN so that a user wondering why apply is slow sees it.
func (c *Client) logRetry(ctx context.Context, cl *call, resp *response, err error, attempt int, wait time.Duration) {
	fields := map[string]any{
		"method": cl.method, "path": cl.target(), "attempt": attempt,
		"max_attempts": c.maxRetries + 1, "wait": formatWait(wait),
	}
	var msg string
	switch {
	case err != nil:
		fields["error"] = err.Error()
		msg = fmt.Sprintf("platform API request failed (%v); retrying in %s", err, formatWait(wait))
	case rateLimited(resp):
		fields["status"] = resp.status
		msg = fmt.Sprintf("rate limited by the platform API; waiting %s before retrying", formatWait(wait))
	default:
		fields["status"] = resp.status
		msg = fmt.Sprintf("platform API temporarily unavailable (HTTP %d); waiting %s before retrying", resp.status, formatWait(wait))
	}
	tflog.Warn(ctx, msg, fields)
}

func (c *Client) logDeadlineGiveUp(ctx context.Context, cl *call, attempt int, wait time.Duration) {
	tflog.Warn(ctx, fmt.Sprintf("not retrying the platform API request: waiting %s would pass the operation's deadline", formatWait(wait)),
		map[string]any{"method": cl.method, "path": cl.target(), "attempt": attempt, "wait": formatWait(wait)})
}

func formatWait(d time.Duration) string {
	return d.Round(time.Millisecond).String()
}

func requestID(resp *response) string {
	if resp.status < 400 {
		return ""
	}
	var env struct {
		RequestID string `json:"requestId"`
	}
	_ = json.Unmarshal(resp.body, &env)
	return env.RequestID
}

// redactBody renders a JSON body for the log with sensitive values
// replaced; a non-JSON body is logged as is (the masks on the log context
// still hide the token and this call's secrets).
func redactBody(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return truncate(string(body))
	}
	out, err := json.Marshal(redactValue(v, ""))
	if err != nil {
		return "(unloggable body)"
	}
	return truncate(string(out))
}

// redactValue masks sensitive values in place. parent is the key v was
// found under ("" at the top and inside arrays, which keep their parent's).
func redactValue(v any, parent string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			switch {
			case sensitiveKey(k) && maskable(child):
				t[k] = "***"
			case k == "database" && isBackupKey(parent) && isObject(child):
				t[k] = omittedBackupDatabase
			default:
				t[k] = redactValue(child, k)
			}
		}
	case []any:
		for i, child := range t {
			t[i] = redactValue(child, parent)
		}
	}
	return v
}

// omittedBackupDatabase replaces the database row a backup read embeds:
// the platform returns it raw, encrypted credentials, their nonce and the
// environment's SSH private key included, and nothing in it is needed to
// debug a backup.
const omittedBackupDatabase = "(omitted: the backup's database row carries credentials and keys)"

// maskable: a count or flag under a sensitive-looking key (the
// environment's _count.secrets) is no secret; a string, object or array is.
func maskable(v any) bool {
	switch v.(type) {
	case nil, bool, json.Number:
		return false
	}
	return true
}

func isObject(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

func isBackupKey(k string) bool { return k == "backup" || k == "backups" }

func sensitiveKey(k string) bool {
	k = strings.ToLower(k)
	for _, part := range sensitiveKeyParts {
		if strings.Contains(k, part) {
			return true
		}
	}
	return false
}

func truncate(s string) string {
	if len(s) <= maxLoggedBody {
		return s
	}
	return s[:maxLoggedBody] + fmt.Sprintf("… (%d bytes in all)", len(s))
}
