package client

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
)

// apiPath joins escaped segments under /api. Ids are opaque strings
// (cuid-like today); escaping keeps an odd one from changing the route.
func apiPath(segments ...string) string {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	return "/api/" + strings.Join(escaped, "/")
}

// requireIDs refuses empty ids before any request: an empty segment would
// address a different route (/api/databases/ lists nothing useful).
func requireIDs(kindAndID ...string) error {
	for i := 0; i+1 < len(kindAndID); i += 2 {
		if kindAndID[i+1] == "" {
			return fmt.Errorf("%s is empty", kindAndID[i])
		}
	}
	return nil
}

// newIdempotencyKey is random per create call, never derived from the
// body: the platform replays a remembered key for 24 h even after the
// database was deleted, answering with the dead id.
func newIdempotencyKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating Idempotency-Key: %w", err)
	}
	return hex.EncodeToString(b), nil
}
