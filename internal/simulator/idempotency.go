package simulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

const (
	idempotencyRetention = 24 * time.Hour
	// idempotencyStale: an in-progress entry older than this belongs to a
	// request that died; a retry takes it over (as the real server does).
	idempotencyStale  = 5 * time.Minute
	maxIdempotencyKey = 200
)

// idempotencyStore remembers POST responses by Idempotency-Key. Like the
// real server's global hook it runs before auth, and scopes each key by a
// hash of the credential, the environment (or database) id in the path and
// the route pattern, so two tokens never share a key.
type idempotencyStore struct {
	mu      sync.Mutex
	entries map[string]*idemEntry
	now     func() time.Time
}

type idemEntry struct {
	bodyHash   string
	inProgress bool
	status     int
	body       []byte
	created    time.Time
	expires    time.Time
}

// idemReservation marks a request that created a fresh entry; finish
// stores its response (2xx) or forgets the key (anything else).
type idemReservation struct {
	key   string
	entry *idemEntry
}

func newIdempotencyStore(now func() time.Time) *idempotencyStore {
	return &idempotencyStore{entries: map[string]*idemEntry{}, now: now}
}

// begin returns (reply, true) when the request is answered from the store:
// a replay, a key reused with another body, a key still in flight, or a
// key that is too long.
func (st *idempotencyStore) begin(q *request) (reply, bool) {
	if q.http.Method != http.MethodPost {
		return reply{}, false // ignored on PATCH, PUT and DELETE
	}
	key := strings.TrimSpace(q.http.Header.Get("Idempotency-Key"))
	if key == "" {
		return reply{}, false
	}
	if jsLength(key) > maxIdempotencyKey {
		return q.fail(&APIError{Status: 400, Code: api.CodeValidation,
			Message: "Idempotency-Key header is too long", Field: "Idempotency-Key"}), true
	}
	auth := q.http.Header.Get("Authorization")
	if strings.TrimSpace(auth) == "" {
		return reply{}, false // credential-less calls are never cached
	}
	stored := scopedKey(auth, q, key)
	hash := bodyHash(q.raw)

	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	if e := st.entries[stored]; e != nil && now.Before(e.expires) {
		if rep, done := e.answer(q, hash, now); done {
			return rep, true
		}
	}
	e := &idemEntry{bodyHash: hash, inProgress: true, created: now, expires: now.Add(idempotencyRetention)}
	st.entries[stored] = e
	q.idem = &idemReservation{key: stored, entry: e}
	return reply{}, false
}

// answer decides what a live entry means for a new request; false means
// the entry is stale and the request takes it over.
func (e *idemEntry) answer(q *request, hash string, now time.Time) (reply, bool) {
	if e.bodyHash != hash {
		return q.fail(&APIError{Status: 409, Code: api.CodeIdempotencyKeyReused,
			Message: "Idempotency-Key was already used with a different request body", Field: "Idempotency-Key"}), true
	}
	if e.inProgress {
		if now.Sub(e.created) > idempotencyStale {
			return reply{}, false
		}
		return q.fail(&APIError{Status: 409, Code: api.CodeConflict,
			Message: "A request with this Idempotency-Key is still in progress",
			Field:   "Idempotency-Key", Hint: "Retry once the original request completes."}), true
	}
	// The replay is the first response verbatim, even if what it created
	// has been deleted since (the contract's "replay after delete" trap).
	h := http.Header{}
	h.Set("Idempotent-Replayed", "true")
	return reply{status: e.status, body: e.body, header: h}, true
}

func (st *idempotencyStore) finish(q *request, rep reply) {
	r := q.idem
	if r == nil {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.entries[r.key] != r.entry {
		return // taken over meanwhile
	}
	if rep.status < 200 || rep.status > 299 {
		delete(st.entries, r.key) // a failed attempt is forgotten
		return
	}
	r.entry.inProgress = false
	r.entry.status = rep.status
	r.entry.body = rep.body
	st.sweep(st.now())
}

func (st *idempotencyStore) sweep(now time.Time) {
	forgetExpired(st.entries, 4096, now, func(e *idemEntry) time.Time { return e.expires })
}

func scopedKey(auth string, q *request, key string) string {
	sum := sha256.Sum256([]byte(auth))
	env := q.params["envId"]
	if env == "" {
		env = q.params["id"]
	}
	if env == "" {
		env = "-"
	}
	return hex.EncodeToString(sum[:8]) + ":" + env + ":" + key + "|" + q.route.key()
}

// bodyHash compares bodies the way the server's JSON.stringify of the
// parsed body does: insignificant whitespace is ignored, key order is not.
func bodyHash(raw []byte) string {
	var buf bytes.Buffer
	if len(bytes.TrimSpace(raw)) == 0 {
		buf.WriteString("null")
	} else if err := json.Compact(&buf, raw); err != nil {
		buf.Write(raw)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}
