package simulator

import (
	"slices"
	"strings"
	"testing"
)

// ownerHarness adds, beside the harness's tokens, a default token ("plain"),
// a personal one ("mine") and two of one named service account.
func ownerHarness(t *testing.T) (*harness, string) {
	h := newHarness(t, func(o *Options) {
		o.Tokens = append(o.Tokens, Token{Value: "plain", Role: RoleOperator}, Token{Value: "mine", Role: RoleOperator, User: true},
			Token{Value: "ci-1", Role: RoleOperator, ServiceAccount: "ci"}, Token{Value: "ci-2", Role: RoleViewer, ServiceAccount: "ci"})
	})
	id := h.createDB(`{"name":"lite","type":"sqlite","filePath":"/data/a.db"}`)
	return h, id
}

// TestTokenOwner_defaultIsAServiceAccount: a token that names no owner acts
// as the platform's automation tokens do, a service account's.
func TestTokenOwner_defaultIsAServiceAccount(t *testing.T) {
	h, id := ownerHarness(t)
	me := h.mustCall("GET", "/api/auth/me", "plain", nil)
	me.expectOK(t)
	sa := me.str("user", "serviceAccountId")
	if sa == "" || me.str("user", "id") != "sa:"+sa {
		t.Fatalf("a default token is no service account's: %s", me.raw)
	}
	name := me.str("user", "name")
	if !strings.HasPrefix(name, "simulator-token-") || me.str("user", "email") != name+"@service-account.local" {
		t.Errorf("made-up account: %s", me.raw)
	}
	want := []string{"id", "email", "name", "role", "apiTokenId", "serviceAccountId", "scope"}
	if got := objectKeys(t, me.raw, "user"); !slices.Equal(got, want) {
		t.Errorf("user keys %v, want the platform's %v", got, want)
	}

	bid := h.mustCall("POST", "/api/databases/"+id+"/backups", "plain", nil).str("backupId")
	h.mustCall("GET", "/api/databases/"+id+"/backups", "plain", nil).expectFields(t,
		map[string]any{"backups.0.id": bid, "backups.0.triggeredById": nil, "backups.0.triggeredBy": nil})
	h.mustCall("GET", "/api/backups/"+bid, "plain", nil).expectFields(t,
		map[string]any{"backup.triggeredById": nil, "backup.triggeredBy": nil})
	h.mustCall("PUT", "/api/databases/"+id+"/backups/"+bid+"/pin", "plain", `{"pinned":true}`).expectFields(t,
		map[string]any{"backup.isPinned": true, "backup.pinnedById": nil})
}

// TestTokenOwner_personal: a token a user owns reports that user and
// records them on what it starts and pins.
func TestTokenOwner_personal(t *testing.T) {
	h, id := ownerHarness(t)
	me := h.mustCall("GET", "/api/auth/me", "mine", nil)
	me.expectOK(t)
	user := me.str("user", "id")
	if user == "" || strings.HasPrefix(user, "sa:") || me.has("user", "serviceAccountId") {
		t.Fatalf("a personal token reports a service account: %s", me.raw)
	}
	if !strings.HasSuffix(me.str("user", "email"), "@platform-simulator.local") {
		t.Errorf("made-up user: %s", me.raw)
	}

	bid := h.mustCall("POST", "/api/databases/"+id+"/backups", "mine", nil).str("backupId")
	h.mustCall("GET", "/api/databases/"+id+"/backups", "mine", nil).expectFields(t,
		map[string]any{"backups.0.id": bid, "backups.0.triggeredById": user, "backups.0.triggeredBy.id": user,
			"backups.0.triggeredBy.email": me.str("user", "email"), "backups.0.triggeredBy.name": me.str("user", "name")})
	h.mustCall("PUT", "/api/databases/"+id+"/backups/"+bid+"/pin", "mine", `{"pinned":true}`).expectFields(t,
		map[string]any{"backup.pinnedById": user, "backup.triggeredById": user})
}

// TestTokenOwner_oneAccountManyTokens: tokens naming the same service
// account are that one account, others are not.
func TestTokenOwner_oneAccountManyTokens(t *testing.T) {
	h, _ := ownerHarness(t)
	account := func(token string) string {
		return h.mustCall("GET", "/api/auth/me", token, nil).str("user", "serviceAccountId")
	}
	if a, b := account("ci-1"), account("ci-2"); a == "" || a != b {
		t.Errorf("two tokens of account ci: %q and %q", a, b)
	}
	if a, b := account("ci-1"), account("plain"); a == b {
		t.Errorf("accounts ci and the made-up one share id %q", a)
	}
}

// TestTokenOwner_serviceAccountAndUserPanics: a token cannot be owned
// twice; a silent pick would test one owner while the author meant the
// other.
func TestTokenOwner_serviceAccountAndUserPanics(t *testing.T) {
	for _, tok := range []Token{{Value: "x", ServiceAccount: "ci", User: true}, {Value: "x", ServiceAccount: "ci", Email: "a@b"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddToken(%+v) did not panic", tok)
				}
			}()
			New(Options{}).AddToken(tok)
		}()
	}
}
