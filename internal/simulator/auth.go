package simulator

import (
	"fmt"
	"strings"
	"sync"
)

type tokenEntry struct {
	Token
	userID           string
	serviceAccountID string // empty for a personal token
	tokenID          string
	n                int
}

// actorID is the user a write is recorded against: none for a service
// account, whose "sa:" id is no user's (the platform stores null).
func (t *tokenEntry) actorID() *string {
	if t.serviceAccountID != "" {
		return nil
	}
	return ptr(t.userID)
}

// userRef is a user as the backup list embeds it (triggeredBy).
type userRef struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// actor is the user behind the token, nil for a service account.
func (t *tokenEntry) actor() *userRef {
	if t.serviceAccountID != "" {
		return nil
	}
	return &userRef{ID: t.userID, Email: t.email(), Name: t.name()}
}

// email and name are the user's for a personal token and the platform's
// synthetic user for a service account's.
func (t *tokenEntry) email() string {
	if t.serviceAccountID != "" {
		return t.accountName() + "@service-account.local"
	}
	return orString(t.Email, fmt.Sprintf("token-%d@platform-simulator.local", t.n))
}

func (t *tokenEntry) name() string {
	if t.serviceAccountID != "" {
		return t.accountName()
	}
	return orString(t.Name, fmt.Sprintf("Simulator token %d", t.n))
}

func (t *tokenEntry) accountName() string {
	return orString(t.ServiceAccount, fmt.Sprintf("simulator-token-%d", t.n))
}

type authStore struct {
	mu     sync.RWMutex
	tokens map[string]*tokenEntry
	// accounts are the service accounts' ids by name: one account may own
	// several tokens, as on the platform.
	accounts map[string]string
	n        int
}

func newAuthStore() *authStore {
	return &authStore{tokens: map[string]*tokenEntry{}, accounts: map[string]string{}}
}

func (a *authStore) add(t Token, id string) {
	if t.ServiceAccount != "" && t.ownedByUser() {
		panic(fmt.Sprintf("simulator: token %q names both service account %q and a user", t.Value, t.ServiceAccount))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	t.Environments = append([]string(nil), t.Environments...)
	e := &tokenEntry{Token: t, userID: "u" + id[1:], tokenID: id, n: a.n}
	if !t.ownedByUser() {
		name := e.accountName()
		if a.accounts[name] == "" {
			a.accounts[name] = "s" + id[1:]
		}
		e.serviceAccountID = a.accounts[name]
	}
	a.tokens[t.Value] = e
}

func (a *authStore) revoke(value string) {
	a.mu.Lock()
	delete(a.tokens, value)
	a.mu.Unlock()
}

func (a *authStore) lookup(value string) (*tokenEntry, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	t, ok := a.tokens[value]
	return t, ok
}

// principal is the authenticated caller of one request.
type principal struct {
	token  *tokenEntry
	scoped bool
	envIDs []string // the environments a scoped token may use
}

// authenticate accepts exactly "Bearer <token>" (the real server checks the
// prefix case-sensitively); anything else is the same bare 401.
func (s *Simulator) authenticate(header string) (*principal, *APIError) {
	value, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return nil, errUnauthorized()
	}
	t, ok := s.auth.lookup(value)
	if !ok {
		return nil, errUnauthorized()
	}
	p := &principal{token: t, scoped: len(t.Environments) > 0}
	if p.scoped {
		p.envIDs = s.resolveEnvironments(t.Environments)
	}
	return p, nil
}

// resolveEnvironments maps a scoped token's environment names (or ids) to
// ids at request time, so environments created later are picked up.
func (s *Simulator) resolveEnvironments(refs []string) []string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	ids := []string{}
	for _, ref := range refs {
		if id, ok := s.store.envByName[ref]; ok {
			ids = append(ids, id)
		} else if _, ok := s.store.envs[ref]; ok {
			ids = append(ids, ref)
		}
	}
	return ids
}

