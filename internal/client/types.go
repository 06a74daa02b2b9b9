package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Database is the API's database object as returned. Pointers keep null
// apart from "" and 0: PATCH clears a string by storing "", which reads
// back as "", while a never-set field reads back as null.
type Database struct {
	ID                     string           `json:"id"`
	Name                   string           `json:"name"`
	Type                   string           `json:"type"`
	DatabaseTypeID         *string          `json:"databaseTypeId"`
	DatabaseType           *DatabaseType    `json:"databaseType"`
	Host                   *string          `json:"host"`
	Port                   *int64           `json:"port"`
	DatabaseName           *string          `json:"databaseName"`
	HasCredentials         bool             `json:"hasCredentials"`
	FilePath               *string          `json:"filePath"`
	UseSSL                 bool             `json:"useSsl"`
	ServerID               *string          `json:"serverId"`
	BackupStorageType      string           `json:"backupStorageType"`
	BackupLocalPath        *string          `json:"backupLocalPath"`
	BackupSpacesBucket     *string          `json:"backupSpacesBucket"`
	BackupSpacesPrefix     *string          `json:"backupSpacesPrefix"`
	BackupFormat           string           `json:"backupFormat"`
	BackupCompression      string           `json:"backupCompression"`
	BackupCompressionLevel int64            `json:"backupCompressionLevel"`
	PgDumpOptions          *PgDumpOptions   `json:"pgDumpOptions"`
	PgDumpTimeoutMs        int64            `json:"pgDumpTimeoutMs"`
	MonitoringEnabled      bool             `json:"monitoringEnabled"`
	CollectionIntervalSec  int64            `json:"collectionIntervalSec"`
	CreatedAt              string           `json:"createdAt"`
	UpdatedAt              string           `json:"updatedAt"`
	EnvironmentID          string           `json:"environmentId"`
	LastBackup             *Backup          `json:"lastBackup,omitempty"` // list endpoint only
	Schedule               *ScheduleSummary `json:"schedule,omitempty"`   // list endpoint only
}

// DatabaseType is the built-in or admin-defined type a database was bound
// to on create (null for a type name the server does not know).
type DatabaseType struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	DisplayName      string `json:"displayName"`
	HasBackupCommand bool   `json:"hasBackupCommand"`
}

// PgDumpOptions is replaced as a whole by PATCH, so callers should send all
// five keys to keep reads stable, or an empty object to clear it (the API
// rejects null).
type PgDumpOptions struct {
	NoOwner    *bool `json:"noOwner,omitempty"`
	Clean      *bool `json:"clean,omitempty"`
	IfExists   *bool `json:"ifExists,omitempty"`
	SchemaOnly *bool `json:"schemaOnly,omitempty"`
	DataOnly   *bool `json:"dataOnly,omitempty"`
}

// DatabaseInput is the body of create and PATCH. A nil field is not sent; a
// pointer to "" is sent as "" (the only way PATCH clears a string, since
// null is rejected). The server changes credentials only when Username and
// Password are both sent.
type DatabaseInput struct {
	Name                   *string        `json:"name,omitempty"`
	Type                   *string        `json:"type,omitempty"`
	DatabaseTypeID         *string        `json:"databaseTypeId,omitempty"`
	Host                   *string        `json:"host,omitempty"`
	Port                   *int64         `json:"port,omitempty"`
	DatabaseName           *string        `json:"databaseName,omitempty"`
	Username               *string        `json:"username,omitempty"`
	Password               *string        `json:"password,omitempty"`
	FilePath               *string        `json:"filePath,omitempty"`
	UseSSL                 *bool          `json:"useSsl,omitempty"`
	ServerID               *string        `json:"serverId,omitempty"`
	BackupStorageType      *string        `json:"backupStorageType,omitempty"`
	BackupLocalPath        *string        `json:"backupLocalPath,omitempty"`
	BackupSpacesBucket     *string        `json:"backupSpacesBucket,omitempty"`
	BackupSpacesPrefix     *string        `json:"backupSpacesPrefix,omitempty"`
	BackupFormat           *string        `json:"backupFormat,omitempty"`
	BackupCompression      *string        `json:"backupCompression,omitempty"`
	BackupCompressionLevel *int64         `json:"backupCompressionLevel,omitempty"`
	PgDumpOptions          *PgDumpOptions `json:"pgDumpOptions,omitempty"`
	PgDumpTimeoutMs        *int64         `json:"pgDumpTimeoutMs,omitempty"`
}

