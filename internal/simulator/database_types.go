package simulator

import "sort"

// The settings view of the built-in database types, as GET
// /api/settings/database-types returns them. Viewers may read it; an
// environment-scoped token is refused (403 FORBIDDEN_SCOPE, "global
// resources") like every route outside /api/environments/{id}/.

// typeSeededAt is when the server seeded its types; fixed, so bodies are
// stable across runs.
const typeSeededAt = "2026-11-26T16:48:55.102Z"

type connectionField struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Type     string `json:"type"`
	Required *bool  `json:"required,omitempty"`
	Default  any    `json:"default,omitempty"`
}

type typeCommandView struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	DisplayName    string `json:"displayName"`
	Description    string `json:"description"`
	Command        string `json:"command"`
	SortOrder      int    `json:"sortOrder"`
	DatabaseTypeID string `json:"databaseTypeId"`
}

type typeSettingsView struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	DisplayName      string            `json:"displayName"`
	IsCustomized     bool              `json:"isCustomized"`
	Source           string            `json:"source"`
	ConnectionFields []connectionField `json:"connectionFields"`
	BackupCommand    *string           `json:"backupCommand"`
	RestoreCommand   *string           `json:"restoreCommand"`
	DefaultPort      *int              `json:"defaultPort"`
	CreatedAt        string            `json:"createdAt"`
	UpdatedAt        string            `json:"updatedAt"`
	// MonitoringConfig is a JSON document encoded as a string (or null),
	// as the server stores it.
	MonitoringConfig *string           `json:"monitoringConfig"`
	Commands         []typeCommandView `json:"commands"`
	Count            map[string]int    `json:"_count"`
}

// typeSettings is what the settings view adds to a built-in type: the
// required connection fields, and which types have no backup command
// (redis) or no monitoring queries (mongodb). Default ports are
// api.Platform's (see defaultPort).
type typeSettings struct {
	required       []string
	backupCommand  *string
	restoreCommand *string
	monitoring     *string
}

var builtinTypeSettings = map[string]typeSettings{
	"postgres": {
		required:       []string{"host", "port", "databaseName", "username", "password"},
		backupCommand:  ptr(`pg_dump --no-password -h {{host}} -p {{port}} -U {{username}} -d {{databaseName}} -f "{{outputFile}}"`),
		restoreCommand: ptr(`psql --no-password -h {{host}} -p {{port}} -U {{username}} -d {{databaseName}} -f "{{inputFile}}"`),
		monitoring:     ptr(`{"queries":[{"name":"connections","query":"SELECT count(*) FROM pg_stat_activity"}]}`),
	},
	"mysql": {
		required:       []string{"host", "port", "databaseName", "username", "password"},
		backupCommand:  ptr(`mysqldump -h {{host}} -P {{port}} -u {{username}} {{databaseName}} > "{{outputFile}}"`),
		restoreCommand: ptr(`mysql -h {{host}} -P {{port}} -u {{username}} {{databaseName}} < "{{inputFile}}"`),
		monitoring:     ptr(`{"queries":[{"name":"connections","query":"SHOW STATUS LIKE 'Threads_connected'"}]}`),
	},
	"mongodb": {
		required:       []string{"host", "port", "databaseName"},
		backupCommand:  ptr(`mongodump --host {{host}} --port {{port}} --db {{databaseName}} --archive="{{outputFile}}"`),
		restoreCommand: ptr(`mongorestore --host {{host}} --port {{port}} --archive="{{inputFile}}"`),
	},
	"redis": {
		required:   []string{"host", "port"},
		monitoring: ptr(`{"queries":[{"name":"info","command":"INFO"}]}`),
	},
	"sqlite": {
		required:       []string{"filePath", "serverId"},
		backupCommand:  ptr(`sqlite3 "{{filePath}}" ".backup '{{outputFile}}'"`),
		restoreCommand: ptr(`cp "{{inputFile}}" "{{filePath}}"`),
		monitoring:     ptr(`{"queries":[{"name":"pages","query":"PRAGMA page_count"}]}`),
	},
}

var connectionFieldLabels = map[string]connectionField{
	"host":         {Name: "host", Label: "Host", Type: "text"},
	"port":         {Name: "port", Label: "Port", Type: "number"},
	"databaseName": {Name: "databaseName", Label: "Database name", Type: "text"},
	"username":     {Name: "username", Label: "Username", Type: "text"},
	"password":     {Name: "password", Label: "Password", Type: "password"},
	"filePath":     {Name: "filePath", Label: "File path", Type: "text"},
	"serverId":     {Name: "serverId", Label: "Server", Type: "server"},
}

// defaultPort is the type's UI port hint; nil for a file database.
func defaultPort(typeName string) *int {
	if t, ok := platformDB.Type(typeName); ok && t.DefaultPort != 0 {
		return ptr(int(t.DefaultPort))
	}
	return nil
}

// typeSettingsViewOf must be called with the store locked (it counts the
// databases bound to the type).
func (s *Simulator) typeSettingsViewOf(t DatabaseType) typeSettingsView {
	set := builtinTypeSettings[t.Name]
	port := defaultPort(t.Name)
	fields := []connectionField{}
	for _, name := range set.required {
		f := connectionFieldLabels[name]
		f.Required = ptr(true)
		if name == "port" && port != nil {
			f.Default = *port
		}
		fields = append(fields, f)
	}
	commands := []typeCommandView{}
	if set.backupCommand != nil {
		commands = append(commands, typeCommandView{
			ID: t.ID + "-backup", Name: "backup", DisplayName: "Backup", Description: "Dump the database to a file",
			Command: *set.backupCommand, SortOrder: 0, DatabaseTypeID: t.ID,
		})
	}
	bound := 0
	for _, d := range s.store.dbs {
		if d.DatabaseTypeID != nil && *d.DatabaseTypeID == t.ID {
			bound++
		}
	}
	return typeSettingsView{
		ID: t.ID, Name: t.Name, DisplayName: t.DisplayName, Source: "plugin",
		ConnectionFields: fields, BackupCommand: set.backupCommand, RestoreCommand: set.restoreCommand,
		DefaultPort: port, CreatedAt: typeSeededAt, UpdatedAt: typeSeededAt,
		MonitoringConfig: set.monitoring, Commands: commands, Count: map[string]int{"databases": bound},
	}
}

// listDatabaseTypes answers sorted by name.
func (s *Simulator) listDatabaseTypes(*request) reply {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	types := append([]DatabaseType(nil), builtinTypes...)
	sort.Slice(types, func(i, j int) bool { return types[i].Name < types[j].Name })
	out := make([]typeSettingsView, 0, len(types))
	for _, t := range types {
		out = append(out, s.typeSettingsViewOf(t))
	}
	return ok(map[string]any{"databaseTypes": out})
}

// getDatabaseType looks up by id only: a name (…/postgres) is a 404 like
// any unknown id.
func (s *Simulator) getDatabaseType(q *request) reply {
	t, e := databaseType(q.params["id"])
	if e != nil {
		return q.fail(e)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return ok(map[string]any{"databaseType": s.typeSettingsViewOf(t)})
}
