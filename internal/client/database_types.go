package client

import (
	"context"
	"net/http"
)

// DatabaseTypeDefinition is a database type as the platform's settings
// define it (GET /api/settings/database-types): the built-in ones and any an
// admin added. Database.DatabaseType is the short form of the same thing.
type DatabaseTypeDefinition struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"` // what a database's `type` must equal to be bound to it
	DisplayName      string            `json:"displayName"`
	IsCustomized     bool              `json:"isCustomized"`
	Source           string            `json:"source"`
	ConnectionFields []ConnectionField `json:"connectionFields"`
	// BackupCommand is nil for types the platform cannot back up (redis).
	BackupCommand  *string `json:"backupCommand"`
	RestoreCommand *string `json:"restoreCommand"`
	DefaultPort    *int64  `json:"defaultPort"`
	// MonitoringConfig is a JSON document sent as a string, or nil for
	// types without monitoring queries.
	MonitoringConfig *string               `json:"monitoringConfig"`
	Commands         []DatabaseTypeCommand `json:"commands"`
	CreatedAt        string                `json:"createdAt"`
	UpdatedAt        string                `json:"updatedAt"`
}

// ConnectionField is one field the platform's UI asks for with a type.
type ConnectionField struct {
	Name     string `json:"name"` // a database field, e.g. "host" or "filePath"
	Label    string `json:"label"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
	Default  any    `json:"default,omitempty"`
}

// DatabaseTypeCommand is a named command template of a type.
type DatabaseTypeCommand struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	DisplayName    string `json:"displayName"`
	Description    string `json:"description"`
	Command        string `json:"command"`
	SortOrder      int64  `json:"sortOrder"`
	DatabaseTypeID string `json:"databaseTypeId"`
}

// ListDatabaseTypes lists the platform's database types, sorted by name.
// Viewers may call it; an environment-scoped token gets 403 FORBIDDEN_SCOPE
// (IsForbidden), as on every route outside an environment.
func (c *Client) ListDatabaseTypes(ctx context.Context) ([]DatabaseTypeDefinition, error) {
	var out struct {
		DatabaseTypes []DatabaseTypeDefinition `json:"databaseTypes"`
	}
	cl := call{method: http.MethodGet, path: apiPath("settings", "database-types")}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.DatabaseTypes == nil {
		return nil, missingObject(&cl, "databaseTypes")
	}
	return out.DatabaseTypes, nil
}

// GetDatabaseType reads one type by id; a name or an unknown id is a 404
// (IsNotFound), "Database type not found".
func (c *Client) GetDatabaseType(ctx context.Context, id string) (*DatabaseTypeDefinition, error) {
	if err := requireIDs("database type id", id); err != nil {
		return nil, err
	}
	var out struct {
		DatabaseType *DatabaseTypeDefinition `json:"databaseType"`
	}
	cl := call{method: http.MethodGet, path: apiPath("settings", "database-types", id)}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.DatabaseType == nil {
		return nil, missingObject(&cl, "databaseType")
	}
	return out.DatabaseType, nil
}
