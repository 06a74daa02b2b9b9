package simulator

import "strings"

type envCount struct {
	Servers int `json:"servers"`
	Secrets int `json:"secrets"`
}

type envView struct {
	ID            string       `json:"id"`
	Name          string       `json:"name"`
	SSHPrivateKey *string      `json:"sshPrivateKey"`
	CreatedAt     string       `json:"createdAt"`
	UpdatedAt     string       `json:"updatedAt"`
	Servers       []serverView `json:"servers,omitempty"`
	Count         envCount     `json:"_count"`
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

func (s *Simulator) envView(e *environment, withServers bool) envView {
	servers := s.store.serversIn(e.ID)
	v := envView{ID: e.ID, Name: e.Name, CreatedAt: jsTime(e.CreatedAt), UpdatedAt: jsTime(e.UpdatedAt),
		Count: envCount{Servers: len(servers)}}
	if withServers {
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
			out = append(out, s.envView(e, false))
		}
	}
	return ok(map[string]any{"environments": out})
}

func (s *Simulator) getEnvironment(q *request) reply {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	e := s.store.envs[q.params["id"]]
	if e == nil {
		return q.fail(errNotFound("Environment not found"))
	}
	return ok(map[string]any{"environment": s.envView(e, true)})
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
	return ok(map[string]any{"environment": s.envView(s.insertEnvironment(strings.Clone(name)), false)})
}
