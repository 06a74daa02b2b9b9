package client

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fuzz targets below run their seeds in every `go test`; `make fuzz`
// explores each for a bounded time. They cover everything the client
// decodes from the platform: error envelopes, success bodies, retry-after.
// Each checks a property of the result, not only that nothing panics.

const fuzzSecret = "bport_pat_FUZZ_SECRET_0123456789"

// secretMarker in a fuzzed body stands for fuzzSecret, so that the fuzzer
// can put the secret anywhere (in a key, a value, across a cut) by
// placing one byte.
const secretMarker = "$"

// FuzzParseAPIError: the status survives, the message is never empty, the
// secret appears in no field of the error, and an envelope's code and
// message come through unchanged when they do not carry the secret.
func FuzzParseAPIError(f *testing.F) {
	for _, seed := range []string{
		`{"code":"CONFLICT","message":"Database with this name already exists","requestId":"req-z"}`,
		`{"code":"VALIDATION_ERROR","message":"Invalid input","requestId":"req-16","details":[{"code":"invalid_type","path":["name"],"message":"m"},{"path":["pgDumpOptions","clean"],"message":"x"}]}`,
		`{"code":"READONLY_FIELD","message":"m","field":"environmentId","hint":"h"}`,
		`{"code":"X","details":[{"path":[0,{"a":1},null,"x"]},{"path":"name"},7,null]}`,
		`{"message":"echo $","hint":"$","field":"$","requestId":"$","details":[{"path":["$"],"code":"$","message":"$"}]}`,
		`<html><body>502 Bad Gateway $</body></html>`,
		"<html>" + strings.Repeat("x", maxErrorExcerpt-12) + "$</html>",
		"", "null", `{"details":{}}`, "\xff\xfe",
	} {
		f.Add(500, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, raw []byte) {
		body := bytes.ReplaceAll(raw, []byte(secretMarker), []byte(fuzzSecret))
		e := parseAPIError(status, body, []string{fuzzSecret})
		if e == nil || e.Status != status {
			t.Fatalf("parseAPIError lost the status: %+v", e)
		}
		msg := e.Error()
		if msg == "" {
			t.Fatal("empty error message")
		}
		all, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(msg, fuzzSecret) || bytes.Contains(all, []byte(fuzzSecret)) {
			t.Fatalf("the secret leaked into the error: %q / %s", msg, all)
		}
		// A cut excerpt must not end in most of the secret either.
		if excerpt, cut := strings.CutSuffix(e.Message, "…"); cut {
			for n := len(fuzzSecret) - 1; n >= len(fuzzSecret)/2; n-- {
				if strings.HasSuffix(excerpt, fuzzSecret[:n]) {
					t.Fatalf("the excerpt ends in %d of the secret's %d characters: %q", n, len(fuzzSecret), e.Message)
				}
			}
		}
		var env struct{ Code, Message string }
		if json.Unmarshal(body, &env) == nil && (env.Code != "" || env.Message != "") &&
			!strings.Contains(env.Code+env.Message, fuzzSecret) && (e.Code != env.Code || e.Message != env.Message) {
			t.Fatalf("envelope code %q message %q read as %q %q", env.Code, env.Message, e.Code, e.Message)
		}
	})
}

// FuzzDecodeDatabase: whatever decodes re-encodes and decodes to the same
// value, so nothing the provider reads depends on how the platform wrote
// it (spacing, key order, escapes).
func FuzzDecodeDatabase(f *testing.F) {
	for _, seed := range []string{
		`{"database":{"id":"c1","name":"orders","type":"postgres","port":5432,"pgDumpOptions":{"noOwner":true},"_count":{"backups":0}}}`,
		`{"database":null}`, `{"database":{"port":5432.7}}`, `{"database":{"port":"5432"}}`,
		`{"databases":[{"id":"a"}],"total":-1}`, `[]`, `{"database":{"pgDumpOptions":[]}}`, "",
		`{"database":{"name":"caf\u00e9 \ud83d\ude00","lastBackup":{"id":"b","size":"12"},"schedule":{"enabled":true}}}`,
		`{"databases":[{"id":"a","lastBackup":{"size":3}},{"id":"b","databaseType":{"id":"t"}}],"total":2}`,
	} {
		f.Add([]byte(seed))
	}
	cl := &call{method: http.MethodGet, path: "/api/databases/x"}
	f.Fuzz(func(t *testing.T, body []byte) {
		var one databaseEnvelope
		if err := decodeBody(cl, body, &one); err == nil && one.Database != nil {
			roundTrip(t, cl, *one.Database)
		}
		var page DatabasePage
		if err := decodeBody(cl, body, &page); err == nil {
			roundTrip(t, cl, page)
		}
	})
}