// secrets are the request values that must never reach a log or an error.
func (in DatabaseInput) secrets() []string {
	var out []string
	for _, p := range []*string{in.Username, in.Password} {
		if p != nil && *p != "" {
			out = append(out, *p)
		}
	}
	return out
}

// DatabasePage is one page of GET /api/environments/{envId}/databases.
type DatabasePage struct {
	Databases []Database `json:"databases"`
	// Total counts every database of the environment, not just this page.
	Total int `json:"total"`
}

// Environment is a platform environment. The API also returns the
// environment's sshPrivateKey; it is deliberately not decoded, so the
// secret never lives in provider memory.
type Environment struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// Me describes the caller's token, from GET /api/auth/me.
type Me struct {
	// Role is viewer, operator or admin.
	Role string
	// AllEnvironments is false for an environment-scoped API token, which
	// the API refuses on every /api/databases/{id} route.
	AllEnvironments bool
	// EnvironmentIDs are the environments the token may use: the scope's
	// list for a scoped token, otherwise every environment the server
	// listed at the time of the call.
	EnvironmentIDs []string
	UserID         string
	Email          string
	Name           string
	// APITokenID is empty for a login JWT.
	APITokenID string
	// Scopes are the server's advisory "resource:action" strings.
	Scopes []string
}

// Backup is a backup record, as listed, read alone, or embedded (only the
// first fields) as a database's latest backup in the database list.
// GET /api/backups/{id} also returns the backup's database row with its
// encrypted credentials and the environment's SSH private key; that part
// is deliberately not decoded.
type Backup struct {
	ID       string `json:"id"`
	Filename string `json:"filename"`
	Size     *int64 `json:"size"`
	// Type is the kind: "manual" or "scheduled".
	Type   string `json:"type"`
	Status string `json:"status"`
	// Error is, for a failed backup, a JSON-encoded string; see Failure.
	Error       *string `json:"error"`
	CreatedAt   string  `json:"createdAt"`
	CompletedAt *string `json:"completedAt"`
	StorageType string  `json:"storageType"`
	StoragePath string  `json:"storagePath"`
	Progress    int64   `json:"progress"`
	// DurationSeconds is null until the backup finished.
	DurationSeconds   *int64  `json:"duration"`
	IsPinned          bool    `json:"isPinned"`
	PinnedAt          *string `json:"pinnedAt"`
	LastRotationError *string `json:"lastRotationError"`
	DatabaseID        string  `json:"databaseId"`
}

// UnmarshalJSON accepts size as a number or a numeric string: the contract
// does not pin its type, and ORMs commonly serialise 64-bit sizes as
// strings. A single odd field must not break decoding a whole list.
func (b *Backup) UnmarshalJSON(data []byte) error {
	type plain Backup
	var raw struct {
		plain
		Size json.RawMessage `json:"size"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*b = Backup(raw.plain)
	size, err := flexibleInt(raw.Size)
	if err != nil {
		return fmt.Errorf("backup size: %w", err)
	}
	b.Size = size
	return nil
}

func flexibleInt(raw json.RawMessage) (*int64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return nil, err
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s is not an integer", raw)
	}
	return &n, nil
}

// ScheduleSummary is the schedule as embedded in the database list.
type ScheduleSummary struct {
	Enabled        bool    `json:"enabled"`
	CronExpression string  `json:"cronExpression"`
	LastRunAt      *string `json:"lastRunAt"`
	NextRunAt      *string `json:"nextRunAt"`
}

// Schedule is a database's backup schedule (at most one per database).
type Schedule struct {
	ID             string  `json:"id"`
	DatabaseID     string  `json:"databaseId"`
	CronExpression string  `json:"cronExpression"`
	RetentionDays  int64   `json:"retentionDays"`
	Enabled        bool    `json:"enabled"`
	LastRunAt      *string `json:"lastRunAt"`
	NextRunAt      *string `json:"nextRunAt"`
}

// ScheduleInput is the body of PUT /api/databases/{id}/schedule; nil fields
// take the server defaults again (api.Platform.Schedule.Defaults), since a
// PUT replaces the whole schedule.
type ScheduleInput struct {
	CronExpression string `json:"cronExpression"`
	RetentionDays  *int64 `json:"retentionDays,omitempty"`
	Enabled        *bool  `json:"enabled,omitempty"`
}