func (p *principal) mayUse(envID string) bool {
	if !p.scoped {
		return true
	}
	for _, id := range p.envIDs {
		if id == envID {
			return true
		}
	}
	return false
}

// scopeExempt are the introspection routes env-scoped tokens may always call.
var scopeExempt = map[string]bool{
	"GET /api/auth/me":      true,
	"GET /api/environments": true,
}

// checkScope follows the real authenticate hook: routes under
// /api/environments/{id}/ are checked against the token's environments,
// every other route is "global" and refused to env-scoped tokens, which is
// why scoped tokens cannot use /api/databases/{id} at all.
func checkScope(p *principal, q *request) *APIError {
	if !p.scoped || scopeExempt[q.route.key()] {
		return nil
	}
	if strings.HasPrefix(q.route.pattern, "/api/environments/") {
		envID := q.params["envId"]
		if envID == "" {
			envID = q.params["id"]
		}
		if p.mayUse(envID) {
			return nil
		}
		return errForbiddenScope("Token is not scoped to this environment")
	}
	return errForbiddenScope("Token is scoped to specific environments and cannot access global resources")
}

// checkRole: scope is checked first, then the role for any non-read method.
func checkRole(p *principal, q *request) *APIError {
	switch q.http.Method {
	case "GET", "HEAD", "OPTIONS":
	default:
		if p.token.Role != RoleAdmin && p.token.Role != RoleOperator && !q.route.viewerOK {
			return errForbiddenRole()
		}
	}
	if q.route.adminOnly && p.token.Role != RoleAdmin {
		// requireAdmin on the route itself: a role refusal with its own text
		// (observed for an operator's DELETE /api/environments/{id}).
		return errForbiddenAdmin()
	}
	return nil
}

type meScope struct {
	AllEnvironments bool     `json:"allEnvironments"`
	EnvironmentIDs  []string `json:"environmentIds"`
}

type meUser struct {
	ID               string  `json:"id"`
	Email            string  `json:"email"`
	Name             string  `json:"name"`
	Role             Role    `json:"role"`
	APITokenID       string  `json:"apiTokenId"`
	ServiceAccountID string  `json:"serviceAccountId,omitempty"`
	Scope            meScope `json:"scope"`
}

type meView struct {
	User         meUser   `json:"user"`
	Role         Role     `json:"role"`
	Environments []string `json:"environments"`
	Scopes       []string `json:"scopes"`
}

func (s *Simulator) handleMe(q *request) reply {
	p := q.who
	envs := p.envIDs
	if !p.scoped {
		envs = s.allEnvironmentIDs()
	}
	scopeIDs := []string{}
	if p.scoped {
		scopeIDs = p.envIDs
	}
	t := p.token
	user := meUser{
		ID:         t.userID,
		Email:      t.email(),
		Name:       t.name(),
		Role:       t.Role,
		APITokenID: t.tokenID,
		Scope:      meScope{AllEnvironments: !p.scoped, EnvironmentIDs: scopeIDs},
	}
	if t.serviceAccountID != "" {
		user.ID, user.ServiceAccountID = "sa:"+t.serviceAccountID, t.serviceAccountID
	}
	return ok(meView{
		User:         user,
		Role:         t.Role,
		Environments: envs,
		Scopes:       scopesFor(t.Role),
	})
}

// scopesFor mirrors the server's advisory scope strings per role.
func scopesFor(role Role) []string {
	resources := []string{"services", "secrets", "servers", "environments"}
	var out []string
	for _, r := range resources {
		out = append(out, r+":read")
	}
	if role == RoleAdmin || role == RoleOperator {
		for _, r := range resources {
			out = append(out, r+":write")
		}
	}
	if role == RoleAdmin {
		out = append(out, "secrets:reveal", "tokens:manage", "admin:*")
	}
	return out
}

func (s *Simulator) allEnvironmentIDs() []string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	ids := []string{}
	for _, e := range s.store.envsInCreationOrder() {
		ids = append(ids, e.ID)
	}
	return ids
}
