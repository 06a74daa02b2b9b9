package client

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The fuzz targets below run their seeds in every `go test`; `make fuzz`
// explores each for a bounded time. They cover everything the client
// decodes from the platform: error envelopes, success bodies, retry-after.

const fuzzSecret = "bport_pat_FUZZ_SECRET_0123456789"

func FuzzParseAPIError(f *testing.F) {
	for _, seed := range []string{
		`{"code":"CONFLICT","message":"Database with this name already exists","requestId":"req-z"}`,
		`{"code":"VALIDATION_ERROR","message":"Invalid input","requestId":"req-16","details":[{"code":"invalid_type","path":["name"],"message":"m"},{"path":["pgDumpOptions","clean"],"message":"x"}]}`,
		`{"code":"READONLY_FIELD","message":"m","field":"environmentId","hint":"h"}`,
		`{"code":"X","details":[{"path":[0,{"a":1},null,"x"]},{"path":"name"},7,null]}`,
		`{"message":"echo ` + fuzzSecret + `","hint":"` + fuzzSecret + `"}`,
		`<html><body>502 Bad Gateway ` + fuzzSecret + `</body></html>`,
		"", "null", `{"details":{}}`, "\xff\xfe",
	} {
		f.Add(500, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseAPIError(status, body, []string{fuzzSecret})
		if e == nil || e.Status != status {
			t.Fatalf("parseAPIError lost the status: %+v", e)
		}
		msg := e.Error()
		if msg == "" {
			t.Fatal("empty error message")
		}
		if strings.Contains(msg, fuzzSecret) || strings.Contains(e.Hint, fuzzSecret) {
			t.Fatalf("the secret leaked into the error: %q", msg)
		}
	})
}

func FuzzDecodeDatabase(f *testing.F) {
	for _, seed := range []string{
		`{"database":{"id":"c1","name":"orders","type":"postgres","port":5432,"pgDumpOptions":{"noOwner":true},"_count":{"backups":0}}}`,
		`{"database":null}`, `{"database":{"port":5432.7}}`, `{"database":{"port":"5432"}}`,
		`{"databases":[{"id":"a"}],"total":-1}`, `[]`, `{"database":{"pgDumpOptions":[]}}`, "",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		cl := &call{method: http.MethodGet, path: "/api/databases/x"}
		var one databaseEnvelope
		if err := decodeBody(cl, body, &one); err == nil && one.Database != nil {
			if _, err := json.Marshal(one.Database); err != nil {
				t.Fatalf("decoded database does not re-encode: %v", err)
			}
		}
		var page DatabasePage
		_ = decodeBody(cl, body, &page)
	})
}

func FuzzRedactBody(f *testing.F) {
	for _, seed := range []string{"hunter2-password", "", "***", `"quoted"`, "ünïcode", "\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, secret string) {
		body, err := json.Marshal(map[string]any{"name": "n", "username": secret, "password": secret,
			"nested": []any{map[string]any{"sshPrivateKey": secret}}})
		if err != nil {
			t.Skip()
		}
		got := redactBody(body)
		want := `{"name":"n","nested":[{"sshPrivateKey":"***"}],"password":"***","username":"***"}`
		if got != want {
			t.Fatalf("redactBody = %s, want %s", got, want)
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	for _, seed := range []string{"1", "58", "0", "-3", "", "Wed, 21 Oct 2015 07:28:00 GMT", "9223372036854775807", "99999999999", " 7 "} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		d, ok := retryAfter(h, now)
		if ok && (d < 0 || d > maxRetryAfter) {
			t.Fatalf("retry-after %q gave a wait of %s", v, d)
		}
	})
}