func roundTrip[T any](t *testing.T, cl *call, v T) {
	t.Helper()
	encoded, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("decoded %T does not re-encode: %v", v, err)
	}
	var again T
	if err := decodeBody(cl, encoded, &again); err != nil {
		t.Fatalf("re-encoded %T does not decode: %v\n%s", v, err, encoded)
	}
	if !reflect.DeepEqual(v, again) {
		t.Fatalf("%T changed through a round trip:\n first  %+v\n second %+v", v, v, again)
	}
}

// mustMask says, independently of sensitiveKeyParts, which keys hold
// secrets: the request's credentials, the environment's SSH key, the
// database row's encrypted credentials and nonce, tokens of any kind.
func mustMask(key string) bool {
	key = strings.ToLower(key)
	for _, part := range []string{"password", "username", "token", "secret", "privatekey", "authorization",
		"credentialsnonce", "encryptedcredentials"} {
		if strings.Contains(key, part) {
			return true
		}
	}
	return false
}

// FuzzRedactBody: what a body logs does not depend on any string, object
// or array under a key that holds secrets, however deep (so no such value,
// or part of it, can survive), and redacting is idempotent.
func FuzzRedactBody(f *testing.F) {
	for _, seed := range []struct {
		secret, key  string
		depth, shape uint8
	}{
		{"hunter2-password", "password", 0, 0}, {"", "username", 1, 0}, {"***", "sshPrivateKey", 2, 1},
		{`"quoted"`, "X-Auth-Token", 3, 2}, {"ünïcode", "encryptedCredentials", 0, 1}, {"\x00", "PASSWORD", 5, 2},
		{"n", "credentialsNonce", 1, 0}, {"s", "clientSecret", 4, 2}, {"b", "Authorization", 0, 0},
	} {
		f.Add(seed.secret, seed.key, seed.depth, seed.shape)
	}
	f.Fuzz(func(t *testing.T, secret, key string, depth, shape uint8) {
		key = strings.ToValidUTF8(key, "\uFFFD") // as JSON would carry it
		if !mustMask(key) {
			t.Skip("not a key that holds secrets")
		}
		body := func(secret string) []byte {
			var v any
			switch shape % 3 {
			case 0:
				v = secret
			case 1:
				v = map[string]any{"inner": secret}
			case 2:
				v = []any{secret}
			}
			v = map[string]any{key: v, "name": "n"}
			for i := range depth % 8 {
				if i%2 == 0 {
					v = []any{v, "x"}
				} else {
					v = map[string]any{"level": v}
				}
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		got, other := redactBody(body(secret)), redactBody(body("a different value"))
		if got != other {
			t.Fatalf("the log depends on the value under %q:\n %s\n %s", key, got, other)
		}
		if again := redactBody([]byte(got)); again != got {
			t.Fatalf("redacting twice changed the body:\n %s\n %s", got, again)
		}
	})
}

// FuzzRetryAfter: a wait is never negative nor beyond maxRetryAfter,
// whole seconds are taken as they are (clamped), and a header that is
// not understood means no wait rather than a made-up one.
func FuzzRetryAfter(f *testing.F) {
	for _, seed := range []string{"1", "58", "0", "-3", "", "Wed, 21 Oct 2015 07:28:00 GMT", "Thu, 26 Nov 2026 12:00:30 GMT",
		"9223372036854775807", "99999999999", " 7 ", "+5", "1.5", "1e3"} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		d, ok := retryAfter(h, now)
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("retry-after %q gave a wait of %s", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("retry-after %q not understood but gave a wait of %s", v, d)
		}
		trimmed := strings.TrimSpace(h.Get("Retry-After"))
		if secs, err := strconv.ParseInt(trimmed, 10, 64); err == nil {
			want := time.Duration(min(max(secs, 0), int64(maxRetryAfter/time.Second))) * time.Second
			if !ok || d != want {
				t.Fatalf("retry-after %q: %s, %t; want %s", v, d, ok, want)
			}
		}
		if at, err := http.ParseTime(trimmed); err == nil && !ok {
			t.Fatalf("retry-after %q is an HTTP date (%s) but was not understood", v, at)
		}
	})
}
