package simulator

import (
	"sort"
	"strings"
)

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

// typeSettings is what the settings view adds to a built-in type, as the
// platform's bundled type definitions have it: the connection form, the
// backup and restore templates and the named shell commands. Default ports
// are api.Platform's (see defaultPort), the monitoring queries the
// platform's own (typeMonitoring).
type typeSettings struct {
	fields         []connectionField
	backupCommand  *string
	restoreCommand *string
	commands       []typeCommand
}

// typeCommand is one of a type's named shell commands.
type typeCommand struct {
	name, displayName, description, command string
}

// Connection form fields; required ones say so, the port's default is the
// type's port (filled in by typeSettingsViewOf).
var (
	fieldHost     = connectionField{Name: "host", Label: "Host", Type: "text", Required: ptr(true), Default: "localhost"}
	fieldPort     = connectionField{Name: "port", Label: "Port", Type: "number", Required: ptr(true)}
	fieldDBName   = connectionField{Name: "databaseName", Label: "Database Name", Type: "text", Required: ptr(true)}
	fieldUser     = connectionField{Name: "username", Label: "Username", Type: "text", Required: ptr(true)}
	fieldPassword = connectionField{Name: "password", Label: "Password", Type: "password", Required: ptr(true)}
	fieldFilePath = connectionField{Name: "filePath", Label: "File Path", Type: "text", Required: ptr(true)}
	fieldServer   = connectionField{Name: "serverId", Label: "Server", Type: "text", Required: ptr(true)}
)

// optional is a field the form does not require.
func optional(f connectionField) connectionField {
	f.Required = nil
	return f
}

var builtinTypeSettings = map[string]typeSettings{
	"postgres": {
		fields:         []connectionField{fieldHost, fieldPort, fieldDBName, fieldUser, fieldPassword},
		backupCommand:  ptr(`pg_dump --no-password -h {{host}} -p {{port}} -U {{username}} -d {{databaseName}} -f "{{outputFile}}"`),
		restoreCommand: ptr(`pg_restore --no-password -h {{host}} -p {{port}} -U {{username}} -d {{databaseName}} "{{inputFile}}"`),
		commands: []typeCommand{
			{"shell", "PostgreSQL Shell", "Interactive PostgreSQL shell", `psql -h {{host}} -p {{port}} -U {{username}} {{databaseName}}`},
			{"vacuum", "Vacuum Analyze", "Run VACUUM ANALYZE", `psql -h {{host}} -p {{port}} -U {{username}} -d {{databaseName}} -c "VACUUM ANALYZE"`},
		},
	},
	"mysql": {
		fields:         []connectionField{fieldHost, fieldPort, fieldDBName, fieldUser, fieldPassword},
		backupCommand:  ptr(`mysqldump -h {{host}} -P {{port}} -u {{username}} {{databaseName}} > "{{outputFile}}"`),
		restoreCommand: ptr(`mysql -h {{host}} -P {{port}} -u {{username}} {{databaseName}} < "{{inputFile}}"`),
		commands:       []typeCommand{{"shell", "MySQL Shell", "Interactive MySQL shell", `mysql -h {{host}} -P {{port}} -u {{username}} {{databaseName}}`}},
	},
	"mongodb": {
		fields:         []connectionField{fieldHost, fieldPort, fieldDBName, optional(fieldUser), optional(fieldPassword)},
		backupCommand:  ptr(`mongodump --host {{host}} --port {{port}} --db {{databaseName}} --out "{{outputFile}}"`),
		restoreCommand: ptr(`mongorestore --host {{host}} --port {{port}} --db {{databaseName}} "{{inputFile}}"`),
		commands:       []typeCommand{{"shell", "Mongo Shell", "Interactive MongoDB shell", `mongosh --host {{host}} --port {{port}} {{databaseName}}`}},
	},
	"redis": {
		fields:   []connectionField{fieldHost, fieldPort, optional(fieldPassword)},
		commands: []typeCommand{{"cli", "Redis CLI", "Interactive Redis CLI", `redis-cli -h {{host}} -p {{port}}`}},
	},
	"sqlite": {
		fields:         []connectionField{fieldFilePath, fieldServer},
		backupCommand:  ptr(`sqlite3 "{{filePath}}" ".dump" > "{{outputFile}}"`),
		restoreCommand: ptr(`sqlite3 "{{filePath}}" < "{{inputFile}}"`),
		commands:       []typeCommand{{"shell", "SQLite Shell", "Interactive SQLite shell", `sqlite3 "{{filePath}}"`}},
	},
}

// defaultPort is the type's UI port hint; nil for a file database.
func defaultPort(typeName string) *int {
	if t, ok := platformDB.Type(typeName); ok && t.DefaultPort != 0 {
		return ptr(int(t.DefaultPort))
	}
	return nil
}

// commandID is stable and cuid-shaped, like the types' ids.
func commandID(typeName, command string) string {
	id := "ccmd" + typeName + command
	return id + strings.Repeat("0", max(0, 25-len(id)))
}

// typeSettingsViewOf must be called with the store locked (it counts the
// databases bound to the type).
func (s *Simulator) typeSettingsViewOf(t DatabaseType) typeSettingsView {
	set := builtinTypeSettings[t.Name]
	port := defaultPort(t.Name)
	fields := []connectionField{}
	for _, f := range set.fields {
		if f.Name == "port" && port != nil {
			f.Default = *port
		}
		fields = append(fields, f)
	}
	commands := []typeCommandView{}
	for i, c := range set.commands {
		commands = append(commands, typeCommandView{
			ID: commandID(t.Name, c.name), Name: c.name, DisplayName: c.displayName,
			Description: c.description, Command: c.command, SortOrder: i, DatabaseTypeID: t.ID,
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
		MonitoringConfig: clonePtr(typeMonitoring[t.Name]), Commands: commands, Count: map[string]int{"databases": bound},
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
