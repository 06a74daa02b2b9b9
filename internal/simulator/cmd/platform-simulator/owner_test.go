package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// startRun runs the command with args and returns its endpoint; it stops
// when the test ends.
func startRun(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-listen", "127.0.0.1:0", "-rate-limit", "0"}, args...), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exit code %d", code)
			}
		case <-time.After(5 * time.Second):
			t.Error("did not stop on cancel")
		}
	})
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatal("no output")
	}
	url, ok := strings.CutPrefix(lines.Text(), "platform-simulator listening on ")
	if !ok {
		t.Fatalf("first line %q", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return url
}

// meUser is the user part of GET /api/auth/me for token.
func meUser(t *testing.T, url, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/api/auth/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct {
		User map[string]any `json:"user"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/api/auth/me for %s: %d %v", token, resp.StatusCode, err)
	}
	return me.User
}

// TestDefaultTokensAreServiceAccounts: the command's tokens are what a
// provider run meets on the platform, service accounts' ones;
// -tokens-as-users makes every one of them, scoped ones too, a user's.
func TestDefaultTokensAreServiceAccounts(t *testing.T) {
	flagTokens := []string{defaultAdminToken, defaultOperatorToken, defaultViewerToken, "sc"}
	url := startRun(t, "-scoped-token", "sc:viewer:default")
	for _, tok := range flagTokens {
		if u := meUser(t, url, tok); u["serviceAccountId"] == nil || !strings.HasPrefix(u["id"].(string), "sa:") {
			t.Errorf("%s is no service account's: %v", tok, u)
		}
	}
	url = startRun(t, "-scoped-token", "sc:viewer:default", "-tokens-as-users")
	for _, tok := range flagTokens {
		if u := meUser(t, url, tok); u["serviceAccountId"] != nil || strings.HasPrefix(u["id"].(string), "sa:") {
			t.Errorf("with -tokens-as-users %s is a service account's: %v", tok, u)
		}
	}
}

// TestSeedTokenOwner: a seed token is a service account's unless it says
// "user": true, and cannot be both.
func TestSeedTokenOwner(t *testing.T) {
	f, err := readSeed(writeSeed(t, `{"tokens": [{"value": "bot", "role": "operator"},
		{"value": "ada", "role": "operator", "user": true}, {"value": "ci", "role": "viewer", "serviceAccount": "ci"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := applySeed(simulator.New(simulator.Options{}), f, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if bot, ada, ci := got.tokens[0], got.tokens[1], got.tokens[2]; bot.User || !ada.User || ci.User || ci.ServiceAccount != "ci" {
		t.Errorf("tokens %+v", got.tokens)
	}
	f, err = readSeed(writeSeed(t, `{"tokens": [{"value": "t", "role": "viewer", "user": true, "serviceAccount": "ci"}]}`))
	if err == nil {
		_, err = applySeed(simulator.New(simulator.Options{}), f, time.Now())
	}
	if err == nil || !strings.Contains(err.Error(), `token "t"`) {
		t.Errorf("a token of a user and a service account: %v", err)
	}
}
