package simulator

import (
	"net/http"
	"strings"
)

// The platform serves its OpenAPI document at GET /openapi.json, without a
// token, generated from the routes it registered: a release's paths are
// exactly the routes it has, which is how a client can tell "this platform
// has no such route" before it calls one. The simulator's document lists
// the platform routes it serves (its own convenience route left out) and
// /health, each with the platform's summary, tag and path parameters; the
// platform's request and response schemas are left out, and so are the
// routes the simulator does not serve.

// operationDocs are the platform's summary and tag of each platform route
// the simulator serves; a route without an entry is the simulator's own and
// stays out of the document.
var operationDocs = map[string]struct{ tag, summary string }{
	"GET /api/auth/me":                         {"auth", "Introspect the current user, role, environments, and scopes"},
	"GET /api/environments":                    {"environments", "List environments visible to the caller"},
	"POST /api/environments":                   {"environments", "Create an environment (admin only)"},
	"GET /api/environments/{id}":               {"environments", "Get an environment with denormalized child counts"},
	"DELETE /api/environments/{id}":            {"environments", "Delete an environment (admin only)"},
	"GET /api/environments/{envId}/databases":  {"monitoring", "List databases for an environment"},
	"POST /api/environments/{envId}/databases": {"monitoring", "Create a database in an environment"},
	"GET /api/environments/{envId}/databases/monitoring-summary": {"monitoring",
		"Get the monitoring summary for all databases in an environment"},
	"PATCH /api/environments/{envId}/databases/{id}/monitoring":     {"monitoring", "Update monitoring configuration for a database"},
	"POST /api/environments/{envId}/databases/{id}/test-connection": {"monitoring", "Test a database connection (lightweight ping)"},
	"GET /api/databases/{id}":                                       {"monitoring", "Get a database by id"},
	"PATCH /api/databases/{id}":                                     {"monitoring", "Update a database"},
	"DELETE /api/databases/{id}":                                    {"monitoring", "Delete a database (must have no backups)"},
	"GET /api/databases/{id}/backups":                               {"monitoring", "List backups for a database"},
	"POST /api/databases/{id}/backups":                              {"monitoring", "Trigger a backup for a database"},
	"GET /api/backups/{id}":                                         {"monitoring", "Get backup details"},
	"DELETE /api/backups/{id}":                                      {"monitoring", "Delete a backup"},
	"PUT /api/databases/{id}/backups/{backupId}/pin": {"monitoring",
		"Pin or unpin a backup (pinned backups are never pruned by rotation)"},
	"GET /api/databases/{id}/schedule":               {"monitoring", "Get the backup schedule for a database"},
	"PUT /api/databases/{id}/schedule":               {"monitoring", "Set the backup schedule for a database"},
	"DELETE /api/databases/{id}/schedule":            {"monitoring", "Delete the backup schedule for a database"},
	"GET /api/settings/database-types":               {"admin", "List all database types with their commands"},
	"GET /api/settings/database-types/{id}":          {"admin", "Get a single database type"},
	"GET /api/databases/{id}/backup-policy":          {"monitoring", "Get the effective backup retention policy for a database"},
	"PUT /api/databases/{id}/backup-policy":          {"monitoring", "Set or replace the backup retention policy for a database"},
	"DELETE /api/databases/{id}/backup-policy":       {"monitoring", "Revert a database to the global default retention policy"},
	"POST /api/databases/{id}/backup-policy/preview": {"monitoring", "Preview the keep/prune outcome of a backup retention policy"},
	"POST /api/databases/{id}/rotate":                {"monitoring", "Rotate a database's backups now using its current policy"},
}

// openAPIDocument has the platform's top-level keys in its order; info is
// the same in every release ("1.0.0" is the API's version, not the
// platform's).
type openAPIDocument struct {
	OpenAPI    string                                 `json:"openapi"`
	Info       map[string]string                      `json:"info"`
	Components map[string]any                         `json:"components"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Security   []map[string][]string                  `json:"security"`
}

type openAPIOperation struct {
	Summary    string             `json:"summary,omitempty"`
	Tags       []string           `json:"tags,omitempty"`
	Parameters []openAPIParameter `json:"parameters,omitempty"`
	// Responses is set only where the platform documents nothing else
	// (GET /health): the platform's error responses are left out.
	Responses map[string]map[string]string `json:"responses,omitempty"`
}

type openAPIParameter struct {
	Schema   map[string]string `json:"schema"`
	In       string            `json:"in"`
	Name     string            `json:"name"`
	Required bool              `json:"required"`
}

// openAPI is GET (and HEAD) /openapi.json; other methods get the 404 of
// any path outside the API.
func (s *Simulator) openAPI(q *request) reply {
	if q.http.Method != http.MethodGet && q.http.Method != http.MethodHead {
		return q.fail(errRouteNotFound())
	}
	doc := openAPIDocument{
		OpenAPI: "3.0.3",
		Info:    map[string]string{"title": "BRIDGEPORT API", "version": "1.0.0"},
		Components: map[string]any{"securitySchemes": map[string]any{
			"bearerAuth": map[string]string{"type": "http", "scheme": "bearer"}}},
		Paths: map[string]map[string]openAPIOperation{"/health": {"get": {
			Responses: map[string]map[string]string{"200": {"description": "Default Response"}}}}},
		Security: []map[string][]string{{"bearerAuth": {}}},
	}
	for _, r := range s.routes {
		d, platform := operationDocs[r.key()]
		if !platform {
			continue
		}
		op := openAPIOperation{Summary: d.summary, Tags: []string{d.tag}}
		for _, seg := range r.segs {
			if seg[0] == '{' {
				op.Parameters = append(op.Parameters, openAPIParameter{Schema: map[string]string{"type": "string"},
					In: "path", Name: seg[1 : len(seg)-1], Required: true})
			}
		}
		if doc.Paths[r.pattern] == nil {
			doc.Paths[r.pattern] = map[string]openAPIOperation{}
		}
		doc.Paths[r.pattern][strings.ToLower(r.method)] = op
	}
	return ok(doc)
}
