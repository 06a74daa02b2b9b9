package simulator

import "context"

// pingAnswer is test-connection's answer: 200 whether or not the database
// answered. A failure has latencyMs null and an error; a success a
// serverVersion and no error key.
type pingAnswer struct {
	Success       bool    `json:"success"`
	LatencyMs     *int64  `json:"latencyMs"`
	ServerVersion *string `json:"serverVersion,omitempty"`
	Error         *string `json:"error,omitempty"`
}

func pingFailed(message string) pingAnswer {
	return pingAnswer{LatencyMs: nil, Error: &message}
}

// pingDriver is how the platform reaches one database type: the port its
// driver falls back to, the driver's words for a connect timeout, and the
// product name the simulator puts in serverVersion.
type pingDriver struct {
	defaultPort int
	timeout     string
	product     string
}

// pingDrivers are keyed by the database's `type` string, which is what
// the platform switches on (not the bound database type).
var pingDrivers = map[string]pingDriver{
	"postgres": {5432, "timeout expired", "PostgreSQL"},
	"mysql":    {3306, "connect ETIMEDOUT", "MySQL"},
	"redis":    {6379, "connect ETIMEDOUT", "Redis"},
}

// testConnection is POST /api/environments/{envId}/databases/{id}/test-connection.
// The database is read under the lock and dialled outside it.
func (s *Simulator) testConnection(q *request) reply {
	d, e := s.databaseInPath(q)
	if e != nil {
		return q.fail(e)
	}
	return ok(s.ping(q.http.Context(), d))
}

func (s *Simulator) ping(ctx context.Context, d Database) pingAnswer {
	drv, ok := pingDrivers[d.Type]
	if !ok {
		if d.Type == "sqlite" {
			return s.pingSQLite(d)
		}
		return pingFailed("Unsupported database type: " + d.Type)
	}
	r := dial(ctx, hostOrLocalhost(d.Host), portOr(d.Port, drv.defaultPort), s.dialTimeout)
	if r.failure != reached {
		return pingFailed(r.nodeError(drv.timeout))
	}
	ms := max(r.latency.Milliseconds(), 1)
	version := drv.product + " (simulator: TCP connect to " + r.nodeAddress() + ", no handshake)"
	return pingAnswer{Success: true, LatencyMs: &ms, ServerVersion: &version}
}

// pingSQLite: the platform runs sqlite3 on the database's server over SSH
// with the environment's key, which no environment of the simulator has.
func (s *Simulator) pingSQLite(d Database) pingAnswer {
	if d.ServerID == nil {
		return pingFailed("SQLite databases require a server for connection testing")
	}
	return pingFailed("SSH key not configured for environment")
}
