package simulator

type typeView struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	DisplayName      string `json:"displayName"`
	HasBackupCommand bool   `json:"hasBackupCommand"`
}

type dbCount struct {
	Backups  int `json:"backups"`
	Services int `json:"services"`
}

// dbView is the database object as the API returns it, in the contract's
// field order; username and password are never part of it.
type dbView struct {
	ID                     string         `json:"id"`
	Name                   string         `json:"name"`
	Type                   string         `json:"type"`
	Host                   *string        `json:"host"`
	Port                   *int           `json:"port"`
	DatabaseName           *string        `json:"databaseName"`
	HasCredentials         bool           `json:"hasCredentials"`
	FilePath               *string        `json:"filePath"`
	UseSsl                 bool           `json:"useSsl"`
	ServerID               *string        `json:"serverId"`
	DatabaseTypeID         *string        `json:"databaseTypeId"`
	DatabaseType           *typeView      `json:"databaseType"`
	BackupStorageType      string         `json:"backupStorageType"`
	BackupLocalPath        *string        `json:"backupLocalPath"`
	BackupSpacesBucket     *string        `json:"backupSpacesBucket"`
	BackupSpacesPrefix     *string        `json:"backupSpacesPrefix"`
	BackupFormat           string         `json:"backupFormat"`
	BackupCompression      string         `json:"backupCompression"`
	BackupCompressionLevel int            `json:"backupCompressionLevel"`
	PgDumpOptions          *PgDumpOptions `json:"pgDumpOptions"`
	PgDumpTimeoutMs        int            `json:"pgDumpTimeoutMs"`
	MonitoringEnabled      bool           `json:"monitoringEnabled"`
	CollectionIntervalSec  int64          `json:"collectionIntervalSec"`
	CreatedAt              string         `json:"createdAt"`
	UpdatedAt              string         `json:"updatedAt"`
	EnvironmentID          string         `json:"environmentId"`
	Count                  dbCount        `json:"_count"`
}

// dbListItem is a list entry: the database plus its latest backup and its
// schedule summary (both null when absent).
type dbListItem struct {
	dbView
	LastBackup *lastBackupView  `json:"lastBackup"`
	Schedule   *scheduleSummary `json:"schedule"`
}

type lastBackupView struct {
	ID          string  `json:"id"`
	Status      string  `json:"status"`
	Type        string  `json:"type"`
	CreatedAt   string  `json:"createdAt"`
	CompletedAt *string `json:"completedAt"`
	Error       *string `json:"error"`
}

type scheduleSummary struct {
	Enabled        bool    `json:"enabled"`
	CronExpression string  `json:"cronExpression"`
	LastRunAt      *string `json:"lastRunAt"`
	NextRunAt      *string `json:"nextRunAt"`
}

// view renders d; the caller holds the store lock.
func (st *store) view(d *Database) dbView {
	v := dbView{
		ID: d.ID, Name: d.Name, Type: d.Type, Host: d.Host, Port: d.Port, DatabaseName: d.DatabaseName,
		HasCredentials: d.HasCredentials, FilePath: d.FilePath, UseSsl: d.UseSSL, ServerID: d.ServerID,
		DatabaseTypeID: d.DatabaseTypeID, BackupStorageType: d.BackupStorageType,
		BackupLocalPath: d.BackupLocalPath, BackupSpacesBucket: d.BackupSpacesBucket,
		BackupSpacesPrefix: d.BackupSpacesPrefix, BackupFormat: d.BackupFormat,
		BackupCompression: d.BackupCompression, BackupCompressionLevel: d.BackupCompressionLevel,
		PgDumpOptions: d.PgDumpOptions, PgDumpTimeoutMs: d.PgDumpTimeoutMs,
		MonitoringEnabled: d.MonitoringEnabled, CollectionIntervalSec: d.CollectionIntervalSec,
		CreatedAt: jsTime(d.CreatedAt), UpdatedAt: jsTime(d.UpdatedAt), EnvironmentID: d.EnvironmentID,
		Count: dbCount{Backups: len(st.backupsOf(d.ID))},
	}
	if d.DatabaseTypeID != nil {
		if t, ok := typeByID(*d.DatabaseTypeID); ok {
			v.DatabaseType = &typeView{ID: t.ID, Name: t.Name, DisplayName: t.DisplayName, HasBackupCommand: t.HasBackupCommand}
		}
	}
	return v
}

func (st *store) listItem(d *Database) dbListItem {
	item := dbListItem{dbView: st.view(d)}
	if bs := st.backupsOf(d.ID); len(bs) > 0 {
		b := bs[0]
		item.LastBackup = &lastBackupView{ID: b.ID, Status: b.Status, Type: b.Type,
			CreatedAt: jsTime(b.CreatedAt), CompletedAt: jsTimePtr(b.CompletedAt), Error: b.Error}
	}
	if sc := st.schedules[d.ID]; sc != nil {
		item.Schedule = &scheduleSummary{Enabled: sc.Enabled, CronExpression: sc.CronExpression,
			LastRunAt: jsTimePtr(sc.LastRunAt), NextRunAt: jsTimePtr(sc.NextRunAt)}
	}
	return item
}
