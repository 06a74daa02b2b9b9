package simulator

import "strings"

// route is one API endpoint. pattern uses {name} segments, as reported by
// Requests() ("GET /api/databases/{id}").
type route struct {
	method    string
	pattern   string
	segs      []string
	handle    func(*Simulator, *request) reply
	adminOnly bool
	// viewerOK marks a POST that changes nothing (a dry run): viewers may call it.
	viewerOK bool
	// retention marks the routes 3.0.0 added (policies, rotation, pins):
	// a release without them answers as to an unknown route.
	retention bool
}

func (r *route) key() string { return r.method + " " + r.pattern }

func (s *Simulator) routeTable() []*route {
	rs := []*route{
		{method: "GET", pattern: "/api/auth/me", handle: (*Simulator).handleMe},
		{method: "GET", pattern: "/api/environments", handle: (*Simulator).listEnvironments},
		{method: "POST", pattern: "/api/environments", handle: (*Simulator).createEnvironment, adminOnly: true},
		{method: "GET", pattern: "/api/environments/{id}", handle: (*Simulator).getEnvironment},
		{method: "DELETE", pattern: "/api/environments/{id}", handle: (*Simulator).deleteEnvironment, adminOnly: true},
		{method: "GET", pattern: "/api/environments/{envId}/databases", handle: (*Simulator).listDatabases},
		{method: "POST", pattern: "/api/environments/{envId}/databases", handle: (*Simulator).createDatabase},
		{method: "GET", pattern: "/api/environments/{envId}/databases/monitoring-summary", handle: (*Simulator).monitoringSummary},
		{method: "PATCH", pattern: "/api/environments/{envId}/databases/{id}/monitoring", handle: (*Simulator).patchMonitoring},
		{method: "POST", pattern: "/api/environments/{envId}/databases/{id}/test-connection", handle: (*Simulator).testConnection},
		{method: "GET", pattern: "/api/databases/{id}", handle: (*Simulator).getDatabase},
		{method: "PATCH", pattern: "/api/databases/{id}", handle: (*Simulator).patchDatabaseHandler},
		{method: "DELETE", pattern: "/api/databases/{id}", handle: (*Simulator).deleteDatabaseHandler},
		{method: "GET", pattern: "/api/databases/{id}/backups", handle: (*Simulator).listBackups},
		{method: "POST", pattern: "/api/databases/{id}/backups", handle: (*Simulator).createBackupHandler},
		{method: "DELETE", pattern: "/api/databases/{id}/backups/{backupId}", handle: (*Simulator).deleteDatabaseBackupHandler},
		{method: "GET", pattern: "/api/backups/{id}", handle: (*Simulator).getBackupHandler},
		{method: "DELETE", pattern: "/api/backups/{id}", handle: (*Simulator).deleteBackupHandler},
		{method: "PUT", pattern: "/api/databases/{id}/backups/{backupId}/pin", handle: (*Simulator).pinBackupHandler, retention: true},
		{method: "GET", pattern: "/api/databases/{id}/schedule", handle: (*Simulator).getSchedule},
		{method: "PUT", pattern: "/api/databases/{id}/schedule", handle: (*Simulator).putSchedule},
		{method: "DELETE", pattern: "/api/databases/{id}/schedule", handle: (*Simulator).deleteSchedule},
		{method: "GET", pattern: "/api/settings/database-types", handle: (*Simulator).listDatabaseTypes},
		{method: "GET", pattern: "/api/settings/database-types/{id}", handle: (*Simulator).getDatabaseType},
		{method: "GET", pattern: "/api/databases/{id}/backup-policy", handle: (*Simulator).getBackupPolicy, retention: true},
		{method: "PUT", pattern: "/api/databases/{id}/backup-policy", handle: (*Simulator).putBackupPolicy, retention: true},
		{method: "DELETE", pattern: "/api/databases/{id}/backup-policy", handle: (*Simulator).deleteBackupPolicy, retention: true},
		{method: "POST", pattern: "/api/databases/{id}/backup-policy/preview", handle: (*Simulator).previewBackupPolicy, viewerOK: true, retention: true},
		{method: "POST", pattern: "/api/databases/{id}/rotate", handle: (*Simulator).rotateBackups, retention: true},
	}
	var out []*route
	for _, r := range rs {
		if r.retention && !s.release.retention {
			continue
		}
		r.segs = strings.Split(strings.Trim(r.pattern, "/"), "/")
		out = append(out, r)
	}
	return out
}

// match finds the route for method and path; an unknown method on a known
// path is a 404 too, as on the real server.
func (s *Simulator) match(method, path string) (*route, map[string]string) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, r := range s.routes {
		if r.method != method || len(r.segs) != len(segs) {
			continue
		}
		if params, ok := matchSegments(r.segs, segs); ok {
			return r, params
		}
	}
	return nil, nil
}

func matchSegments(pattern, segs []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
