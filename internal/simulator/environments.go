package simulator

import "strings"

// The platform counts different relations per route: the list has
// servers and secrets, GET one adds services and databases, and POST's
// answer has no _count at all.
type envCount struct {
	Servers int `json:"servers"`
	Secrets int `json:"secrets"`
}

type envCountFull struct {
	Servers   int `json:"servers"`
	Services  int `json:"services"`
	Secrets   int `json:"secrets"`
	Databases int `json:"databases"`
}

type envView struct {
	ID            string       `json:"id"`
	Name          string       `json:"name"`
	SSHPrivateKey *string      `json:"sshPrivateKey"`
	CreatedAt     string       `json:"createdAt"`
	UpdatedAt     string       `json:"updatedAt"`
	Servers       []serverView `json:"servers,omitempty"`
	Count         any          `json:"_count,omitempty"`
}

type serverView struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Hostname      string `json:"hostname"`
	EnvironmentID string `json:"environmentId"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
	Services      []any  `json:"services"`
}

var environmentRules = []rule{{name: "name", kind: kindString, required: true, minLen: 1, maxLen: 50}}

// CreateEnvironment creates an environment and returns its id; an existing
// name returns the existing id.
func (s *Simulator) CreateEnvironment(name string) string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if id, ok := s.store.envByName[name]; ok {
		return id
	}
	return s.insertEnvironment(name).ID
}

// EnvironmentID is the id of the named environment, "" if unknown.
func (s *Simulator) EnvironmentID(name string) string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return s.store.envByName[name]
}

// AddServer registers a server in an environment (so a database's serverId
// can point at it) and returns its id; "" if the environment is unknown.
func (s *Simulator) AddServer(envID, name string) string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if s.store.envs[envID] == nil {
		return ""
	}
	sv := &server{ID: s.ids.next(), Name: name, EnvironmentID: envID, CreatedAt: s.now()}
	s.store.servers[sv.ID] = sv
	return sv.ID
}

func (s *Simulator) insertEnvironment(name string) *environment {
	now := s.now()
	e := &environment{ID: s.ids.next(), Name: name, CreatedAt: now, UpdatedAt: now, seq: s.store.nextSeq()}
	s.store.envs[e.ID] = e
	s.store.envByName[name] = e.ID
	return e
}

// envDetail is how much of an environment a route returns.
type envDetail int

const (
	envCreated envDetail = iota // POST: the row alone
	envListed                   // GET /api/environments: plus servers and secrets counted
	envOne                      // GET one: plus its servers, four relations counted
)

func (s *Simulator) envView(e *environment, detail envDetail) envView {
	servers := s.store.serversIn(e.ID)
	v := envView{ID: e.ID, Name: e.Name, CreatedAt: jsTime(e.CreatedAt), UpdatedAt: jsTime(e.UpdatedAt)}
	switch detail {
	case envListed:
		v.Count = envCount{Servers: len(servers)}
	case envOne:
		v.Count = envCountFull{Servers: len(servers), Databases: len(s.store.databasesIn(e.ID))}
		v.Servers = []serverView{}
		for _, sv := range servers {
			v.Servers = append(v.Servers, serverView{ID: sv.ID, Name: sv.Name, Hostname: sv.Name,
				EnvironmentID: sv.EnvironmentID, CreatedAt: jsTime(sv.CreatedAt), UpdatedAt: jsTime(sv.CreatedAt), Services: []any{}})
		}
	}
	return v
}

// listEnvironments shows a scoped token only its own environments.
func (s *Simulator) listEnvironments(q *request) reply {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	out := []envView{}
	for _, e := range s.store.envsSorted() {
		if q.who.mayUse(e.ID) {
			out = append(out, s.envView(e, envListed))
		}
	}
	return ok(map[string]any{"environments": out})
}

func (s *Simulator) getEnvironment(q *request) reply {
	return s.withEnvironment(q, func(e *environment) reply {
		return ok(map[string]any{"environment": s.envView(e, envOne)})
	})
}

func (s *Simulator) createEnvironment(q *request) reply {
	in, issues := validate(q.body, q.hasBody, environmentRules, false)
	if len(issues) > 0 {
		return q.fail(errInvalidInput(issues))
	}
	name, _ := in.str("name")
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if _, dup := s.store.envByName[name]; dup {
		return q.fail(errConflict("Environment already exists"))
	}
	return ok(map[string]any{"environment": s.envView(s.insertEnvironment(strings.Clone(name)), envCreated)})
}

// deleteEnvironment is admin-only and takes everything in the environment
// with it: its databases whatever backups they hold (the refusal of
// DELETE /api/databases/{id} does not apply), their schedules, backups and
// policy overrides, and its servers.
func (s *Simulator) deleteEnvironment(q *request) reply {
	return s.withEnvironment(q, func(e *environment) reply {
		for _, d := range s.store.databasesIn(e.ID) {
			for bid, b := range s.store.backups {
				if b.DatabaseID == d.ID {
					delete(s.store.backups, bid)
				}
			}
			delete(s.store.schedules, d.ID)
			delete(s.store.policies, d.ID)
			delete(s.store.outcomes, d.ID)
			delete(s.store.dbs, d.ID)
		}
		for _, sv := range s.store.serversIn(e.ID) {
			delete(s.store.servers, sv.ID)
		}
		delete(s.store.envByName, e.Name)
		delete(s.store.envs, e.ID)
		return q.done(nil)
	})
}
